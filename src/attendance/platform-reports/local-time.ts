import type { DateOrder, LocalDateTime } from './types';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** A date cell split into its parts before the day/month order is known. */
export interface DateTokens {
  /** ISO and month-name dates already know their order. */
  kind: 'iso' | 'named' | 'slashed';
  first: number;
  second: number;
  year: number;
  hour: number;
  minute: number;
  second_: number;
  meridiem: 'AM' | 'PM' | null;
}

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const SLASHED =
  /^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?$/;
const NAMED =
  /^([A-Za-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$/;

/** Splits `06/07/2023 09:01:12 AM`, `6/7/23, 9:01:12 AM`, `2023-06-07 09:01:12`, `Jun 7, 2023 9:01 AM`. */
export function tokenizeDate(cell: string): DateTokens | null {
  const text = cell.trim().replace(/\s+/g, ' ');
  let m = ISO.exec(text);
  if (m) {
    return tokens('iso', +m[2], +m[3], +m[1], m[4], m[5], m[6], undefined);
  }
  m = SLASHED.exec(text);
  if (m) {
    const year = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    return tokens('slashed', +m[1], +m[2], year, m[4], m[5], m[6], m[7]);
  }
  m = NAMED.exec(text);
  if (m) {
    const month = MONTHS.indexOf(m[1].toLowerCase()) + 1;
    if (month === 0) return null;
    return tokens('named', month, +m[2], +m[3], m[4], m[5], m[6], m[7]);
  }
  return null;
}

function tokens(
  kind: DateTokens['kind'],
  first: number,
  second: number,
  year: number,
  h: string,
  min: string,
  s: string | undefined,
  meridiem: string | undefined,
): DateTokens {
  const mer = meridiem ? (meridiem.replace(/\./g, '').toUpperCase() as 'AM' | 'PM') : null;
  return {
    kind,
    first,
    second,
    year,
    hour: +h,
    minute: +min,
    second_: s ? +s : 0,
    meridiem: mer,
  };
}

/**
 * Which order the file's slashed dates follow: a part above 12 settles it; otherwise null.
 * Returns 'conflict' when the file contradicts itself.
 */
export function inferDateOrder(all: DateTokens[]): DateOrder | null | 'conflict' {
  const slashed = all.filter((t) => t.kind === 'slashed');
  const dayFirst = slashed.some((t) => t.first > 12);
  const monthFirst = slashed.some((t) => t.second > 12);
  if (dayFirst && monthFirst) return 'conflict';
  if (dayFirst) return 'DMY';
  if (monthFirst) return 'MDY';
  return null;
}

/** The wall-clock fields the tokens stand for, or null when they are no real date and time. */
export function toLocal(t: DateTokens, order: DateOrder): LocalDateTime | null {
  const [month, day] =
    t.kind === 'slashed' && order === 'DMY' ? [t.second, t.first] : [t.first, t.second];
  let hour = t.hour;
  if (t.meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (t.meridiem === 'PM' ? 12 : 0);
  }
  const local = { year: t.year, month, day, hour, minute: t.minute, second: t.second_ };
  const probe = new Date(Date.UTC(t.year, month - 1, day, hour, t.minute, t.second_));
  const valid =
    probe.getUTCFullYear() === t.year &&
    probe.getUTCMonth() === month - 1 &&
    probe.getUTCDate() === day &&
    hour < 24 &&
    t.minute < 60 &&
    t.second_ < 60;
  return valid ? local : null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws RangeError for an unknown zone: call {@link isValidTimeZone} first. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC, in milliseconds, at the given instant. */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The UTC instant at which the zone's clocks showed `local`. The offset is looked up at the
 * guessed instant and once more at the corrected one, which settles it across DST or
 * standard-time changes (for a wall time skipped by a change, the later offset is used).
 */
export function localToUtc(local: LocalDateTime, timeZone: string): Date {
  const wall = Date.UTC(
    local.year,
    local.month - 1,
    local.day,
    local.hour,
    local.minute,
    local.second,
  );
  const first = zoneOffsetMs(wall, timeZone);
  const second = zoneOffsetMs(wall - first, timeZone);
  return new Date(wall - second);
}
