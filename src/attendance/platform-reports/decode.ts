export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

export type DecodeResult =
  | { ok: true; encoding: TextEncodingName; hadBom: boolean; text: string }
  | { ok: false; problem: string };

/**
 * Turns the uploaded bytes into text. Zoom writes UTF-8 (often with a BOM); Teams writes
 * UTF-16 LE with a BOM. A byte-order mark decides; without one, a run of NUL bytes in every
 * other position gives UTF-16 away, and anything else must be valid UTF-8.
 */
export function decodeReportBytes(bytes: Uint8Array): DecodeResult {
  if (bytes.length === 0) return { ok: false, problem: 'The file is empty.' };
  let encoding: TextEncodingName = 'utf-8';
  let hadBom = false;
  let body = bytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    hadBom = true;
    body = bytes.subarray(3);
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = 'utf-16le';
    hadBom = true;
    body = bytes.subarray(2);
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    encoding = 'utf-16be';
    hadBom = true;
    body = bytes.subarray(2);
  } else {
    encoding = sniffUtf16(bytes) ?? 'utf-8';
  }
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(body);
  } catch {
    return {
      ok: false,
      problem: `The file is not readable text in ${encoding.toUpperCase()}: export the report again as CSV.`,
    };
  }
  if (text.includes('\u0000')) {
    return { ok: false, problem: 'The file holds binary data, not a CSV report.' };
  }
  if (text.trim() === '') return { ok: false, problem: 'The file is empty.' };
  return { ok: true, encoding, hadBom, text };
}

/** UTF-16 without a BOM: ASCII-heavy text has a zero in every other byte. */
function sniffUtf16(bytes: Uint8Array): TextEncodingName | null {
  const n = Math.min(bytes.length - (bytes.length % 2), 512);
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero / pairs > 0.6 && evenZero / pairs < 0.1) return 'utf-16le';
  if (evenZero / pairs > 0.6 && oddZero / pairs < 0.1) return 'utf-16be';
  return null;
}
