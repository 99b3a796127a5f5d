/**
 * Escaping shared by the two HTML writers: the pages' `html` tag (src/pages/shared/html.ts) and
 * the emails' `markup` tag (src/notifications/rendering/html.ts). A value is escaped unless it is
 * already SafeHtml; arrays are joined; null, undefined and false render nothing.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

export type HtmlValue =
  string | number | SafeHtml | readonly HtmlValue[] | null | undefined | false;

export function toHtml(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(toHtml).join('');
  return escapeHtml(String(value));
}
