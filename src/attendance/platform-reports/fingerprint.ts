import { createHash } from 'node:crypto';
import type { Platform } from './types';

/** Unicode NFC, trimmed, inner runs of white space made one space. */
export function normaliseText(value: string): string {
  return value.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/**
 * A stable identity for one report row: sha256 (hex) over the platform and the row's cells,
 * each header lower-cased and each cell normalised, in header order sorted by name. The same
 * row re-exported (BOM or not, UTF-8 or UTF-16, with or without Zoom's header block, cells in
 * another column order) gives the same fingerprint; a change to any cell gives another.
 */
export function rowFingerprint(platform: Platform, raw: Record<string, string>): string {
  const cells = Object.entries(raw)
    .map(([k, v]) => [normaliseText(k).toLowerCase(), normaliseText(v)] as const)
    .filter(([k]) => k !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify([platform, cells]))
    .digest('hex');
}
