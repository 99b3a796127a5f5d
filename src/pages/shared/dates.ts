import type { PageMessages } from '../page-messages';

/** Dates and times as the event's people read them: in the event's time zone, zone named. */

function zonePart(locale: string, timeZone: string, at: Date, style: 'long' | 'shortOffset') {
  return (
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: style })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? timeZone
  );
}

/** "Kazakhstan Time, GMT+5" (the zone's name in the page's language and its offset then). */
export function zoneLabel(t: PageMessages, timeZone: string, at: Date): string {
  const name = zonePart(t.locale, timeZone, at, 'long');
  const offset = zonePart(t.locale, timeZone, at, 'shortOffset');
  // Zones without a localised name come back as an offset already: then show the IANA name.
  return t.common.zone({ name: /^(GMT|UTC)/.test(name) ? timeZone : name, offset });
}

/** "Sunday, 7 June 2026, 09:00–17:00"; the date repeats when the end is on another day. */
export function formatRange(t: PageMessages, timeZone: string, start: Date, end: Date): string {
  return new Intl.DateTimeFormat(t.locale, {
    timeZone,
    dateStyle: 'full',
    timeStyle: 'short',
  }).formatRange(start, end);
}

/** "10:00–11:30" within one local day, else with the date. */
export function formatTimeRange(
  t: PageMessages,
  timeZone: string,
  start: Date,
  end: Date,
  withDate: boolean,
): string {
  return new Intl.DateTimeFormat(t.locale, {
    timeZone,
    ...(withDate ? { dateStyle: 'medium', timeStyle: 'short' } : { timeStyle: 'short' }),
  }).formatRange(start, end);
}

/** Whether two moments fall on the same calendar day in the zone. */
export function sameLocalDay(timeZone: string, a: Date, b: Date): boolean {
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(d);
  return day(a) === day(b);
}
