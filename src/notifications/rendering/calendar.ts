/**
 * One iCalendar (RFC 5545) event, written by hand rather than with the `ics` package: that
 * package folds long lines every 75 characters, not 75 octets, so a Russian or Kazakh title (two
 * octets a letter) gives lines of up to 150 octets. Here lines fold by octets without splitting a
 * UTF-8 sequence, text values are escaped, and times are UTC.
 */

export interface CalendarEntry {
  /** PUBLISH adds or updates the entry; CANCEL removes it (RFC 5546). */
  method: 'PUBLISH' | 'CANCEL';
  /** Stable per registration, so a later email replaces the same entry. */
  uid: string;
  /** Grows with each update of the same entry. */
  sequence: number;
  /** When this version of the entry was made. */
  stamp: Date;
  start: Date;
  end: Date;
  summary: string;
  location?: string;
  description?: string;
  url?: string;
}

/** RFC 5545 3.3.5 "form #2": UTC date and time, e.g. 20230607T030000Z. */
export function icsUtc(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid date in a calendar entry.');
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

// eslint-disable-next-line no-control-regex -- TEXT may not hold control characters but tab
const TEXT_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** RFC 5545 3.3.11 TEXT: backslash, semicolon and comma escaped; line breaks as \n. */
export function icsText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(TEXT_CONTROL, '')
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n');
}

/**
 * RFC 5545 3.1: a content line longer than 75 octets continues on the next line after CRLF and
 * one space. Code points are never split, so a multi-octet letter stays whole.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74; // the leading space of a continuation line counts
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

export function buildCalendar(entry: CalendarEntry): string {
  if (!Number.isInteger(entry.sequence) || entry.sequence < 0) {
    throw new RangeError(`SEQUENCE must be a non-negative integer, not ${entry.sequence}.`);
  }
  if (entry.url !== undefined && !/^[\x21-\x7e]+$/.test(entry.url)) {
    throw new RangeError('A calendar URL must be printable ASCII without spaces.');
  }
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Convene//Event registration//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${entry.method}`,
    'BEGIN:VEVENT',
    `UID:${icsText(entry.uid)}`,
    `DTSTAMP:${icsUtc(entry.stamp)}`,
    `DTSTART:${icsUtc(entry.start)}`,
    `DTEND:${icsUtc(entry.end)}`,
    `SEQUENCE:${entry.sequence}`,
    `STATUS:${entry.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    `SUMMARY:${icsText(entry.summary)}`,
    ...(entry.location ? [`LOCATION:${icsText(entry.location)}`] : []),
    ...(entry.description ? [`DESCRIPTION:${icsText(entry.description)}`] : []),
    // URL is of value type URI, not TEXT: no escaping (our links hold no commas or semicolons).
    ...(entry.url ? [`URL:${entry.url}`] : []),
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
