import type { Event } from '../../events/event.entity';
import type { EventSession } from '../../events/sessions/event-session.entity';
import { csrfField, errorSummary, textField, type FieldErrors } from '../shared/form';
import { field, type FormBody } from '../shared/form-body';
import { html, type SafeHtml } from '../shared/html';
import type { PageContext } from '../shared/page-responder';
import { eventForm } from './console-event-form';
import type { ConsoleMessages } from './console-messages';
import { statusOf, type ConsolePage, type Query } from './console-page.service';
import {
  doneBanner,
  eventNav,
  eventPath,
  eventWhen,
  postButton,
  sessionPath,
} from './console-view';

/** An event's overview: its facts, publish/cancel, its agenda and the form to add a session. */
export function overviewPage(
  context: PageContext,
  m: ConsoleMessages,
  event: Event,
  agenda: EventSession[],
  query: Query,
  form: FormBody,
  fieldErrors: FieldErrors,
): ConsolePage {
  const slug = event.slug;
  const when = new Intl.DateTimeFormat(context.t.locale, {
    timeZone: event.timezone,
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return {
    title: event.title,
    status: statusOf(fieldErrors),
    body: html`${eventNav(m, event, 'overview')}
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
                    ${
                      event.status !== 'cancelled' &&
                      html`—
                        <a href="${sessionPath(slug, s.id, '/edit')}"
                          >${m.edit}<span class="visually-hidden">: ${s.title}</span></a
                        >`
                    }
                  </li>`,
              )}
            </ul>`
      }
      ${
        event.status !== 'cancelled' &&
        html`<h3>${m.addSession}</h3>
          ${errorSummary(context, fieldErrors)}
          ${sessionForm(context, m, eventPath(slug, '/sessions'), form, fieldErrors)}`
      }`,
  };
}

/** The event form filled with `form`, errors beside their fields. */
export function editPage(
  context: PageContext,
  m: ConsoleMessages,
  event: Event,
  form: FormBody,
  fieldErrors: FieldErrors,
): ConsolePage {
  return {
    title: `${m.editEvent} · ${event.title}`,
    status: statusOf(fieldErrors),
    body: html`${eventNav(m, event, 'overview')}
      <h1>${m.editEvent}: ${event.title}</h1>
      ${eventForm(context, m, eventPath(event.slug, '/edit'), form, fieldErrors, false)}`,
  };
}

/**
 * One session's form filled with `form`, errors beside their fields, and below it the button
 * that removes the session, with what removing it takes away said beside it.
 */
export function sessionEditPage(
  context: PageContext,
  m: ConsoleMessages,
  event: Event,
  session: EventSession,
  form: FormBody,
  fieldErrors: FieldErrors,
): ConsolePage {
  const path = (rest: string) => sessionPath(event.slug, session.id, rest);
  return {
    title: `${m.editSession} · ${session.title}`,
    status: statusOf(fieldErrors),
    body: html`${eventNav(m, event, 'overview')}
      <h1>${m.editSession}: ${session.title}</h1>
      ${errorSummary(context, fieldErrors)}
      ${sessionForm(context, m, path('/edit'), form, fieldErrors)}
      <h2>${m.removeSession}</h2>
      <p id="remove-warning">${m.removeSessionWarning}</p>
      ${postButton(context, path('/delete'), m.removeSession, true, 'remove-warning')}`,
  };
}

/** The fields of a session, named as the API's DTO paths so its errors land beside them. */
function sessionForm(
  context: PageContext,
  m: ConsoleMessages,
  action: string,
  form: FormBody,
  fieldErrors: FieldErrors,
): SafeHtml {
  return html`<form method="post" action="${action}">
    ${csrfField(context)}
    ${textField({ name: 'title', label: m.sessionTitle, required: true, value: field(form, 'title'), error: fieldErrors.get('title') })}
    ${textField({ name: 'startsAt', label: m.startsAt, hint: m.dateHint, required: true, value: field(form, 'startsAt'), error: fieldErrors.get('startsAt') })}
    ${textField({ name: 'endsAt', label: m.endsAt, hint: m.dateHint, required: true, value: field(form, 'endsAt'), error: fieldErrors.get('endsAt') })}
    ${textField({ name: 'room', label: m.room, value: field(form, 'room'), error: fieldErrors.get('room') })}
    <button type="submit" class="button">${m.save}</button>
  </form>`;
}
