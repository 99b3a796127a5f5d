import { ZOOM } from './layouts';
import { finishRows, type DraftRow } from './rows';
import { columnIndex, isBlank, rawCells, type TableLine } from './table';
import type { ParsedRow, ParseOptions } from './types';

export function isZoomHeader(cells: string[]): boolean {
  return (
    columnIndex(cells, ZOOM.name) >= 0 &&
    columnIndex(cells, ZOOM.join) >= 0 &&
    columnIndex(cells, ZOOM.leave) >= 0
  );
}

/**
 * Zoom's participants report: optionally a meeting block (`Meeting ID, Topic, Start Time, …`
 * and its one row, then a blank line), then the participant table with one row per join.
 * Webinar reports repeat the table per section (host, panelists, attendees); each is read.
 */
export function parseZoom(lines: TableLine[], opts: ParseOptions, problems: string[]): ParsedRow[] {
  const drafts: DraftRow[] = [];
  let i = 0;
  while (i < lines.length) {
    const header = lines[i].cells;
    i++;
    if (!isZoomHeader(header)) continue;
    const col = {
      name: columnIndex(header, ZOOM.name),
      email: columnIndex(header, ZOOM.email),
      join: columnIndex(header, ZOOM.join),
      leave: columnIndex(header, ZOOM.leave),
      duration: columnIndex(header, ZOOM.duration),
      attended: columnIndex(header, ZOOM.attended),
    };
    for (; i < lines.length; i++) {
      const { cells, line } = lines[i];
      if (isBlank(lines[i]) || isZoomHeader(cells)) break;
      if (cells.filter((c) => c.trim() !== '').length < 3) {
        problems.push(`Line ${line}: not a participant row; skipped.`);
        continue;
      }
      if (col.attended >= 0 && cells[col.attended]?.trim().toLowerCase() === 'no') continue;
      const cell = (k: number) => (k >= 0 ? (cells[k] ?? '') : '');
      drafts.push({
        line,
        raw: rawCells(header, cells),
        name: cell(col.name),
        email: cell(col.email),
        join: cell(col.join),
        leave: cell(col.leave),
        duration: cell(col.duration),
      });
    }
  }
  if (drafts.length === 0) problems.push('The Zoom participants table has no rows.');
  return finishRows(
    drafts,
    { ...opts, platform: 'zoom', fallbackOrder: 'MDY', warnOnGuessedOrder: false },
    problems,
  );
}
