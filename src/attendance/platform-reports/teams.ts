import { TEAMS_ACTIVITIES, TEAMS_LEGACY, TEAMS_PARTICIPANTS, type Columns } from './layouts';
import { finishRows, type DraftRow } from './rows';
import { columnIndex, headerKey, isBlank, rawCells, type TableLine } from './table';
import type { DateOrder, ParsedRow, ParseOptions } from './types';

function hasAll(cells: string[], columns: Columns, keys: string[]): boolean {
  return keys.every((k) => columnIndex(cells, columns[k]) >= 0);
}

export const isTeamsActivitiesHeader = (c: string[]) =>
  hasAll(c, TEAMS_ACTIVITIES, ['name', 'join', 'leave']);
export const isTeamsParticipantsHeader = (c: string[]) =>
  hasAll(c, TEAMS_PARTICIPANTS, ['name', 'join', 'leave']);
export const isTeamsLegacyHeader = (c: string[]) =>
  hasAll(c, TEAMS_LEGACY, ['name', 'action', 'timestamp']);

/** A numbered section title such as "3. In-Meeting Activities". */
const isSectionTitle = (l: TableLine) => /^\d+\.\s/.test(l.cells[0]?.trim() ?? '');

/** The rows under the first header the predicate accepts, up to a blank line or next section. */
function section(lines: TableLine[], isHeader: (c: string[]) => boolean) {
  const at = lines.findIndex((l) => isHeader(l.cells));
  if (at < 0) return null;
  const body: TableLine[] = [];
  for (const l of lines.slice(at + 1)) {
    if (isBlank(l) || isSectionTitle(l)) break;
    body.push(l);
  }
  return { header: lines[at].cells, body };
}

function drafts(header: string[], body: TableLine[], columns: Columns): DraftRow[] {
  const col = (k: string) => columnIndex(header, columns[k]);
  const at = (cells: string[], k: string) => (col(k) >= 0 ? (cells[col(k)] ?? '') : '');
  return body.map(({ cells, line }) => ({
    line,
    raw: rawCells(header, cells),
    name: at(cells, 'name'),
    email: at(cells, 'email'),
    join: at(cells, 'join'),
    leave: at(cells, 'leave'),
    duration: at(cells, 'duration'),
  }));
}

/** Teams writes the clock of the organiser's locale: 12-hour clocks go with month/day (en-US). */
function fallbackOrder(rows: DraftRow[]): DateOrder {
  return rows.some((r) => /[AaPp]\.?[Mm]\.?\s*$/.test(r.join)) ? 'MDY' : 'DMY';
}

/**
 * Teams' attendance report: "1. Summary", "2. Participants" (one row per person with first
 * join, last leave and in-meeting duration) and "3. In-Meeting Activities" (one row per join).
 * The activities give the true intervals; without them each person's time is one interval
 * from the first join lasting the in-meeting duration. The older attendance list (Full Name,
 * User Action, Timestamp) is paired Joined → Left per person.
 */
export function parseTeams(
  lines: TableLine[],
  opts: ParseOptions,
  problems: string[],
): ParsedRow[] {
  let rows: DraftRow[];
  let intervalFromDuration = false;
  const activities = section(lines, isTeamsActivitiesHeader);
  const participants = section(lines, isTeamsParticipantsHeader);
  const legacy = section(lines, isTeamsLegacyHeader);
  if (activities) {
    rows = drafts(activities.header, activities.body, TEAMS_ACTIVITIES);
  } else if (participants) {
    rows = drafts(participants.header, participants.body, TEAMS_PARTICIPANTS);
    intervalFromDuration = true;
    problems.push(
      'The Teams report has no "In-Meeting Activities" section: each person is counted as one ' +
        'interval from their first join lasting their in-meeting duration.',
    );
  } else if (legacy) {
    rows = pairLegacy(legacy.header, legacy.body, problems);
  } else {
    rows = [];
  }
  if (rows.length === 0) problems.push('The Teams report lists no participants.');
  const fallback = fallbackOrder(rows);
  return finishRows(
    rows,
    {
      ...opts,
      platform: 'teams',
      fallbackOrder: fallback,
      warnOnGuessedOrder: true,
      intervalFromDuration,
    },
    problems,
  );
}

/** Pairs each "Joined" with the same person's next "Left", in file (time) order. */
function pairLegacy(header: string[], body: TableLine[], problems: string[]): DraftRow[] {
  const col = (k: string) => columnIndex(header, TEAMS_LEGACY[k as keyof typeof TEAMS_LEGACY]);
  const [nameAt, actionAt, timeAt] = [col('name'), col('action'), col('timestamp')];
  const open = new Map<string, { line: number; name: string; at: string }>();
  const out: DraftRow[] = [];
  const emit = (o: { line: number; name: string; at: string }, leave: string) =>
    out.push({
      line: o.line,
      raw: { 'Full Name': o.name, Joined: o.at, Left: leave },
      name: o.name,
      email: '',
      join: o.at,
      leave,
      duration: '',
    });
  let last = '';
  for (const { cells, line } of body) {
    const name = cells[nameAt] ?? '';
    const action = headerKey(cells[actionAt] ?? '');
    const at = cells[timeAt] ?? '';
    const key = headerKey(name);
    last = at || last;
    if (action.startsWith('joined')) {
      if (!open.has(key)) open.set(key, { line, name, at });
    } else if (action === 'left') {
      const o = open.get(key);
      if (o) {
        emit(o, at);
        open.delete(key);
      } else {
        problems.push(`Line ${line}: "${name}" left without having joined; row skipped.`);
      }
    } else {
      problems.push(`Line ${line}: unknown user action "${cells[actionAt] ?? ''}"; row skipped.`);
    }
  }
  for (const o of open.values()) {
    problems.push(
      `Line ${o.line}: "${o.name}" never left; counted until the last time in the list (${last}).`,
    );
    emit(o, last);
  }
  return out.sort((a, b) => a.line - b.line);
}
