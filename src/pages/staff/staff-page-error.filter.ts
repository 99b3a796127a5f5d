import { ArgumentsHost, Catch, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../shared/html';
import { PageErrorFilter } from '../shared/page-error.filter';
import { PageResponder } from '../shared/page-responder';
import { CONSOLE_CATALOGS } from '../console/locales';
import { StaffSessionError } from './staff-session.service';

/**
 * The console's pages: without a session, back to the sign-in at /admin (303); with a token
 * that may not see this event, a 403 page saying so. Every other error as on any page.
 */
@Injectable()
@Catch()
export class StaffPageErrorFilter extends PageErrorFilter {
  constructor(private readonly responder: PageResponder) {
    super(responder);
  }

  override async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    if (!(exception instanceof StaffSessionError)) return super.catch(exception, host);
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception.refusal === 'signed_out') {
      await this.responder.redirect(reply, '/admin');
      return;
    }
    const context = this.responder.context(request, reply);
    const m = CONSOLE_CATALOGS[context.language].signIn;
    await this.responder.send(reply, context, {
      title: m.heading,
      status: 403,
      noindex: true,
      body: html`<h1>${m.heading}</h1>
        <p>${m.refusals[exception.refusal]}</p>
        <p><a href="/admin">${CONSOLE_CATALOGS[context.language].title}</a></p>`,
    });
  }
}
