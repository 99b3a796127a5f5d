import { Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { refusalOf, StaffSessionService, type StaffRefusal } from '../staff/staff-session.service';
import { EventsService } from '../../events/events.service';
import { CSRF_FIELD } from '../shared/csrf.service';
import { field, type FormBody } from '../shared/form-body';
import { html } from '../shared/html';
import { PageErrorFilter } from '../shared/page-error.filter';
import { PageResponder } from '../shared/page-responder';
import { sessionBar, signInForm } from '../staff/sign-in-view';
import { DomainError, ValidationFailedError } from '../../common/errors/domain-error';
import { type Page, PageQueryDto } from '../../common/http/paging';
import type { Event } from '../../events/event.entity';
import { CreateEventDto } from '../../events/dto/create-event.dto';
import { validateAs, type FieldErrors } from '../shared/form';
import { eventBody, eventForm } from './console-event-form';
import { eventPath, eventWhen } from './console-view';
import { CONSOLE_CATALOGS } from './locales';

const EVENTS_PER_PAGE = 50;

const STATUS_OF: Record<StaffRefusal, number> = { signed_out: 401, role: 403, event: 403 };

/** `/admin`: the console's home: staff sign-in, then the events the token may see. */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('admin')
export class ConsoleHomeController {
  constructor(
    private readonly pages: PageResponder,
    private readonly staff: StaffSessionService,
    private readonly events: EventsService,
  ) {}

  @Get()
  @Public({ rateLimited: false })
  async home(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const principal = await this.staff.principalOf(request);
    const refusal = refusalOf(principal, 'organiser');
    if (refusal || !principal) {
      await this.signInPage(request, reply, principal ? refusal : null);
      return;
    }
    const context = this.pages.context(request, reply);
    const m = CONSOLE_CATALOGS[context.language];
    // An event-limited token sees its event only, as in the API; others page through all, in
    // the API's order (by start), 50 at a time. A cursor that does not parse starts over.
    const cursor = (request.query as Record<string, unknown>).cursor;
    const { dto, errors } = await validateAs(PageQueryDto, {
      limit: String(EVENTS_PER_PAGE),
      ...(typeof cursor === 'string' && cursor ? { cursor } : {}),
    });
    const { items: events, nextCursor } = principal.eventSlug
      ? { items: [await this.events.findBySlug(principal.eventSlug)], nextCursor: null }
      : await this.eventPage(errors.length === 0 ? dto : { limit: EVENTS_PER_PAGE });
    await this.pages.send(reply, context, {
      title: m.title,
      noindex: true,
      styles: ['staff.css'],
      body: html`${sessionBar(context, m.signIn, principal, '/admin/sign-out')}
        <h1>${m.title}</h1>
        <h2>${m.events}</h2>
        ${!principal.eventSlug && html`<p><a class="button" href="/admin/events/new">${m.newEvent}</a></p>`}
        ${
          events.length === 0
            ? html`<p>${m.noEvents}</p>`
            : html`<ul class="event-list">
                ${events.map(
                  (e) =>
                    html`<li>
                      <a href="${eventPath(e.slug)}">${e.title}</a> — ${m.status[e.status]}<br />
                      <span class="muted">${eventWhen(context, e)}</span>
                    </li>`,
                )}
              </ul>`
        }
        ${nextCursor && html`<p><a href="/admin?${new URLSearchParams({ cursor: nextCursor }).toString()}">${m.more}</a></p>`}`,
    });
  }

  private async eventPage(query: PageQueryDto): Promise<Page<Event>> {
    try {
      return await this.events.list(query);
    } catch (error) {
      if (!(error instanceof ValidationFailedError)) throw error;
      return this.events.list({ limit: EVENTS_PER_PAGE });
    }
  }

  @Get('events/new')
  @Public({ rateLimited: false })
  async newEvent(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.eventFormPage(request, reply, Object.create(null) as FormBody, new Map());
  }

  /** Creating needs a token for every event, as POST /api/v1/events does. */
  @Post('events')
  @Public({ rateLimited: false })
  async createEvent(
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const principal = await this.staff.principalOf(request);
    if (refusalOf(principal, 'organiser') || principal?.eventSlug) {
      await this.eventFormPage(request, reply, form, new Map());
      return;
    }
    this.pages.verifyCsrf(request, form?.[CSRF_FIELD]);
    const { dto, errors } = await validateAs(CreateEventDto, eventBody(form, true));
    const fieldErrors: FieldErrors = new Map(errors.map((e) => [e.field, e.message]));
    if (fieldErrors.size === 0) {
      try {
        const event = await this.events.create(dto);
        await this.pages.redirect(reply, eventPath(event.slug, '?done=1'));
        return;
      } catch (error) {
        if (
          !(error instanceof DomainError) ||
          (error.kind !== 'invalid' && error.kind !== 'conflict')
        ) {
          throw error;
        }
        for (const e of error.fieldErrors ?? [{ field: 'slug', message: error.message }]) {
          fieldErrors.set(e.field, e.message);
        }
      }
    }
    await this.eventFormPage(request, reply, form, fieldErrors);
  }

  private async eventFormPage(
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormBody,
    fieldErrors: FieldErrors,
  ): Promise<void> {
    const principal = await this.staff.principalOf(request);
    const refusal = refusalOf(principal, 'organiser') ?? (principal?.eventSlug ? 'role' : null);
    if (refusal || !principal) {
      await this.signInPage(request, reply, principal ? refusal : null);
      return;
    }
    const context = this.pages.context(request, reply);
    const m = CONSOLE_CATALOGS[context.language];
    await this.pages.send(reply, context, {
      title: m.newEvent,
      status: fieldErrors.size > 0 ? 400 : 200,
      noindex: true,
      styles: ['staff.css'],
      body: html`${sessionBar(context, m.signIn, principal, '/admin/sign-out')}
        <p><a href="/admin">${m.events}</a></p>
        <h1>${m.newEvent}</h1>
        ${eventForm(context, m, '/admin/events', form, fieldErrors, true)}`,
    });
  }

  @Post('sign-in')
  @Public({ rateLimited: true })
  async signIn(
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.pages.verifyCsrf(request, form?.[CSRF_FIELD]);
    const refusal = await this.staff.signIn(request, reply, field(form, 'token'), 'organiser');
    if (refusal) {
      await this.signInPage(request, reply, refusal);
      return;
    }
    await this.pages.redirect(reply, '/admin');
  }

  @Post('sign-out')
  @Public({ rateLimited: false })
  async signOut(
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.pages.verifyCsrf(request, form?.[CSRF_FIELD]);
    this.staff.signOut(request, reply);
    await this.pages.redirect(reply, '/admin');
  }

  private async signInPage(
    request: FastifyRequest,
    reply: FastifyReply,
    refusal: StaffRefusal | null,
  ): Promise<void> {
    const context = this.pages.context(request, reply);
    const m = CONSOLE_CATALOGS[context.language];
    await this.pages.send(reply, context, {
      title: m.signIn.heading,
      status: refusal ? STATUS_OF[refusal] : 200,
      noindex: true,
      styles: ['staff.css'],
      body: signInForm(context, m.signIn, '/admin/sign-in', refusal),
    });
  }
}
