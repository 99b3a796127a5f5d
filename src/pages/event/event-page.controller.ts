import { Body, Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { ValidationFailedError } from '../../common/errors/domain-error';
import type { Event } from '../../events/event.entity';
import { EventsService } from '../../events/events.service';
import { SessionsService } from '../../events/sessions/sessions.service';
import { CreateRegistrationDto } from '../../participants/dto/create-registration.dto';
import { RegistrationConflictError } from '../../participants/participants.errors';
import { assertRegistrationOpen } from '../../participants/registration-rules';
import type { RegistrationView } from '../../participants/registration.presenter';
import { RegistrationsService } from '../../participants/registrations.service';
import { field, type FormBody } from '../shared/form-body';
import { type FieldErrors, validateAs } from '../shared/form';
import { html, type SafeHtml } from '../shared/html';
import { PageErrorFilter } from '../shared/page-error.filter';
import { type PageContext, PageResponder } from '../shared/page-responder';
import { agendaList, eventFacts } from './event-view';
import {
  emptyValues,
  localiseErrors,
  registrationForm,
  type RegistrationFormValues,
  toRegistrationBody,
  valuesFromForm,
} from './registration-form';

/** Why the form is not offered, if it is not. */
function closedReason(event: Event, context: PageContext): string | null {
  if (event.status === 'cancelled') return context.t.event.cancelled;
  try {
    assertRegistrationOpen(event, new Date());
    return null;
  } catch (error) {
    if (!(error instanceof RegistrationConflictError)) throw error;
    return 'opensAt' in error.extensions
      ? context.t.register.notYetOpen
      : context.t.register.closed;
  }
}

/**
 * `/e/{slug}`: the public event page with the registration form (no JavaScript needed), and the
 * form's post, which registers through RegistrationsService with the API's own validation.
 */
@ApiExcludeController()
@Public({ rateLimited: true })
@UseFilters(PageErrorFilter)
@Controller('e')
export class EventPageController {
  constructor(
    private readonly pages: PageResponder,
    private readonly events: EventsService,
    private readonly sessions: SessionsService,
    private readonly registrations: RegistrationsService,
  ) {}

  @Get(':slug')
  async show(
    @Param('slug') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const event = await this.events.findVisible(slug);
    const context = this.pages.context(request, reply, event.languages);
    await this.render(reply, context, event, emptyValues(event, context.language), new Map());
  }

  @Post(':slug')
  async register(
    @Param('slug') slug: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const event = await this.events.findVisible(slug);
    const context = this.pages.context(request, reply, event.languages);
    this.pages.verifyCsrf(request, field(form, '_csrf'));
    const values = valuesFromForm(form);
    const { dto, errors } = await validateAs(CreateRegistrationDto, toRegistrationBody(values));
    if (errors.length > 0) {
      await this.render(reply, context, event, values, localiseErrors(context.t, errors), 400);
      return;
    }
    const key = field(form, 'idempotencyKey');
    try {
      const answer = await this.registrations.register(
        slug,
        dto,
        /^[\x21-\x7e]{1,200}$/.test(key) ? `page:${key}` : undefined,
      );
      await this.confirmation(reply, context, event, answer.body as RegistrationView);
    } catch (error) {
      const refusal = this.refusalOf(context, error);
      if (!refusal) throw error;
      const { errors: fieldErrors = new Map<string, string>(), banner, status } = refusal;
      await this.render(reply, context, event, values, fieldErrors, status, banner);
    }
  }

  /** The service's refusals as the form shows them; anything else goes to the error filter. */
  private refusalOf(
    context: PageContext,
    error: unknown,
  ): { errors?: FieldErrors; banner?: SafeHtml; status: number } | null {
    const { t } = context;
    if (error instanceof ValidationFailedError) {
      return { errors: localiseErrors(t, error.fieldErrors ?? []), status: 400 };
    }
    if (!(error instanceof RegistrationConflictError)) return null;
    switch (error.code) {
      case 'MODE_FULL':
        return { errors: new Map([['attendanceMode', t.register.modeFullError]]), status: 409 };
      case 'SESSION_FULL':
        return { errors: new Map([['sessionIds', t.register.sessionFullError]]), status: 409 };
      case 'ALREADY_REGISTERED':
        return {
          banner: html`<div class="banner warn" role="alert"><p>${t.register.duplicate}</p></div>`,
          status: 409,
        };
      case 'REGISTRATION_CLOSED':
        return { status: 409 }; // the page now says why
      default:
        return null;
    }
  }

  private async render(
    reply: FastifyReply,
    context: PageContext,
    event: Event,
    values: RegistrationFormValues,
    errors: FieldErrors,
    status = 200,
    banner?: SafeHtml,
  ): Promise<void> {
    const { t } = context;
    const agenda = await this.sessions.agendaOf(event.id);
    const closed = closedReason(event, context);
    await this.pages.send(reply, context, {
      title: errors.size > 0 ? `${t.errors.summaryTitle}: ${event.title}` : event.title,
      status,
      body: html`<h1>${event.title}</h1>
        ${event.description && html`<p>${event.description}</p>`} ${eventFacts(context, event)}
        ${agendaList(context, event, agenda)}
        <h2 id="register">${t.register.heading}</h2>
        ${banner}
        ${
          closed
            ? html`<div class="banner ${event.status === 'cancelled' ? 'bad' : 'warn'}">
                <p>${closed}</p>
              </div>`
            : registrationForm(context, event, agenda, values, errors)
        }`,
    });
  }

  private async confirmation(
    reply: FastifyReply,
    context: PageContext,
    event: Event,
    registration: RegistrationView,
  ): Promise<void> {
    const { t } = context;
    const c = t.confirmation;
    await this.pages.send(reply, context, {
      title: `${c.title}: ${event.title}`,
      noindex: true,
      body: html`<h1>${c.title}</h1>
        <p>${event.title}</p>
        <div class="banner ${registration.status === 'confirmed' ? 'ok' : 'warn'}" role="status">
          <dl class="facts">
            <dt>${c.reference}</dt>
            <dd class="reference">${registration.reference}</dd>
            <dt>${c.status}</dt>
            <dd>
              <span class="status ${registration.status}">${t.statuses[registration.status]}</span>
            </dd>
            <dt>${c.mode}</dt>
            <dd>${t.event.modes[registration.attendanceMode]}</dd>
          </dl>
        </div>
        <p>${c.next[registration.status]}</p>
        <p>${c.emailSent({ email: registration.participant.email })}</p>`,
    });
  }
}
