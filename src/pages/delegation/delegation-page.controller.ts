import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { modesOf } from '../../events/event.entity';
import { EventsService } from '../../events/events.service';
import { DelegationMembersService } from '../../participants/delegation-members.service';
import type { DelegationView } from '../../participants/delegation.presenter';
import { DelegationsService } from '../../participants/delegations.service';
import { AddDelegationMemberDto } from '../../participants/dto/create-delegation.dto';
import {
  DelegationConflictError,
  RegistrationConflictError,
  RegistrationNotFoundError,
} from '../../participants/participants.errors';
import { localiseErrors } from '../event/registration-form';
import { field, type FormBody } from '../shared/form-body';
import {
  checkboxField,
  choiceGroup,
  csrfField,
  errorSummary,
  type FieldErrors,
  textField,
  validateAs,
} from '../shared/form';
import { html } from '../shared/html';
import { PageErrorFilter } from '../shared/page-error.filter';
import { type PageContext, PageResponder } from '../shared/page-responder';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACTIVE = ['pending', 'confirmed', 'waitlisted'];

interface MemberValues {
  email: string;
  givenName: string;
  familyName: string;
  position: string;
  attendanceMode: string;
  consentData: boolean;
  consentList: boolean;
}

const emptyMember: MemberValues = {
  email: '',
  givenName: '',
  familyName: '',
  position: '',
  attendanceMode: '',
  consentData: false,
  consentList: false,
};

const fullName = (m: { givenName: string; familyName: string }) => `${m.givenName} ${m.familyName}`;

/**
 * `/d/{manageToken}`: the head of delegation's page (the link in the summary email): every
 * member with mode, status and reference; add a member; cancel one (with a confirmation step).
 */
@ApiExcludeController()
@Public({ rateLimited: true })
@UseFilters(PageErrorFilter)
@Controller('d')
export class DelegationPageController {
  constructor(
    private readonly pages: PageResponder,
    private readonly delegations: DelegationsService,
    private readonly members: DelegationMembersService,
    private readonly events: EventsService,
  ) {}

  @Get(':token')
  async show(
    @Param('token') token: string,
    @Query('done') done: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const view = await this.delegations.view(token);
    const context = this.pages.context(request, reply, [view.language]);
    const notice =
      done === 'added'
        ? context.t.delegation.added
        : done === 'cancelled'
          ? context.t.delegation.memberCancelled
          : undefined;
    await this.render(reply, context, token, view, emptyMember, new Map(), notice);
  }

  @Post(':token/members')
  async add(
    @Param('token') token: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const view = await this.delegations.view(token);
    const context = this.pages.context(request, reply, [view.language]);
    this.pages.verifyCsrf(request, field(form, '_csrf'));
    const values: MemberValues = {
      email: field(form, 'email').trim(),
      givenName: field(form, 'givenName').trim(),
      familyName: field(form, 'familyName').trim(),
      position: field(form, 'position').trim(),
      attendanceMode: field(form, 'attendanceMode'),
      consentData: field(form, 'consent.dataProcessing') === 'yes',
      consentList: field(form, 'consent.listOfParticipants') === 'yes',
    };
    const { dto, errors } = await validateAs(AddDelegationMemberDto, {
      email: values.email,
      givenName: values.givenName,
      familyName: values.familyName,
      ...(values.position ? { position: values.position } : {}),
      attendanceMode: values.attendanceMode,
      consent: { dataProcessing: values.consentData, listOfParticipants: values.consentList },
    });
    const { t } = context;
    let fieldErrors = localiseErrors(t, errors);
    let problem: string | undefined;
    if (errors.length === 0) {
      try {
        await this.members.add(token, dto);
        await this.pages.redirect(reply, `/d/${encodeURIComponent(token)}?done=added`);
        return;
      } catch (error) {
        if (error instanceof ValidationFailedError) {
          fieldErrors = localiseErrors(t, error.fieldErrors ?? []);
        } else if (error instanceof DelegationConflictError) {
          if (error.code === 'ALREADY_REGISTERED') {
            fieldErrors = new Map([['email', t.delegation.alreadyRegistered]]);
          } else problem = t.delegation.full;
        } else if (error instanceof RegistrationConflictError) {
          problem = error.code === 'MODE_FULL' ? t.register.modeFullError : t.register.closed;
        } else throw error;
      }
    }
    await this.render(reply, context, token, view, values, fieldErrors, undefined, problem, 400);
  }

  @Get(':token/members/:registrationId/cancel')
  async confirmCancel(
    @Param('token') token: string,
    @Param('registrationId') registrationId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const view = await this.delegations.view(token);
    const member = view.members.find((m) => m.registrationId === registrationId);
    if (!member) throw new RegistrationNotFoundError();
    const context = this.pages.context(request, reply, [view.language]);
    const { t } = context;
    const name = fullName(member);
    await this.pages.send(reply, context, {
      title: t.delegation.cancelMember({ name }),
      noindex: true,
      body: html`<h1>${t.delegation.cancelMember({ name })}</h1>
        <p>${t.delegation.cancelQuestion({ name })}</p>
        <form
          method="post"
          action="/d/${token}/members/${member.registrationId}/cancel"
          class="actions"
        >
          ${csrfField(context)}
          <button type="submit" class="danger">${t.delegation.cancelMember({ name })}</button>
          <a class="button secondary" href="/d/${token}">${t.manage.keep}</a>
        </form>`,
    });
  }

  @Post(':token/members/:registrationId/cancel')
  async cancel(
    @Param('token') token: string,
    @Param('registrationId') registrationId: string,
    @Body() form: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!UUID.test(registrationId)) throw new RegistrationNotFoundError();
    const view = await this.delegations.view(token);
    const context = this.pages.context(request, reply, [view.language]);
    this.pages.verifyCsrf(request, field(form, '_csrf'));
    try {
      await this.members.cancel(token, registrationId);
    } catch (error) {
      if (!(error instanceof RegistrationConflictError)) throw error;
      const problem = context.t.manage.notActive;
      await this.render(
        reply,
        context,
        token,
        view,
        emptyMember,
        new Map(),
        undefined,
        problem,
        409,
      );
      return;
    }
    await this.pages.redirect(reply, `/d/${encodeURIComponent(token)}?done=cancelled`);
  }

  private async render(
    reply: FastifyReply,
    context: PageContext,
    token: string,
    view: DelegationView,
    values: MemberValues,
    errors: FieldErrors,
    notice?: string,
    problem?: string,
    status = 200,
  ): Promise<void> {
    const { t } = context;
    const d = t.delegation;
    const event = await this.events.findBySlug(view.event.slug);
    const active = view.members.filter((m) => ACTIVE.includes(m.status)).length;
    // A list of cards rather than a table: it reads the same on a phone and a desktop.
    const rows = view.members.map(
      (m) =>
        html`<li>
          <h3>${fullName(m)}${m.isHead && html` <span class="muted">(${d.head})</span>`}</h3>
          <p class="muted">${m.email}</p>
          <dl class="facts">
            <dt>${d.status}</dt>
            <dd><span class="status ${m.status}">${t.statuses[m.status]}</span></dd>
            <dt>${d.mode}</dt>
            <dd>${t.event.modes[m.attendanceMode]}</dd>
            <dt>${d.reference}</dt>
            <dd>${m.reference}</dd>
          </dl>
          ${
            ACTIVE.includes(m.status) &&
            html`<p>
              <a href="/d/${token}/members/${m.registrationId}/cancel"
                >${d.cancelMember({ name: fullName(m) })}</a
              >
            </p>`
          }
        </li>`,
    );
    const error = (name: string) => errors.get(name);
    await this.pages.send(reply, context, {
      title: d.title({ name: view.name }),
      status,
      languagePath: `/d/${token}`,
      noindex: true,
      body: html`<h1>${d.title({ name: view.name })}</h1>
        <p>${view.event.title} · ${view.organisation}</p>
        ${notice && html`<div class="banner ok" role="status"><p>${notice}</p></div>`}
        ${problem && html`<div class="banner bad" role="alert"><p>${problem}</p></div>`}
        <h2>${d.members}</h2>
        <p>${d.count({ count: active, max: view.event.maxDelegationSize })}</p>
        <ul class="members">
          ${rows}
        </ul>
        <h2>${d.addHeading}</h2>
        <form method="post" action="/d/${token}/members" novalidate>
          ${csrfField(context)} ${errorSummary(context, errors)}
          ${textField({
            name: 'email',
            label: t.register.email,
            type: 'email',
            value: values.email,
            error: error('email'),
            required: true,
          })}
          ${textField({
            name: 'givenName',
            label: t.register.givenName,
            value: values.givenName,
            error: error('givenName'),
            required: true,
          })}
          ${textField({
            name: 'familyName',
            label: t.register.familyName,
            value: values.familyName,
            error: error('familyName'),
            required: true,
          })}
          ${textField({
            name: 'position',
            label: t.register.position,
            value: values.position,
            error: error('position'),
          })}
          ${choiceGroup({
            name: 'attendanceMode',
            legend: t.register.mode,
            type: 'radio',
            choices: modesOf(event.format).map((mode) => ({
              value: mode,
              label: t.event.modes[mode],
            })),
            values: [values.attendanceMode],
            error: error('attendanceMode'),
            required: true,
          })}
          ${checkboxField({
            name: 'consent.dataProcessing',
            label: d.consentForMember,
            checked: values.consentData,
            error: error('consent.dataProcessing'),
            required: true,
          })}
          ${checkboxField({
            name: 'consent.listOfParticipants',
            label: t.register.consentList,
            checked: values.consentList,
            error: error('consent.listOfParticipants'),
          })}
          <button type="submit">${d.addButton}</button>
        </form>`,
    });
  }
}
