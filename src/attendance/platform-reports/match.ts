import { normaliseText } from './fingerprint';
import { coveredSeconds, mergeIntervals } from './intervals';
import type { Interval, ParsedRow } from './types';

/** A registration the report's rows may belong to. */
export interface Registrant {
  registrationId: string;
  email: string;
  /** The name as registered, e.g. given name, space, family name. */
  name: string;
}

export interface PersonAttendance {
  intervals: Interval[];
  /** Seconds covered by the merged intervals. */
  seconds: number;
  /** `seconds` in whole minutes, rounded to the nearest minute. */
  minutes: number;
  /** Fingerprints of the rows that made up this person's time. */
  fingerprints: string[];
}

export interface MatchResult {
  matched: Map<string, PersonAttendance>;
  /** Each person the report names that no registration fits, once. */
  unmatched: { name: string; email: string | null }[];
  /** Rows identical to an earlier row of the same report, left out. */
  duplicatesIgnored: number;
}

/**
 * Names a Zoom cell may stand for: `Display (Original)` is tried whole, then as each part.
 * Compared after NFC and white-space normalisation, otherwise exactly.
 */
export function candidateNames(cell: string): string[] {
  const whole = normaliseText(cell);
  const names = [whole];
  const m = /^(.*\S)\s*\(([^()]+)\)$/.exec(whole);
  if (m) names.push(normaliseText(m[1]), normaliseText(m[2]));
  return names.filter((n) => n !== '');
}

/**
 * Matches report rows to registrations by email (case-insensitively) first, then by exact
 * name; a name two registrants share matches neither. Merges each person's intervals and
 * sums their time; identical rows (same fingerprint) count once.
 */
export function matchRows(
  rows: readonly ParsedRow[],
  registrants: readonly Registrant[],
): MatchResult {
  const byEmail = new Map<string, string>();
  const byName = new Map<string, string | null>();
  for (const r of registrants) {
    const email = r.email.trim().toLowerCase();
    if (email && !byEmail.has(email)) byEmail.set(email, r.registrationId);
    const name = normaliseText(r.name);
    if (name) byName.set(name, byName.has(name) ? null : r.registrationId);
  }
  const seen = new Set<string>();
  let duplicatesIgnored = 0;
  const found = new Map<string, { intervals: Interval[]; fingerprints: string[] }>();
  const unmatched = new Map<string, { name: string; email: string | null }>();
  for (const row of rows) {
    if (seen.has(row.fingerprint)) {
      duplicatesIgnored++;
      continue;
    }
    seen.add(row.fingerprint);
    const id = findRegistration(row, byEmail, byName);
    if (id === null) {
      const key = `${normaliseText(row.name)}\u0000${row.email?.toLowerCase() ?? ''}`;
      if (!unmatched.has(key)) unmatched.set(key, { name: row.name, email: row.email });
      continue;
    }
    const person = found.get(id) ?? { intervals: [], fingerprints: [] };
    person.intervals.push({ start: row.joinedAt, end: row.leftAt });
    person.fingerprints.push(row.fingerprint);
    found.set(id, person);
  }
  const matched = new Map<string, PersonAttendance>();
  for (const [id, p] of found) {
    const intervals = mergeIntervals(p.intervals);
    const seconds = coveredSeconds(intervals);
    matched.set(id, {
      intervals,
      seconds,
      minutes: Math.round(seconds / 60),
      fingerprints: p.fingerprints,
    });
  }
  return { matched, unmatched: [...unmatched.values()], duplicatesIgnored };
}

function findRegistration(
  row: ParsedRow,
  byEmail: Map<string, string>,
  byName: Map<string, string | null>,
): string | null {
  const email = row.email?.trim().toLowerCase();
  if (email) {
    const id = byEmail.get(email);
    if (id) return id;
  }
  for (const name of candidateNames(row.name)) {
    const id = byName.get(name);
    if (id) return id;
  }
  return null;
}
