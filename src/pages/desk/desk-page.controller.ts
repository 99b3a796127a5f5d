import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { EventsService } from '../../events/events.service';
import { CSRF_FIELD } from '../shared/csrf.service';
import { field, type FormBody } from '../shared/form-body';
import { PageErrorFilter } from '../shared/page-error.filter';
import { PageResponder } from '../shared/page-responder';
import { sessionBar, signInForm } from '../staff/sign-in-view';
import { refusalOf, StaffSessionService, type StaffRefusal } from '../staff/staff-session.service';
import { deskView } from './desk-view';
import { DESK_CATALOGS } from './locales';

const STATUS_OF: Record<StaffRefusal, number> = { signed_out: 401, role: 403, event: 403 };

/**
 * `/desk/{slug}`: the check-in desk. Without a session (or with a token that may not use this
 * event's desk) the same URL shows the sign-in form. The token is checked by our own code, not
 * the global bearer guard, hence @Public; the sign-in post is rate limited like public routes.
 */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('desk/:slug')
export class DeskPageController {
  constructor(
    private readonly pages: PageResponder,
    private readonly staff: StaffSessionService,
    private readonly events: EventsService,
  ) {}

  @Get()
  @Public({ rateLimited: false })
  async show(
    @Param('slug') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const principal = await this.staff.principalOf(request);
    const refusal = refusalOf(principal, 'checkin', slug);
    if (refusal || !principal) {
      await this.signInPage(slug, request, reply, principal ? refusal : null);
      return;
    }
    const event = await this.events.findBySlug(slug);
    const context = this.pages.context(request, reply, event.languages);
    const m = DESK_CATALOGS[context.language];
    await this.pages.send(reply, context, {
      title: m.title({ event: event.title }),
      noindex: true,
      styles: ['staff.css'],
      scripts: ['desk.js'],
      body: deskView(
        context,
        m,
        event,
        sessionBar(context, m.signIn, principal, `/desk/${slug}/sign-out`),
      ),
    });
  }

  @Post('sign-in')
  @Public({ rateLimited: true })
  async signIn(
    @Param('slug') slug: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.pages.verifyCsrf(request, form?.[CSRF_FIELD]);
    const refusal = await this.staff.signIn(request, reply, field(form, 'token'), 'checkin', slug);
    if (refusal) {
      await this.signInPage(slug, request, reply, refusal);
      return;
    }
    await this.pages.redirect(reply, `/desk/${encodeURIComponent(slug)}`);
  }

  @Post('sign-out')
  @Public({ rateLimited: false })
  async signOut(
    @Param('slug') slug: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.pages.verifyCsrf(request, form?.[CSRF_FIELD]);
    this.staff.signOut(request, reply);
    await this.pages.redirect(reply, `/desk/${encodeURIComponent(slug)}`);
  }

  /** Nothing about the event is shown before sign-in: not even whether it exists. */
  private async signInPage(
    slug: string,
    request: FastifyRequest,
    reply: FastifyReply,
    refusal: StaffRefusal | null,
  ): Promise<void> {
    const context = this.pages.context(request, reply);
    const m = DESK_CATALOGS[context.language];
    await this.pages.send(reply, context, {
      title: m.signIn.heading,
      status: refusal ? STATUS_OF[refusal] : 200,
      noindex: true,
      styles: ['staff.css'],
      body: signInForm(context, m.signIn, `/desk/${encodeURIComponent(slug)}/sign-in`, refusal),
    });
  }
}
