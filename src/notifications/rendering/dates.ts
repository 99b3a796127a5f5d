import type { Messages } from './messages';

/**
 * Building an Intl.DateTimeFormat costs far more than using one (a burst of emails spent ~5 %
 * of its time here), and every email of an event asks for the same few: keep them.
 */
const formats = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    if (formats.size > 1000) formats.clear();
    format = new Intl.DateTimeFormat(locale, options);
    formats.set(key, format);
  }
  return format;
}

/**
 * An event's dates read the same in every email of a burst (formatRange was still ~2 % of its
 * CPU): the formatted text is kept per catalog, for a bounded number of moments.
 */
const texts = new WeakMap<Messages, Map<string, string>>();
function remembered(messages: Messages, key: string, format: () => string): string {
  let known = texts.get(messages);
  if (!known) texts.set(messages, (known = new Map<string, string>()));
  let text = known.get(key);
  if (text === undefined) {
    if (known.size > 1000) known.clear();
    text = format();
    known.set(key, text);
  }
  return text;
}

/**
 * Dates and times of an event as its participants read them: in the event's own time zone, in
 * the language's locale, with the zone named (IANA name and UTC offset at that moment).
 */

/** The zone's offset at a moment, e.g. "GMT+6" (Asia/Almaty in 2023) or "GMT+5" (from 2024). */
export function zoneOffset(locale: string, timeZone: string, at: Date): string {
  const part = dateTimeFormat(locale, { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? 'UTC';
}

/**
 * "Wednesday, 7 June 2023, 09:00–17:00 (time zone Asia/Almaty, GMT+6)"; the date repeats
 * when the end falls on another day.
 */
export function formatWhen(messages: Messages, timeZone: string, start: Date, end: Date): string {
  return remembered(messages, `when|${timeZone}|${start.getTime()}|${end.getTime()}`, () => {
    const range = dateTimeFormat(messages.locale, {
      timeZone,
      dateStyle: 'full',
      timeStyle: 'short',
    }).formatRange(start, end);
    const zone = messages.zone({
      zone: timeZone,
      offset: zoneOffset(messages.locale, timeZone, start),
    });
    return `${range} (${zone})`;
  });
}

/** "7 June 2023", "7 июня 2023 г.", "2023 ж. 7 маусым". */
export function formatDate(messages: Messages, timeZone: string, date: Date): string {
  return remembered(messages, `date|${timeZone}|${date.getTime()}`, () =>
    dateTimeFormat(messages.locale, { timeZone, dateStyle: 'long' }).format(date),
  );
}

/** The local calendar day of a moment, to compare days. */
function localDay(timeZone: string, date: Date): string {
  return dateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(date);
}

/**
 * A session's time: "10:00–11:30" when the event lies within one local day, otherwise with the
 * date, e.g. "8 Jun 2023, 10:00–11:30".
 */
export function formatSessionTime(
  messages: Messages,
  timeZone: string,
  event: { startsAt: Date; endsAt: Date },
  start: Date,
  end: Date,
): string {
  const oneDay = localDay(timeZone, event.startsAt) === localDay(timeZone, event.endsAt);
  return dateTimeFormat(messages.locale, {
    timeZone,
    ...(oneDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }),
  }).formatRange(start, end);
}
