/**
 * Control characters (C0 with CR, LF and tab; DEL; C1 with NEL) and the Unicode line and
 * paragraph separators: anything that could break a line in a header or a layout.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * One clean line of text: every run of line breaks and other control characters becomes a single
 * space, runs of spaces shrink to one, and the ends are trimmed. Letters of every script are kept.
 * Used on everything a person typed before it goes anywhere, and on the whole subject.
 */
export function oneLine(text: string): string {
  return text.replace(BREAKING, ' ').replace(/ {2,}/g, ' ').trim();
}

/** A name as a person typed it, on one line. */
export function fullName(givenName: string, familyName: string): string {
  return oneLine(`${oneLine(givenName)} ${oneLine(familyName)}`);
}

/** Only what is safe in a file name of an attachment. */
export function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'file';
}
