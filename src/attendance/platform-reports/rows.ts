import { parseDurationSeconds } from './duration';
import { rowFingerprint } from './fingerprint';
import { inferDateOrder, localToUtc, toLocal, tokenizeDate, type DateTokens } from './local-time';
import type { DateOrder, ParsedRow, ParseOptions, Platform } from './types';

/** A row as read, before its times are interpreted. */
export interface DraftRow {
  line: number;
  raw: Record<string, string>;
  name: string;
  email: string;
  join: string;
  leave: string;
  duration: string;
}

export interface FinishOptions extends ParseOptions {
  platform: Platform;
  /** Used when neither the caller nor the file settles day/month order. */
  fallbackOrder: DateOrder;
  /** Say so in the problems when the fallback order had to be guessed. */
  warnOnGuessedOrder: boolean;
  /** Teams' participants section: the interval is the first join plus the in-meeting duration. */
  intervalFromDuration?: boolean;
}

/** Interprets times in the event's zone, checks each row, and keeps the rows that make sense. */
export function finishRows(
  drafts: DraftRow[],
  opts: FinishOptions,
  problems: string[],
): ParsedRow[] {
  const tokens = drafts.map((d) => ({ join: tokenizeDate(d.join), leave: tokenizeDate(d.leave) }));
  const all = tokens.flatMap((t) => [t.join, t.leave]).filter((t): t is DateTokens => t !== null);
  let order = opts.dateOrder;
  if (!order) {
    const inferred = inferDateOrder(all);
    if (inferred === 'conflict') {
      problems.push(
        'The dates in the file mix day/month and month/day order, so none could be read safely.',
      );
      return [];
    }
    order = inferred ?? opts.fallbackOrder;
    if (
      !inferred &&
      opts.warnOnGuessedOrder &&
      all.some((t) => t.kind === 'slashed' && t.first !== t.second)
    ) {
      problems.push(
        `No date in the file shows whether it is day/month or month/day; read as ${order === 'MDY' ? 'month/day' : 'day/month'}.`,
      );
    }
  }
  const rows: ParsedRow[] = [];
  drafts.forEach((d, i) => {
    const where = `Line ${d.line}`;
    const join = tokens[i].join && toLocal(tokens[i].join, order);
    if (!join) {
      problems.push(`${where}: the join time "${d.join}" is not a date and time; row skipped.`);
      return;
    }
    const joinedAt = localToUtc(join, opts.timeZone);
    const leave = tokens[i].leave && toLocal(tokens[i].leave, order);
    const seconds = parseDurationSeconds(d.duration);
    let leftAt: Date | null = leave ? localToUtc(leave, opts.timeZone) : null;
    if (seconds !== null && (opts.intervalFromDuration || !leftAt)) {
      const byDuration = new Date(joinedAt.getTime() + seconds * 1000);
      leftAt = leftAt && leftAt < byDuration ? leftAt : byDuration;
    }
    if (!leftAt) {
      problems.push(
        `${where}: the leave time "${d.leave}" is not a date and time and no duration is given; row skipped.`,
      );
      return;
    }
    if (leftAt < joinedAt) {
      problems.push(`${where}: the leave time is before the join time; row skipped.`);
      return;
    }
    const name = d.name.trim();
    const email = d.email.trim();
    if (name === '' && email === '') {
      problems.push(`${where}: neither a name nor an email; row skipped.`);
      return;
    }
    rows.push({
      name,
      email: email === '' ? null : email,
      joinedAt,
      leftAt,
      rowNumber: d.line,
      raw: d.raw,
      fingerprint: rowFingerprint(opts.platform, d.raw),
    });
  });
  return rows;
}
