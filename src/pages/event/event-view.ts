import { modesOf, type Event } from '../../events/event.entity';
import type { EventSession } from '../../events/sessions/event-session.entity';
import { formatRange, formatTimeRange, sameLocalDay, zoneLabel } from '../shared/dates';
import { html, type SafeHtml } from '../shared/html';
import type { PageContext } from '../shared/page-responder';

/** Seats left in a mode, from the counters the registrations keep. */
export function seatsLeft(event: Event, mode: 'in_person' | 'online'): number {
  const [capacity, taken] =
    mode === 'in_person'
      ? [event.capacityInPerson ?? 0, event.seatsTakenInPerson]
      : [event.capacityOnline ?? 0, event.seatsTakenOnline];
  return Math.max(0, capacity - taken);
}

/** "Sunday, 7 June 2026, 09:00–17:00 (Kazakhstan Time, GMT+5)" in the event's zone. */
export function eventWhen(context: PageContext, event: Event): string {
  const range = formatRange(context.t, event.timezone, event.startsAt, event.endsAt);
  return `${range} (${zoneLabel(context.t, event.timezone, event.startsAt)})`;
}

/** The facts of an event: when, where, online, and the places left in each mode. */
export function eventFacts(context: PageContext, event: Event): SafeHtml {
  const { t } = context;
  const seats = modesOf(event.format).map((mode) => {
    const remaining = seatsLeft(event, mode);
    const label = t.event.modes[mode];
    return html`<li>
      ${remaining > 0 ? t.event.seatsOf({ mode: label, remaining }) : t.event.full({ mode: label })}
    </li>`;
  });
  return html`<dl class="facts">
      <dt>${t.event.when}</dt>
      <dd>${eventWhen(context, event)}</dd>
      ${
        event.venueName !== null &&
        html`<dt>${t.event.venue}</dt>
          <dd>${event.venueName}${event.venueAddress && html`<br />${event.venueAddress}`}</dd>`
      }
      ${
        event.format !== 'in_person' &&
        html`<dt>${t.event.online}</dt>
          <dd>${t.event.onlineText}</dd>`
      }
    </dl>
    ${
      event.status !== 'cancelled' &&
      html`<h2>${t.event.seatsLeft}</h2>
        <ul class="seats">
          ${seats}
        </ul>`
    }`;
}

/** The programme: each session's local time, room and speakers. */
export function agendaList(context: PageContext, event: Event, agenda: EventSession[]): SafeHtml {
  if (agenda.length === 0) return html``;
  const { t } = context;
  const withDate = !sameLocalDay(event.timezone, event.startsAt, event.endsAt);
  const items = agenda.map(
    (s) =>
      html`<li>
        <strong>${formatTimeRange(t, event.timezone, s.startsAt, s.endsAt, withDate)}</strong>
        — ${s.title}
        ${s.room && html`<br /><span class="muted">${t.event.room({ room: s.room })}</span>`}
        ${
          s.speakers.length > 0 &&
          html`<br /><span class="muted">${t.event.speakers}: ${s.speakers.join(', ')}</span>`
        }
      </li>`,
  );
  return html`<h2>${t.event.agenda}</h2>
    <ul class="agenda">
      ${items}
    </ul>`;
}
