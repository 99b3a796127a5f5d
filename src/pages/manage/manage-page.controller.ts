import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toString as qrToString } from 'qrcode';
import { Public } from '../../common/auth/auth.decorators';
import { ATTENDANCE_MODES, type AttendanceMode } from '../../events/event.entity';
import { ManageRegistrationService } from '../../participants/manage-registration.service';
import { RegistrationConflictError } from '../../participants/participants.errors';
import type { OwnRegistrationView } from '../../participants/registration.presenter';
import { formatRange, zoneLabel } from '../shared/dates';
import { field, type FormBody } from '../shared/form-body';
import { csrfField } from '../shared/form';
import { html, raw, type SafeHtml } from '../shared/html';
import { PageErrorFilter } from '../shared/page-error.filter';
import { type PageContext, PageResponder } from '../shared/page-responder';

const ACTIVE = ['pending', 'confirmed', 'waitlisted'];
type Notice = 'switched' | 'cancelled';

/** The check-in code as an inline SVG (no image request, nothing for CSP to allow). */
async function qrSvg(code: string, label: string): Promise<SafeHtml> {
  const svg = await qrToString(code, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  // The library's markup around a code of letters and digits; the label is escaped by html``.
  const labelled = html`<svg role="img" aria-label="${label}" `.value;
  return raw(svg.replace(/^<svg /, labelled));
}

/**
 * `/r/{manageToken}`: the participant's own page (the link in every email). Status, the QR
 * code (in person) or personal join link (online), switch mode and cancel, by form posts with
 * CSRF; the token is the only credential, so the page is no-store and no-referrer.
 */
@ApiExcludeController()
@Public({ rateLimited: true })
@UseFilters(PageErrorFilter)
@Controller('r')
export class ManagePageController {
  constructor(
    private readonly pages: PageResponder,
    private readonly manage: ManageRegistrationService,
  ) {}

  @Get(':token')
  async show(
    @Param('token') token: string,
    @Query('done') done: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const view = await this.manage.view(token);
    const context = this.pages.context(request, reply, [view.participant.language]);
    const notice = done === 'switched' || done === 'cancelled' ? done : undefined;
    await this.render(reply, context, token, view, notice);
  }

  @Post(':token/mode')
  async switchMode(
    @Param('token') token: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const view = await this.manage.view(token);
    const context = this.pages.context(request, reply, [view.participant.language]);
    this.pages.verifyCsrf(request, field(form, '_csrf'));
    const mode = field(form, 'attendanceMode');
    if (!(ATTENDANCE_MODES as readonly string[]).includes(mode)) {
      await this.render(reply, context, token, view, undefined, context.t.manage.notActive, 400);
      return;
    }
    try {
      await this.manage.switchMode(token, mode as AttendanceMode);
    } catch (error) {
      if (!(error instanceof RegistrationConflictError)) throw error;
      const message =
        error.code === 'MODE_FULL' ? context.t.manage.modeFull : context.t.manage.notActive;
      await this.render(reply, context, token, view, undefined, message, 409);
      return;
    }
    await this.pages.redirect(reply, `/r/${encodeURIComponent(token)}?done=switched`);
  }

  /** The confirmation step: cancelling takes two clicks, the second on this page. */
  @Get(':token/cancel')
  async confirmCancel(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const view = await this.manage.view(token);
    const context = this.pages.context(request, reply, [view.participant.language]);
    const { t } = context;
    await this.pages.send(reply, context, {
      title: t.manage.cancelHeading,
      noindex: true,
      body: html`<h1>${t.manage.cancelHeading}</h1>
        <p>${view.event.title} · <span class="reference">${view.reference}</span></p>
        <p>${t.manage.cancelQuestion}</p>
        <form method="post" action="/r/${token}/cancel" class="actions">
          ${csrfField(context)}
          <button type="submit" class="danger">${t.manage.cancelConfirm}</button>
          <a class="button secondary" href="/r/${token}">${t.manage.keep}</a>
        </form>`,
    });
  }

  @Post(':token/cancel')
  async cancel(
    @Param('token') token: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const view = await this.manage.view(token);
    const context = this.pages.context(request, reply, [view.participant.language]);
    this.pages.verifyCsrf(request, field(form, '_csrf'));
    try {
      await this.manage.cancel(token);
    } catch (error) {
      if (!(error instanceof RegistrationConflictError)) throw error;
      await this.render(reply, context, token, view, undefined, context.t.manage.notActive, 409);
      return;
    }
    await this.pages.redirect(reply, `/r/${encodeURIComponent(token)}?done=cancelled`);
  }

  private async render(
    reply: FastifyReply,
    context: PageContext,
    token: string,
    view: OwnRegistrationView,
    notice?: Notice,
    problem?: string,
    status = 200,
  ): Promise<void> {
    const { t } = context;
    const m = t.manage;
    const event = view.event;
    const [start, end] = [new Date(event.startsAt), new Date(event.endsAt)];
    const active = ACTIVE.includes(view.status) && event.status !== 'cancelled';
    const other: AttendanceMode = view.attendanceMode === 'in_person' ? 'online' : 'in_person';
    const qr =
      view.checkinCode !== null
        ? await qrSvg(view.checkinCode, m.qrLabel({ reference: view.reference }))
        : null;
    await this.pages.send(reply, context, {
      title: `${m.title}: ${event.title}`,
      status,
      languagePath: `/r/${token}`,
      noindex: true,
      body: html`<h1>${m.title}</h1>
        <p>${event.title}</p>
        ${notice && html`<div class="banner ok" role="status"><p>${m[notice]}</p></div>`}
        ${problem && html`<div class="banner bad" role="alert"><p>${problem}</p></div>`}
        ${
          event.status === 'cancelled' &&
          html`<div class="banner bad"><p>${t.event.cancelled}</p></div>`
        }
        <dl class="facts">
          <dt>${t.confirmation.reference}</dt>
          <dd class="reference">${view.reference}</dd>
          <dt>${t.confirmation.status}</dt>
          <dd><span class="status ${view.status}">${t.statuses[view.status]}</span></dd>
          <dt>${t.confirmation.mode}</dt>
          <dd>${t.event.modes[view.attendanceMode]}</dd>
          <dt>${t.event.when}</dt>
          <dd>
            ${formatRange(t, event.timezone, start, end)} (${zoneLabel(t, event.timezone, start)})
          </dd>
          ${
            event.venue &&
            html`<dt>${t.event.venue}</dt>
              <dd>
                ${event.venue.name}${event.venue.address && html`<br />${event.venue.address}`}
              </dd>`
          }
        </dl>
        ${
          qr &&
          html`<h2>${m.qrHeading}</h2>
            <div class="qr">${qr}</div>
            <p>${m.qrText}</p>`
        }
        ${
          view.joinUrl &&
          html`<h2>${m.joinHeading}</h2>
            <p><a href="${view.joinUrl}">${view.joinUrl}</a></p>
            <p>${m.joinText}</p>`
        }
        ${
          view.sessions.length > 0 &&
          html`<h2>${m.yourSessions}</h2>
            <ul>
              ${view.sessions.map((s) => html`<li>${s.title}</li>`)}
            </ul>`
        }
        ${
          active &&
          event.format === 'hybrid' &&
          html`<h2>${m.switchHeading}</h2>
            <p>${m.switchText}</p>
            <form method="post" action="/r/${token}/mode">
              ${csrfField(context)}
              <input type="hidden" name="attendanceMode" value="${other}" />
              <button type="submit" class="secondary">
                ${m.switchTo({ mode: t.event.modes[other] })}
              </button>
            </form>`
        }
        ${
          active &&
          html`<h2>${m.cancelHeading}</h2>
            <p><a class="button secondary" href="/r/${token}/cancel">${m.cancelButton}</a></p>`
        }`,
    });
  }
}
