import { stringify } from 'csv-stringify';
import { pipeline, Readable } from 'node:stream';

function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return value.toString();
  return JSON.stringify(value);
}

/**
 * A cell a spreadsheet would run as a formula (= + - @, or a tab or carriage return that
 * hides one) is made inert with a leading apostrophe, as OWASP recommends for CSV injection.
 */
export function inertCell(value: unknown): string {
  const text = textOf(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * Streams rows as CSV with a BOM and a header row. `rows` is an async source read a batch at
 * a time, so memory stays flat however many rows there are. A failing source destroys the
 * stream, so the client sees a cut response rather than a complete-looking file.
 */
export function csvStream(header: string[], rows: AsyncIterable<unknown[]>): Readable {
  // The BOM makes Excel read the file as UTF-8, Cyrillic and Kazakh intact.
  const csv = stringify({ header: true, columns: header, bom: true, record_delimiter: 'windows' });
  const cells = Readable.from(
    (async function* () {
      for await (const row of rows) yield row.map(inertCell);
    })(),
  );
  pipeline(cells, csv, () => undefined);
  return csv;
}
