import type { Event } from '../../events/event.entity';
import type { Page } from '../../common/http/paging';
import type { StaffRegistrationView } from '../../participants/registration.presenter';
import { errorSummary, selectField, textField, type FieldErrors } from '../shared/form';
import { html } from '../shared/html';
import type { PageContext } from '../shared/page-responder';
import type { ConsoleMessages } from './console-messages';
import type { ConsolePage, Query } from './console-page.service';
import { actionForm, doneBanner, eventNav, eventPath, exportLinks } from './console-view';

export const ACTIONS = ['approve', 'decline', 'cancel', 'resend'] as const;
export type Action = (typeof ACTIONS)[number];

/** The registrations of an event, filtered, each with the decisions its status allows. */
export function registrationsPage(
  context: PageContext,
  m: ConsoleMessages,
  event: Event,
  page: Page<StaffRegistrationView>,
  query: Query,
  back: string,
  fieldErrors: FieldErrors,
): ConsolePage {
  const slug = event.slug;
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
  return {
    title: `${m.registrations} · ${event.title}`,
    body: html`${eventNav(m, event, 'registrations')}
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
      ${next && html`<p><a href="${next}">${m.more}</a></p>`} ${exportLinks(m, slug)}`,
  };
}

function pick(query: Query, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) if (query[key]) out[key] = query[key];
  return out;
}
