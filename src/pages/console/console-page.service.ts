import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Event } from '../../events/event.entity';
import type { CsvFile } from '../../participants/exports/registration-exports.service';
import { CSRF_FIELD } from '../shared/csrf.service';
import type { FieldErrors } from '../shared/form';
import type { FormBody } from '../shared/form-body';
import { html, type SafeHtml } from '../shared/html';
import { PageResponder, type PageContext } from '../shared/page-responder';
import { sessionBar } from '../staff/sign-in-view';
import { StaffSessionService } from '../staff/staff-session.service';
import type { ConsoleMessages } from './console-messages';
import { eventPath } from './console-view';
import { CONSOLE_CATALOGS } from './locales';

/** What a console page of one event shows: its title, optional status and body. */
export interface ConsolePage {
  title: string;
  status?: number;
  body: SafeHtml;
}

/** Query parameters as the console reads them. */
export type Query = Record<string, string | undefined>;

/**
 * The frame shared by the console's event pages: the event's language, the session bar above
 * the body, no indexing, the staff stylesheet; and the CSRF check of every form post.
 */
@Injectable()
export class ConsolePageService {
  constructor(
    private readonly pages: PageResponder,
    private readonly staff: StaffSessionService,
  ) {}

  verifyCsrf(request: FastifyRequest, form: FormBody | undefined): void {
    this.pages.verifyCsrf(request, form?.[CSRF_FIELD]);
  }

  async redirect(reply: FastifyReply, location: string): Promise<void> {
    await this.pages.redirect(reply, location);
  }

  async render(
    request: FastifyRequest,
    reply: FastifyReply,
    event: Event,
    build: (context: PageContext, m: ConsoleMessages) => ConsolePage,
  ): Promise<void> {
    const context = this.pages.context(request, reply, event.languages);
    const m = CONSOLE_CATALOGS[context.language];
    const bar = await this.bar(context, m, request);
    const page = build(context, m);
    await this.pages.send(reply, context, {
      title: page.title,
      status: page.status,
      noindex: true,
      styles: ['staff.css'],
      body: html`${bar} ${page.body}`,
    });
  }

  private async bar(
    context: PageContext,
    m: ConsoleMessages,
    request: FastifyRequest,
  ): Promise<SafeHtml> {
    const principal = await this.staff.principalOf(request);
    return principal ? sessionBar(context, m.signIn, principal, '/admin/sign-out') : html``;
  }
}

/** 400 when a form came back with errors, else 200. */
export const statusOf = (fieldErrors: FieldErrors): number => (fieldErrors.size > 0 ? 400 : 200);

/** Back to the list (with its filters) the form came from; only ever a page of this event. */
export function backTo(slug: string, back: string, fallback: string): string {
  const base = eventPath(slug);
  const target =
    back.startsWith(`${base}/`) && !back.includes('//') ? back : eventPath(slug, fallback);
  const [path, query = ''] = target.split('?');
  const params = new URLSearchParams(query);
  params.set('done', '1');
  return `${path}?${params.toString()}`;
}

export async function sendCsv(reply: FastifyReply, file: CsvFile): Promise<void> {
  await reply
    .header('Content-Type', 'text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="${file.filename}"`)
    .header('Cache-Control', 'no-store')
    .header('X-Content-Type-Options', 'nosniff')
    .send(file.stream);
}
