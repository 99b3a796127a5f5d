import type { Page } from '../../common/http/paging';
import type { Event } from '../../events/event.entity';
import type { Email } from '../../notifications/email.entity';
import { EMAIL_STATUSES, type EmailStatus } from '../../notifications/email-request';
import { selectField } from '../shared/form';
import { html } from '../shared/html';
import type { PageContext } from '../shared/page-responder';
import type { ConsoleMessages } from './console-messages';
import type { ConsolePage, Query } from './console-page.service';
import { actionForm, doneBanner, eventNav, eventPath } from './console-view';

/** The email log of an event, filtered by status; a failed email can be retried. */
export function emailsPage(
  context: PageContext,
  m: ConsoleMessages,
  event: Event,
  page: Page<Email>,
  status: EmailStatus | undefined,
  query: Query,
  back: string,
): ConsolePage {
  const slug = event.slug;
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
        ${e.status === 'failed' && actionForm(context, eventPath(slug, `/emails/${e.id}/retry`), m.retry, back, id, false)}
      </td>
    </tr>`;
  });
  return {
    title: `${m.emails} · ${event.title}`,
    body: html`${eventNav(m, event, 'emails')}
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
  };
}
