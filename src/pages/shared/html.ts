/**
 * Server-side HTML with escaping by default. Everything interpolated into `html\`…\`` is escaped
 * unless it is already SafeHtml (the result of another `html` call, or `raw()` of markup we made
 * ourselves), so text typed by a registrant can never become markup. Arrays are joined, and
 * null, undefined and false render nothing, so `${cond && html\`…\`}` works.
 */

import { escapeHtml, type HtmlValue, SafeHtml, toHtml } from '../../common/html/safe-html';

export { escapeHtml, type HtmlValue, SafeHtml };

const compacted = new WeakMap<TemplateStringsArray, string[]>();

/**
 * The template's own text with each run of whitespace cut to one character (a newline if it
 * held one): the indentation of the source is not sent to phones. HTML collapses whitespace
 * anyway (no template uses <pre> or <textarea>); interpolated values are never touched.
 */
function compact(strings: TemplateStringsArray): string[] {
  let parts = compacted.get(strings);
  if (!parts) {
    parts = strings.map((part) =>
      part.replace(/\s{2,}/g, (run) => (run.includes('\n') ? '\n' : ' ')),
    );
    compacted.set(strings, parts);
  }
  return parts;
}

/** The template tag: `html\`<p>${name}</p>\`` escapes `name`, in text and in quoted attributes. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  const parts = compact(strings);
  let out = parts[0];
  values.forEach((value, i) => {
    out += toHtml(value) + parts[i + 1];
  });
  return new SafeHtml(out);
}

/**
 * Marks markup made by trusted code (an SVG from the QR library, an asset URL) as safe. Never
 * pass it anything that holds user input.
 */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** `attrs({ required: true, 'aria-describedby': id })`: boolean attributes and escaped values. */
export function attrs(
  values: Record<string, string | number | boolean | null | undefined>,
): SafeHtml {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (value === false || value === null || value === undefined) continue;
    parts.push(value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`);
  }
  return new SafeHtml(parts.join(''));
}
