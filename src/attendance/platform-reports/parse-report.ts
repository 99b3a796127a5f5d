import { decodeReportBytes } from './decode';
import { EXPECTED_HEADERS } from './layouts';
import { isValidTimeZone } from './local-time';
import { readTable, type Delimiter, type TableLine } from './table';
import {
  isTeamsActivitiesHeader,
  isTeamsLegacyHeader,
  isTeamsParticipantsHeader,
  parseTeams,
} from './teams';
import { isZoomHeader, parseZoom } from './zoom';
import type { ParsedReport, ParseOptions, Platform } from './types';

const DELIMITERS: Delimiter[] = ['\t', ',', ';'];
const isTeamsHeader = (c: string[]) =>
  isTeamsActivitiesHeader(c) || isTeamsParticipantsHeader(c) || isTeamsLegacyHeader(c);

/**
 * Reads a participant report exported by Zoom or Microsoft Teams from its bytes. Never throws
 * for bad input: what could not be read is said in `problems`, and with no usable layout
 * `platform` is null and `rows` empty.
 */
export function parseParticipantReport(bytes: Uint8Array, opts: ParseOptions): ParsedReport {
  const fail = (problem: string): ParsedReport => ({
    platform: null,
    rows: [],
    problems: [problem],
  });
  if (!isValidTimeZone(opts.timeZone)) return fail(`Unknown timezone "${opts.timeZone}".`);
  const decoded = decodeReportBytes(bytes);
  if (!decoded.ok) return fail(decoded.problem);
  const text = decoded.text;
  const head = text.slice(0, 2000).trimStart().toLowerCase();
  if (head.startsWith('<') && /<(!doctype html|html|head|body|table)\b/.test(head)) {
    return fail('The file is an HTML page, not a CSV report: download the report as CSV.');
  }
  const found = detect(text);
  if (!found) return fail(`No participant table found: expected ${EXPECTED_HEADERS}.`);
  let lines: TableLine[];
  try {
    lines = readTable(text, found.delimiter);
  } catch (e) {
    return fail(`The CSV cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  const problems: string[] = [];
  const rows =
    found.platform === 'zoom'
      ? parseZoom(lines, opts, problems)
      : parseTeams(lines, opts, problems);
  return { platform: found.platform, rows, problems };
}

/** Finds the first line that is a known header under some delimiter: that names both. */
function detect(text: string): { platform: Platform; delimiter: Delimiter } | null {
  for (const line of text.split(/\r\n|\n|\r/).slice(0, 500)) {
    for (const delimiter of DELIMITERS) {
      if (!line.includes(delimiter)) continue;
      const cells = line.split(delimiter).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
      if (isZoomHeader(cells)) return { platform: 'zoom', delimiter };
      if (isTeamsHeader(cells)) return { platform: 'teams', delimiter };
    }
  }
  return null;
}
