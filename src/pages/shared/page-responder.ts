import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Language } from '../../common/validation/decorators';
import { PAGE_CATALOGS } from '../locales';
import type { PageMessages } from '../page-messages';
import { AssetsService } from './assets.service';
import { CsrfService } from './csrf.service';
import type { SafeHtml } from './html';
import { chooseLanguage, LANGUAGE_COOKIE } from './language';
import { layout } from './layout';
import { readCookies, setCookie, setPageHeaders } from './security';

const YEAR_SECONDS = 365 * 24 * 3600;

/** What every page template needs: the language and its words, the CSRF token, asset URLs. */
export interface PageContext {
  language: Language;
  t: PageMessages;
  /** The value of the hidden _csrf field of this page's forms. */
  csrfToken: string;
  /** The page's path without its query, for the language links. */
  path: string;
  /** `asset('pages.css')` → `/assets/pages.3f2a9c1b.css`. */
  asset: (name: string) => string;
}

export interface Page {
  /** The document title (the event's name is added by the caller when it wants it). */
  title: string;
  body: SafeHtml;
  status?: number;
  /** Keep search engines away (private pages: manage links, delegation). */
  noindex?: boolean;
  /**
   * Where the language links lead, when not to this URL: the answer to a form post links to
   * the page's GET address (the post's own address may have no GET).
   */
  languagePath?: string;
  /** Scripts from src/pages/assets to load (deferred, same origin), e.g. ['desk.js']. */
  scripts?: string[];
  /** Extra stylesheets from the assets, after pages.css, e.g. ['staff.css']. */
  styles?: string[];
}

/**
 * Turns a request into a page context and a template into a response with the pages' headers.
 * Every page controller goes through here, so the language rules, the CSRF cookie and the
 * security headers are the same on every page.
 */
@Injectable()
export class PageResponder {
  constructor(
    private readonly assets: AssetsService,
    private readonly csrf: CsrfService,
  ) {}

  /**
   * The context of this request. `fallback` is the event's languages, for visitors whose
   * browser asks for none we speak. Sets the language and CSRF cookies when needed.
   */
  context(
    request: FastifyRequest,
    reply: FastifyReply,
    fallback?: readonly Language[],
  ): PageContext {
    const query = request.query as Record<string, unknown> | undefined;
    const choice = chooseLanguage({
      query: query?.lang,
      cookie: readCookies(request).get(LANGUAGE_COOKIE),
      acceptLanguage: request.headers['accept-language'],
      fallback,
    });
    if (choice.remember) {
      setCookie(request, reply, LANGUAGE_COOKIE, choice.language, { maxAgeSeconds: YEAR_SECONDS });
    }
    return {
      language: choice.language,
      t: PAGE_CATALOGS[choice.language],
      csrfToken: this.csrf.tokenFor(request, reply),
      // One leading slash: a path like //evil.example must not become a protocol-relative link.
      path: '/' + request.url.split('?')[0].replace(/^\/+/, ''),
      asset: (name) => this.assets.url(name),
    };
  }

  /** Throws CsrfError (a 403 page) unless the posted form carries this browser's token. */
  verifyCsrf(request: FastifyRequest, formToken: unknown): void {
    this.csrf.verify(request, formToken);
  }

  async send(reply: FastifyReply, context: PageContext, page: Page): Promise<void> {
    setPageHeaders(reply);
    await reply.status(page.status ?? 200).send(layout(context, page).value);
  }

  /** After a successful form post: 303 See Other, so a reload does not post again. */
  async redirect(reply: FastifyReply, location: string): Promise<void> {
    setPageHeaders(reply);
    await reply.redirect(location, 303);
  }
}
