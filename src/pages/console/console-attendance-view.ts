import type { AttendanceSummary } from '../../attendance/summary/attendance-summary.service';
import type { ImportAnswer } from '../../attendance/online-attendance/online-attendance-import.service';
import type { Event } from '../../events/event.entity';
import type { EventSession } from '../../events/sessions/event-session.entity';
import { csrfField, selectField } from '../shared/form';
import { html } from '../shared/html';
import type { PageContext } from '../shared/page-responder';
import type { ConsoleMessages } from './console-messages';
import type { ConsolePage } from './console-page.service';
import { dashboard, eventNav, eventPath, exportLinks } from './console-view';

/** The attendance dashboard, the platform-report import (with its result) and the exports. */
export function attendancePage(
  context: PageContext,
  m: ConsoleMessages,
  event: Event,
  agenda: EventSession[],
  summary: AttendanceSummary,
  imported: ImportAnswer | null,
): ConsolePage {
  const slug = event.slug;
  return {
    title: `${m.attendance} · ${event.title}`,
    body: html`${eventNav(m, event, 'attendance')}
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
      ${exportLinks(m, slug)}`,
  };
}
