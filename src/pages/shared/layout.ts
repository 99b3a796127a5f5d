import { LANGUAGES } from '../../common/validation/decorators';
import { LANGUAGE_NAMES } from '../locales';
import { html, type SafeHtml } from './html';
import type { Page, PageContext } from './page-responder';

/** The language switcher: links to this page in each language (?lang= is then remembered). */
function languageNav(context: PageContext, path: string): SafeHtml {
  const links = LANGUAGES.map(
    (language) =>
      html`<li>
        <a
          href="${path}?lang=${language}"
          lang="${language}"
          hreflang="${language}"
          aria-current="${language === context.language ? 'true' : 'false'}"
          >${LANGUAGE_NAMES[language]}</a
        >
      </li>`,
  );
  return html`<nav class="lang" aria-label="${context.t.common.languageNav}">
    <ul>
      ${links}
    </ul>
  </nav>`;
}

/**
 * The document around every page: skip link, header with the language switcher, one main
 * landmark (the skip link's target), footer. One stylesheet, no inline script or style.
 */
export function layout(context: PageContext, page: Page): SafeHtml {
  const { t } = context;
  const scripts = (page.scripts ?? []).map(
    (name) => html`<script src="${context.asset(name)}" defer></script>`,
  );
  return html`<!doctype html>
    <html lang="${context.language}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        ${page.noindex && html`<meta name="robots" content="noindex, nofollow" />`}
        <title>${page.title} · ${t.common.siteName}</title>
        <link rel="stylesheet" href="${context.asset('pages.css')}" />
        ${(page.styles ?? []).map(
          (name) => html`<link rel="stylesheet" href="${context.asset(name)}" />`,
        )}
        <link rel="icon" href="${context.asset('favicon.svg')}" type="image/svg+xml" />
        ${scripts}
      </head>
      <body>
        <a class="skip" href="#main">${t.common.skipToContent}</a>
        <header class="top">
          <span class="brand">${t.common.siteName}</span>
          ${languageNav(context, page.languagePath ?? context.path)}
        </header>
        <main id="main" tabindex="-1">${page.body}</main>
        <footer class="foot"><p>${t.common.footer}</p></footer>
      </body>
    </html>`;
}
