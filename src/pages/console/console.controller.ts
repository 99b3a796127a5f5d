import {
  Body,
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  Injectable,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../../common/auth/auth.decorators';
import { NotFoundError, ValidationFailedError } from '../../common/errors/domain-error';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe';
import { readReportUpload } from '../../attendance/online-attendance/report-upload';
import { OnlineAttendanceImportService } from '../../attendance/online-attendance/online-attendance-import.service';
import { AttendanceSummaryService } from '../../attendance/summary/attendance-summary.service';
import { EventsService } from '../../events/events.service';
import { UpdateEventDto } from '../../events/dto/update-event.dto';
import { CreateSessionDto } from '../../events/sessions/dto/create-session.dto';
import { SessionsService } from '../../events/sessions/sessions.service';
import { EMAIL_STATUSES } from '../../notifications/email-request';
import { NotificationsService } from '../../notifications/notifications.service';
import { ListRegistrationsQueryDto } from '../../participants/dto/list-registrations.dto';
import type { CsvFile } from '../../participants/exports/registration-exports.service';
import { RegistrationExportsService } from '../../participants/exports/registration-exports.service';
import { StaffRegistrationsService } from '../../participants/staff-registrations.service';
import { CSRF_FIELD } from '../shared/csrf.service';
import {
  csrfField,
  errorSummary,
  selectField,
  textField,
  validateAs,
  type FieldErrors,
} from '../shared/form';
import { field, type FormBody } from '../shared/form-body';
import { html, type SafeHtml } from '../shared/html';
import { PageResponder, type PageContext } from '../shared/page-responder';
import { StaffPageErrorFilter } from '../staff/staff-page-error.filter';
import { StaffSessionService } from '../staff/staff-session.service';
import { sessionBar } from '../staff/sign-in-view';
import type { ConsoleMessages } from './console-messages';
import { eventBody, eventForm, eventFormValues } from './console-event-form';
import { dashboard, eventNav, eventPath, eventWhen, postButton } from './console-view';
import { CONSOLE_CATALOGS } from './locales';

const ACTIONS = ['approve', 'decline', 'cancel', 'resend'] as const;
type Action = (typeof ACTIONS)[number];

/** Every /admin/events/:slug route needs an organiser session that may see the event. */
@Injectable()
export class ConsoleSessionGuard implements CanActivate {
  constructor(private readonly staff: StaffSessionService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    await this.staff.require(request, 'organiser', (request.params as Record<string, string>).slug);
    return true;
  }
}

/**
 * `/admin/events/{slug}/…`: one event in the organiser console. Server-rendered; every change
 * is a form post with the CSRF token that answers 303 back to the page it came from, so the
 * console works without JavaScript. The services are the API's, validated with the API's DTOs.
 */
@ApiExcludeController()
@Public({ rateLimited: false })
@UseGuards(ConsoleSessionGuard)
@UseFilters(StaffPageErrorFilter)
@Controller('admin/events/:slug')
export class ConsoleEventController {
  constructor(
    private readonly pages: PageResponder,
    private readonly staff: StaffSessionService,
    private readonly events: EventsService,
    private readonly sessions: SessionsService,
    private readonly registrations: StaffRegistrationsService,
    private readonly notifications: NotificationsService,
    private readonly summaries: AttendanceSummaryService,
    private readonly imports: OnlineAttendanceImportService,
    private readonly exports: RegistrationExportsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get()
  async overview(
    @Param('slug') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.overviewPage(slug, request, reply, new Map(), {});
  }

  @Get('edit')
  async editForm(
    @Param('slug') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const event = await this.events.findBySlug(slug);
    await this.editPage(slug, request, reply, eventFormValues(event), new Map());
  }

  @Post('edit')
  async edit(
    @Param('slug') slug: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.pages.verifyCsrf(request, form?.[CSRF_FIELD]);
    const { dto, errors } = await validateAs(UpdateEventDto, eventBody(form, false));
    const fieldErrors: FieldErrors = new Map(errors.map((e) => [e.field, e.message]));
    if (fieldErrors.size === 0) {
      try {
        await this.events.update(slug, dto);
        await this.pages.redirect(reply, eventPath(slug, '?done=1'));
        return;
      } catch (error) {
        if (!(error instanceof ValidationFailedError)) throw error;
        for (const e of error.fieldErrors ?? []) fieldErrors.set(e.field, e.message);
      }
    }
    await this.editPage(slug, request, reply, form, fieldErrors);
  }

  @Post('publish')
  async publish(
    @Param('slug') slug: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    this.pages.verifyCsrf(request, form?.[CSRF_FIELD]);
    await this.events.publish(slug);
    await this.pages.redirect(reply, eventPath(slug, '?done=1'));
  }

  @Post('cancel')
  async cancel(
    @Param('slug') slug: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    this.pages.verifyCsrf(request, form?.[CSRF_FIELD]);
    await this.events.cancel(slug);
    await this.pages.redirect(reply, eventPath(slug, '?done=1'));
  }

  @Post('sessions')
  async addSession(
    @Param('slug') slug: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.pages.verifyCsrf(request, form?.[CSRF_FIELD]);
    const plain: Record<string, unknown> = {
      title: field(form, 'title'),
      startsAt: field(form, 'startsAt'),
      endsAt: field(form, 'endsAt'),
    };
    if (field(form, 'room')) plain.room = field(form, 'room');
    const { dto, errors } = await validateAs(CreateSessionDto, plain);
    const fieldErrors: FieldErrors = new Map(errors.map((e) => [e.field, e.message]));
    if (fieldErrors.size === 0) {
      try {
        await this.sessions.create(slug, dto);
        await this.pages.redirect(reply, eventPath(slug, '?done=1'));
        return;
      } catch (error) {
        if (!(error instanceof ValidationFailedError)) throw error;
        for (const e of error.fieldErrors ?? []) fieldErrors.set(e.field, e.message);
      }
    }
    await this.overviewPage(slug, request, reply, fieldErrors, form);
  }

  @Get('registrations')
  async registrationList(
    @Param('slug') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const event = await this.events.findBySlug(slug);
    const { context, m } = this.contextOf(request, reply, event.languages);
    const query = request.query as Record<string, string | undefined>;
    const plain: Record<string, unknown> = { limit: '50' };
    for (const key of ['status', 'mode', 'q', 'cursor']) if (query[key]) plain[key] = query[key];
    const { dto, errors } = await validateAs(ListRegistrationsQueryDto, plain);
    const fieldErrors: FieldErrors = new Map(errors.map((e) => [e.field, e.message]));
    const page =
      fieldErrors.size === 0
        ? await this.registrations.list(slug, dto)
        : { items: [], nextCursor: null };
    const back = request.url;
    const rows = page.items.map((r) => {
      const id = `reg-${r.id}`;
      const actions = (
        [
          ['approve', r.status === 'pending'],
          ['decline', r.status === 'pending' || r.status === 'waitlisted'],
          ['cancel', r.status !== 'cancelled' && r.status !== 'declined'],
          ['resend', r.status === 'confirmed'],
        ] as [Action, boolean][]
      )
        .filter(([, allowed]) => allowed)
        .map(([action]) =>
          actionForm(
            context,
            eventPath(slug, `/registrations/${r.id}/${action}`),
            m[action],
            back,
            id,
            action !== 'approve',
          ),
        );
      return html`<tr>
        <td id="${id}">
          ${r.participant.givenName} ${r.participant.familyName}<br /><span class="muted"
            >${r.participant.email}</span
          >
        </td>
        <td>${r.participant.organisation}</td>
        <td>${r.reference}</td>
        <td>${m.regStatus[r.status]}</td>
        <td>${m.modes[r.attendanceMode]}</td>
        <td><div class="actions">${actions}</div></td>
      </tr>`;
    });
    const anyChoice = { value: '', label: m.any };
    const next = page.nextCursor
      ? `?${new URLSearchParams({ ...pick(query, ['status', 'mode', 'q']), cursor: page.nextCursor }).toString()}`
      : null;
    await this.pages.send(reply, context, {
      title: `${m.registrations} · ${event.title}`,
      noindex: true,
      styles: ['staff.css'],
      body: html`${await this.bar(context, m, request)} ${eventNav(m, event, 'registrations')}
        <h1>${m.registrations}: ${event.title}</h1>
        ${doneBanner(m, query)} ${errorSummary(context, fieldErrors)}
        <form method="get" action="${eventPath(slug, '/registrations')}" class="filters">
          ${selectField({
            name: 'status',
            label: m.statusLabel,
            value: query.status ?? '',
            error: fieldErrors.get('status'),
            choices: [
              anyChoice,
              ...Object.entries(m.regStatus).map(([value, label]) => ({ value, label })),
            ],
          })}
          ${selectField({
            name: 'mode',
            label: m.modeLabel,
            value: query.mode ?? '',
            error: fieldErrors.get('mode'),
            choices: [
              anyChoice,
              ...Object.entries(m.modes).map(([value, label]) => ({ value, label })),
            ],
          })}
          ${textField({ name: 'q', label: m.search, type: 'search', value: query.q ?? '', error: fieldErrors.get('q') })}
          <button type="submit" class="button">${m.filter}</button>
        </form>
        ${
          rows.length === 0
            ? html`<p>${m.noneFound}</p>`
            : html`<div class="table-wrap">
                <table class="data">
                  <thead>
                    <tr>
                      <th scope="col">${m.name}</th>
                      <th scope="col">${m.organisation}</th>
                      <th scope="col">${m.reference}</th>
                      <th scope="col">${m.statusLabel}</th>
                      <th scope="col">${m.modeLabel}</th>
                      <th scope="col">${m.actions}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${rows}
                  </tbody>
                </table>
              </div>`
        }
        ${next && html`<p><a href="${next}">${m.more}</a></p>`}
        <h2>${m.exports}</h2>
        <ul>
          <li>
            <a href="${eventPath(slug, '/registrations.csv')}" download>${m.exportRegistrations}</a>
          </li>
          <li>
            <a href="${eventPath(slug, '/list-of-participants.csv')}" download
              >${m.exportParticipants}</a
            >
          </li>
        </ul>`,
    });
  }

  @Post('registrations/:id/:action')
  async decide(
    @Param('slug') slug: string,
    @Param('id', UuidParamPipe) id: string,
    @Param('action') action: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.pages.verifyCsrf(request, form?.[CSRF_FIELD]);
    if (!(ACTIONS as readonly string[]).includes(action)) throw new NotFoundError('The action');
    await this.registrations[action as Action](slug, id);
    await this.pages.redirect(reply, backTo(slug, field(form, 'back'), '/registrations'));
  }

  @Get('emails')
  async emailLog(
    @Param('slug') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const event = await this.events.findBySlug(slug);
    const { context, m } = this.contextOf(request, reply, event.languages);
    const query = request.query as Record<string, string | undefined>;
    const status = EMAIL_STATUSES.find((s) => s === query.status);
    const page = await this.notifications.list(slug, { status }, { limit: 100 });
    const when = new Intl.DateTimeFormat(context.t.locale, {
      timeZone: event.timezone,
      dateStyle: 'short',
      timeStyle: 'short',
    });
    const rows = page.items.map((e) => {
      const id = `email-${e.id}`;
      return html`<tr>
        <td id="${id}">${e.kind}</td>
        <td>${e.toAddress}</td>
        <td>${m.emailStatus[e.status]}</td>
        <td>${e.attempts}</td>
        <td>${e.lastError ?? ''}</td>
        <td>${when.format(e.createdAt)}</td>
        <td>
          ${e.status === 'failed' && actionForm(context, eventPath(slug, `/emails/${e.id}/retry`), m.retry, request.url, id, false)}
        </td>
      </tr>`;
    });
    await this.pages.send(reply, context, {
      title: `${m.emails} · ${event.title}`,
      noindex: true,
      styles: ['staff.css'],
      body: html`${await this.bar(context, m, request)} ${eventNav(m, event, 'emails')}
        <h1>${m.emails}: ${event.title}</h1>
        ${doneBanner(m, query)}
        <p class="muted">${m.timesIn({ zone: event.timezone })}</p>
        <form method="get" action="${eventPath(slug, '/emails')}" class="filters">
          ${selectField({
            name: 'status',
            label: m.statusLabel,
            value: status ?? '',
            choices: [
              { value: '', label: m.any },
              ...EMAIL_STATUSES.map((s) => ({ value: s, label: m.emailStatus[s] })),
            ],
          })}
          <button type="submit" class="button">${m.filter}</button>
        </form>
        ${
          rows.length === 0
            ? html`<p>${m.noneFound}</p>`
            : html`<div class="table-wrap">
                <table class="data">
                  <thead>
                    <tr>
                      <th scope="col">${m.emailKind}</th>
                      <th scope="col">${m.emailTo}</th>
                      <th scope="col">${m.statusLabel}</th>
                      <th scope="col">${m.emailAttempts}</th>
                      <th scope="col">${m.emailError}</th>
                      <th scope="col">${m.emailCreated}</th>
                      <th scope="col">${m.actions}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${rows}
                  </tbody>
                </table>
              </div>`
        }`,
    });
  }

  @Post('emails/:id/retry')
  async retry(
    @Param('slug') slug: string,
    @Param('id', UuidParamPipe) id: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.pages.verifyCsrf(request, form?.[CSRF_FIELD]);
    // The API's retry is addressed by email id alone; here it must be this event's email.
    const rows = await this.dataSource.query<unknown[]>(
      'SELECT 1 FROM emails m JOIN events e ON e.id = m.event_id WHERE m.id = $1 AND e.slug = $2',
      [id, slug],
    );
    if (rows.length === 0) throw new NotFoundError(`The email ${id}`, 'EMAIL_NOT_FOUND');
    await this.notifications.retry(id);
    await this.pages.redirect(reply, backTo(slug, field(form, 'back'), '/emails'));
  }

  @Get('attendance')
  async attendance(
    @Param('slug') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.attendancePage(slug, request, reply, null);
  }

  /** Multipart: the CSRF token is a field of the form, beside `file` and `sessionId`. */
  @Post('attendance/import')
  async importReport(
    @Param('slug') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const upload = await readReportUpload(request, [CSRF_FIELD]);
    this.pages.verifyCsrf(request, upload.extra[CSRF_FIELD]);
    const answer = await this.imports.import(slug, upload.bytes, upload.sessionId);
    await this.attendancePage(slug, request, reply, answer);
  }

  @Get('registrations.csv')
  async registrationsCsv(@Param('slug') slug: string, @Res() reply: FastifyReply): Promise<void> {
    await sendCsv(reply, await this.exports.registrations(slug));
  }

  @Get('list-of-participants.csv')
  async participantsCsv(@Param('slug') slug: string, @Res() reply: FastifyReply): Promise<void> {
    await sendCsv(reply, await this.exports.listOfParticipants(slug));
  }

  private contextOf(
    request: FastifyRequest,
    reply: FastifyReply,
    languages?: readonly ('en' | 'ru' | 'kk')[],
  ) {
    const context = this.pages.context(request, reply, languages);
    return { context, m: CONSOLE_CATALOGS[context.language] };
  }

  private async bar(
    context: PageContext,
    m: ConsoleMessages,
    request: FastifyRequest,
  ): Promise<SafeHtml> {
    const principal = await this.staff.principalOf(request);
    return principal ? sessionBar(context, m.signIn, principal, '/admin/sign-out') : html``;
  }

  private async overviewPage(
    slug: string,
    request: FastifyRequest,
    reply: FastifyReply,
    fieldErrors: FieldErrors,
    form: FormBody,
  ): Promise<void> {
    const event = await this.events.findBySlug(slug);
    const agenda = await this.sessions.agendaOf(event.id);
    const { context, m } = this.contextOf(request, reply, event.languages);
    const query = request.query as Record<string, string | undefined>;
    const when = new Intl.DateTimeFormat(context.t.locale, {
      timeZone: event.timezone,
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    await this.pages.send(reply, context, {
      title: event.title,
      status: fieldErrors.size > 0 ? 400 : 200,
      noindex: true,
      styles: ['staff.css'],
      body: html`${await this.bar(context, m, request)} ${eventNav(m, event, 'overview')}
        <h1>${event.title}</h1>
        ${doneBanner(m, query)}
        <dl class="facts">
          <dt>${m.statusLabel}</dt>
          <dd>${m.status[event.status]}</dd>
          <dt>${m.when}</dt>
          <dd>${eventWhen(context, event)}</dd>
          <dt>${m.format}</dt>
          <dd>${event.format}</dd>
          ${
            event.venueName !== null &&
            html`<dt>${m.venue}</dt>
              <dd>${event.venueName}</dd>`
          }
        </dl>
        <div class="actions">
          ${event.status !== 'cancelled' && html`<a class="button secondary" href="${eventPath(slug, '/edit')}">${m.editEvent}</a>`}
          ${event.status === 'draft' && postButton(context, eventPath(slug, '/publish'), m.publish)}
          ${event.status !== 'cancelled' && postButton(context, eventPath(slug, '/cancel'), m.cancelEvent, true)}
        </div>
        <h2>${m.sessions}</h2>
        ${
          agenda.length === 0
            ? html`<p>${m.noSessions}</p>`
            : html`<ul>
                ${agenda.map(
                  (s) =>
                    html`<li>
                      <strong>${when.formatRange(s.startsAt, s.endsAt)}</strong> —
                      ${s.title}${s.room && html` (${s.room})`}
                    </li>`,
                )}
              </ul>`
        }
        ${
          event.status !== 'cancelled' &&
          html`<h3>${m.addSession}</h3>
            ${errorSummary(context, fieldErrors)}
            <form method="post" action="${eventPath(slug, '/sessions')}">
              ${csrfField(context)}
              ${textField({ name: 'title', label: m.sessionTitle, required: true, value: field(form, 'title'), error: fieldErrors.get('title') })}
              ${textField({ name: 'startsAt', label: m.startsAt, hint: m.dateHint, required: true, value: field(form, 'startsAt'), error: fieldErrors.get('startsAt') })}
              ${textField({ name: 'endsAt', label: m.endsAt, hint: m.dateHint, required: true, value: field(form, 'endsAt'), error: fieldErrors.get('endsAt') })}
              ${textField({ name: 'room', label: m.room, value: field(form, 'room'), error: fieldErrors.get('room') })}
              <button type="submit" class="button">${m.save}</button>
            </form>`
        }`,
    });
  }

  private async editPage(
    slug: string,
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormBody,
    fieldErrors: FieldErrors,
  ): Promise<void> {
    const event = await this.events.findBySlug(slug);
    const { context, m } = this.contextOf(request, reply, event.languages);
    await this.pages.send(reply, context, {
      title: `${m.editEvent} · ${event.title}`,
      status: fieldErrors.size > 0 ? 400 : 200,
      noindex: true,
      styles: ['staff.css'],
      body: html`${await this.bar(context, m, request)} ${eventNav(m, event, 'overview')}
        <h1>${m.editEvent}: ${event.title}</h1>
        ${eventForm(context, m, eventPath(slug, '/edit'), form, fieldErrors, false)}`,
    });
  }

  private async attendancePage(
    slug: string,
    request: FastifyRequest,
    reply: FastifyReply,
    imported: Awaited<ReturnType<OnlineAttendanceImportService['import']>> | null,
  ): Promise<void> {
    const event = await this.events.findBySlug(slug);
    const agenda = await this.sessions.agendaOf(event.id);
    const summary = await this.summaries.summary(slug);
    const { context, m } = this.contextOf(request, reply, event.languages);
    await this.pages.send(reply, context, {
      title: `${m.attendance} · ${event.title}`,
      noindex: true,
      styles: ['staff.css'],
      body: html`${await this.bar(context, m, request)} ${eventNav(m, event, 'attendance')}
        <h1>${m.attendance}: ${event.title}</h1>
        ${
          imported &&
          html`<div class="banner ok" role="status" id="import-result">
            <p>
              ${m.importResult({ rows: imported.rows, matched: imported.matched, duplicates: imported.duplicatesIgnored })}
            </p>
            <h2>${m.unmatched}</h2>
            ${
              imported.unmatched.length === 0
                ? html`<p>${m.noUnmatched}</p>`
                : html`<ul class="unmatched">
                    ${imported.unmatched.map((u) => html`<li>${u.name}${u.email && html` &lt;${u.email}&gt;`}</li>`)}
                  </ul>`
            }
          </div>`
        }
        <section id="dashboard">${dashboard(context, m, summary)}</section>
        ${
          event.format !== 'in_person' &&
          html`<h2>${m.importHeading}</h2>
            <form
              method="post"
              action="${eventPath(slug, '/attendance/import')}"
              enctype="multipart/form-data"
            >
              ${csrfField(context)}
              <div class="field">
                <label for="f-file">${m.importFile}</label>
                <p class="hint" id="f-file-hint">${m.importHint}</p>
                <input
                  type="file"
                  id="f-file"
                  name="file"
                  accept=".csv,.txt,text/csv"
                  required
                  aria-describedby="f-file-hint"
                />
              </div>
              ${selectField({
                name: 'sessionId',
                label: m.importSession,
                choices: [
                  { value: '', label: m.wholeEvent },
                  ...agenda.map((s) => ({ value: s.id, label: s.title })),
                ],
              })}
              <button type="submit" class="button">${m.importSubmit}</button>
            </form>`
        }
        <h2>${m.exports}</h2>
        <ul>
          <li>
            <a href="${eventPath(slug, '/registrations.csv')}" download>${m.exportRegistrations}</a>
          </li>
          <li>
            <a href="${eventPath(slug, '/list-of-participants.csv')}" download
              >${m.exportParticipants}</a
            >
          </li>
        </ul>`,
    });
  }
}

function actionForm(
  context: PageContext,
  action: string,
  label: string,
  back: string,
  describedBy: string,
  secondary: boolean,
): SafeHtml {
  return html`<form method="post" action="${action}">
    ${csrfField(context)}
    <input type="hidden" name="back" value="${back}" />
    <button
      type="submit"
      class="${secondary ? 'button secondary' : 'button'}"
      aria-describedby="${describedBy}"
    >
      ${label}
    </button>
  </form>`;
}

/** Back to the list (with its filters) the form came from; only ever a page of this event. */
function backTo(slug: string, back: string, fallback: string): string {
  const base = eventPath(slug);
  const target =
    back.startsWith(`${base}/`) && !back.includes('//') ? back : eventPath(slug, fallback);
  const [path, query = ''] = target.split('?');
  const params = new URLSearchParams(query);
  params.set('done', '1');
  return `${path}?${params.toString()}`;
}

function doneBanner(
  m: ConsoleMessages,
  query: Record<string, string | undefined>,
): SafeHtml | false {
  return query.done === '1' && html`<div class="banner ok" role="status"><p>${m.done}</p></div>`;
}

function pick(query: Record<string, string | undefined>, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) if (query[key]) out[key] = query[key];
  return out;
}

async function sendCsv(reply: FastifyReply, file: CsvFile): Promise<void> {
  await reply
    .header('Content-Type', 'text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="${file.filename}"`)
    .header('Cache-Control', 'no-store')
    .header('X-Content-Type-Options', 'nosniff')
    .send(file.stream);
}
