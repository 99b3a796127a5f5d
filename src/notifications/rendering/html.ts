/**
 * Escaping for the HTML part. Everything interpolated into `markup` is escaped unless it is already
 * SafeHtml (the output of another `markup` call), so text typed by a registrant cannot become
 * markup. (The tag is not called `html` because Prettier would reformat such templates as HTML.)
 */

import { escapeHtml, type HtmlValue, SafeHtml, toHtml } from '../../common/html/safe-html';

export { escapeHtml, type HtmlValue, SafeHtml };

/** A template tag: `markup\`<p>${name}</p>\`` escapes `name`. */
export function markup(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, i) => {
    out += toHtml(value) + strings[i + 1];
  });
  return new SafeHtml(out);
}
