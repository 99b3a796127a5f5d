/**
 * Escaping for the HTML part. Everything interpolated into `markup` is escaped unless it is already
 * SafeHtml (the output of another `markup` call), so text typed by a registrant cannot become
 * markup. (The tag is not called `html` because Prettier would reformat such templates as HTML.)
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

function toHtml(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(toHtml).join('');
  return escapeHtml(String(value));
}

/** A template tag: `markup\`<p>${name}</p>\`` escapes `name`. */
export function markup(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, i) => {
    out += toHtml(value) + strings[i + 1];
  });
  return new SafeHtml(out);
}
