import type {
  AttendanceSummary,
  ModeCounts,
} from '../../attendance/summary/attendance-summary.service';
import type { Event } from '../../events/event.entity';
import { formatRange, zoneLabel } from '../shared/dates';
import { csrfField } from '../shared/form';
import { attrs, html, type SafeHtml } from '../shared/html';
import type { PageContext } from '../shared/page-responder';
import type { ConsoleMessages } from './console-messages';

export const eventPath = (slug: string, rest = '') =>
  `/admin/events/${encodeURIComponent(slug)}${rest}`;

/** `/admin/events/{slug}/sessions/{id}{rest}`. */
export const sessionPath = (slug: string, sessionId: string, rest = '') =>
  eventPath(slug, `/sessions/${encodeURIComponent(sessionId)}${rest}`);

type Section = keyof ConsoleMessages['nav'];

/** The tabs of an event's console pages; the current one marked for screen readers too. */
export function eventNav(m: ConsoleMessages, event: Event, current: Section): SafeHtml {
  const tabs: [Section, string][] = [
    ['overview', ''],
    ['registrations', '/registrations'],
    ['emails', '/emails'],
    ['attendance', '/attendance'],
  ];
  return html`<nav class="console-nav" aria-label="${event.title}">
    <ul>
      <li><a href="/admin">${m.events}</a></li>
      ${tabs.map(
        ([key, rest]) =>
          html`<li>
            <a${attrs({ href: eventPath(event.slug, rest), 'aria-current': key === current ? 'page' : undefined })}
              >${m.nav[key]}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}

export function eventWhen(context: PageContext, event: Event): string {
  return `${formatRange(context.t, event.timezone, event.startsAt, event.endsAt)} (${zoneLabel(
    context.t,
    event.timezone,
    event.startsAt,
  )})`;
}

/** A one-button form posting to `action` (CSRF included): approve, retry, publish… */
export function postButton(
  context: PageContext,
  action: string,
  label: string,
  secondary = false,
  describedBy?: string,
): SafeHtml {
  return html`<form method="post" action="${action}">
    ${csrfField(context)}
    <button${attrs({
      type: 'submit',
      class: secondary ? 'button secondary' : 'button',
      'aria-describedby': describedBy,
    })}>
      ${label}
    </button>
  </form>`;
}

const percent = (rate: number | null, locale: string) =>
  rate === null
    ? '–'
    : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);

/**
 * One bar of a chart: an inline SVG whose rect width is the rate (no style attribute, which
 * the CSP forbids), with the numbers beside it as text so that nothing is only a picture.
 */
function barRow(
  context: PageContext,
  m: ConsoleMessages,
  label: string,
  c: { attended: number; confirmed: number; rate: number | null },
): SafeHtml {
  const width = Math.round((c.rate ?? 0) * 1000) / 10;
  const text = m.rateOf({
    attended: c.attended,
    confirmed: c.confirmed,
    rate: percent(c.rate, context.t.locale),
  });
  return html`<div class="chart-row">
    <span>${label}</span>
    <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      <rect x="0" y="0" height="10" width="${String(width)}"></rect>
    </svg>
    <span class="chart-value">${text}</span>
  </div>`;
}

function modeNumbers(m: ConsoleMessages, label: string, c: ModeCounts, locale: string): SafeHtml {
  const cells: [string, string][] = [
    [m.registered, String(c.registered)],
    [m.confirmed, String(c.confirmed)],
    [m.waitlisted, String(c.waitlisted)],
    [m.attended, String(c.attended)],
    [m.noShows, String(c.noShows)],
    [m.rate, percent(c.rate, locale)],
  ];
  return html`<h3>${label}</h3>
    <dl class="numbers" data-mode="${label}">
      ${cells.map(
        ([dt, dd]) =>
          html`<div>
            <dt>${dt}</dt>
            <dd>${dd}</dd>
          </div>`,
      )}
    </dl>`;
}

/** The attendance summary as numbers and bar charts: per mode, stakeholder type and session. */
export function dashboard(
  context: PageContext,
  m: ConsoleMessages,
  summary: AttendanceSummary,
): SafeHtml {
  const locale = context.t.locale;
  const modes = (['inPerson', 'online'] as const).filter((k) => summary.modes[k]);
  const modeName = (k: 'inPerson' | 'online') => m.modes[k === 'inPerson' ? 'in_person' : 'online'];
  return html`<h2>${m.byMode}</h2>
    ${modes.map((k) => modeNumbers(m, modeName(k), summary.modes[k]!, locale))}
    <div class="chart">${modes.map((k) => barRow(context, m, modeName(k), summary.modes[k]!))}</div>
    ${
      summary.modes.online &&
      html`<p>
        ${m.onlineMinutes({
          total: summary.onlineMinutes.total,
          average:
            summary.onlineMinutes.averageOfAttended === null
              ? '–'
              : new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(
                  summary.onlineMinutes.averageOfAttended,
                ),
        })}
      </p>`
    }
    <h2>${m.byStakeholder}</h2>
    ${modes.map((k) => {
      const byType = summary.byStakeholderType[k] ?? {};
      const rows = Object.entries<ModeCounts>(byType).filter(([, c]) => c.registered > 0);
      return html`<h3>${modeName(k)}</h3>
        <div class="chart">
          ${rows.map(([type, c]) => barRow(context, m, m.stakeholders[type] ?? type, c))}
        </div>`;
    })}
    ${
      summary.sessions.length > 0 &&
      html`<h2>${m.bySession}</h2>
        ${summary.sessions.map(
          (s) =>
            html`<h3>${s.title}</h3>
              <div class="chart">
                ${modes.map((k) => s[k] && barRow(context, m, modeName(k), s[k]))}
              </div>`,
        )}`
    }`;
}

/** A one-button form for a row of a list: it posts `back`, the list with its filters. */
export function actionForm(
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

export function doneBanner(
  m: ConsoleMessages,
  query: Record<string, string | undefined>,
): SafeHtml | false {
  return query.done === '1' && html`<div class="banner ok" role="status"><p>${m.done}</p></div>`;
}

/** The CSV exports of an event, under the registrations and the attendance pages. */
export function exportLinks(m: ConsoleMessages, slug: string): SafeHtml {
  return html`<h2>${m.exports}</h2>
    <ul>
      <li>
        <a href="${eventPath(slug, '/registrations.csv')}" download>${m.exportRegistrations}</a>
      </li>
      <li>
        <a href="${eventPath(slug, '/list-of-participants.csv')}" download
          >${m.exportParticipants}</a
        >
      </li>
    </ul>`;
}
