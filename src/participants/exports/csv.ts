import { Transform, type TransformCallback } from 'node:stream';

const LF = 0x0a;
const QUOTE = 0x22;
const CRLF = Buffer.from('\r\n');

/**
 * The SQL of one CSV cell: made inert (a cell a spreadsheet would run as a formula, starting
 * with = + - @ or a tab or carriage return that hides one, gets a leading apostrophe, as OWASP
 * recommends) and an empty text written as an empty cell (COPY would quote it, `""`).
 * `expr` must be cheap to repeat: it appears three times.
 */
export function inertCellSql(expr: string): string {
  const text = `(${expr})::text`;
  return `NULLIF(CASE WHEN left(${text}, 1) IN ('=', '+', '-', '@', chr(9), chr(13))
                      THEN '''' || ${text} ELSE ${text} END, '')`;
}

/** A timestamptz as JavaScript's toISOString writes it (UTC, milliseconds truncated). */
export function isoSql(expr: string): string {
  return `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

export const yesNoSql = (expr: string) => `CASE WHEN ${expr} THEN 'yes' ELSE 'no' END`;

/** The BOM (Excel then reads the file as UTF-8, Cyrillic and Kazakh intact) and the header row. */
export function csvHead(header: string[]): Buffer {
  return Buffer.from(`\uFEFF${header.join(',')}\r\n`);
}

/**
 * COPY … (FORMAT csv) ends records with LF; the export ends them with CRLF, as it always has
 * (Excel on Windows). Line breaks inside quoted cells are kept as they are: the quote state is
 * carried across chunks (a doubled quote toggles it twice). UTF-8 never has 0x0a or 0x22 inside
 * a multi-byte character, so scanning bytes is safe.
 */
export class CrlfRecords extends Transform {
  private quoted = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const parts: Buffer[] = [];
    let start = 0;
    let from = 0;
    for (;;) {
      const lf = chunk.indexOf(LF, from);
      const end = lf === -1 ? chunk.length : lf;
      for (let q = chunk.indexOf(QUOTE, from); q !== -1 && q < end; q = chunk.indexOf(QUOTE, q + 1))
        this.quoted = !this.quoted;
      if (lf === -1) break;
      if (!this.quoted) {
        parts.push(chunk.subarray(start, lf), CRLF);
        start = lf + 1;
      }
      from = lf + 1;
    }
    if (start === 0) return done(null, chunk);
    parts.push(chunk.subarray(start));
    done(null, Buffer.concat(parts));
  }
}
