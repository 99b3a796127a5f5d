import { parse } from 'csv-parse/sync';
import { normaliseText } from './fingerprint';

/** One record of the file with the line it ends on. */
export interface TableLine {
  cells: string[];
  line: number;
}

export type Delimiter = ',' | '\t' | ';';

/** Parses the whole text leniently: sections of different widths, stray quotes inside names. */
export function readTable(text: string, delimiter: Delimiter): TableLine[] {
  const records = parse(text, {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  return records.map(({ record, info }) => ({ cells: record, line: info.lines }));
}

export function isBlank(line: TableLine): boolean {
  return line.cells.every((c) => c.trim() === '');
}

/** The header cell as compared: NFC, spaces collapsed, lower case. */
export function headerKey(cell: string): string {
  return normaliseText(cell).toLowerCase();
}

/** Index of the first header whose key is one of `names`, or -1. */
export function columnIndex(header: string[], names: readonly string[]): number {
  return header.findIndex((h) => names.includes(headerKey(h)));
}

/** Maps each header to its cell; blank headers are dropped, repeated ones get a `#2` suffix. */
export function rawCells(header: string[], cells: string[]): Record<string, string> {
  const raw: Record<string, string> = {};
  header.forEach((h, i) => {
    const name = normaliseText(h);
    if (name === '') return;
    let key = name;
    for (let n = 2; key in raw; n++) key = `${name} #${n}`;
    raw[key] = cells[i] ?? '';
  });
  return raw;
}
