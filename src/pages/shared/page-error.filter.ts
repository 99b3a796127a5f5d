import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors/domain-error';
import { html } from './html';
import { PageResponder } from './page-responder';

/**
 * Errors of page routes answer as pages, in the visitor's language, with the pages' headers:
 * an unknown event or manage link is a 404 page (not JSON), a bad CSRF token a 403 page.
 * Use it on every page controller: `@UseFilters(PageErrorFilter)`.
 */
@Catch()
export class PageErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Pages');

  constructor(private readonly pages: PageResponder) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const context = this.pages.context(request, reply);
    const { t } = context;
    const status = statusOf(exception);
    let title = t.errors.serverErrorTitle;
    let text = t.errors.serverErrorText;
    if (status === 404) [title, text] = [t.errors.notFoundTitle, t.errors.notFoundText];
    else if (status === 403) [title, text] = [t.errors.forbiddenTitle, t.errors.csrfText];
    else if (status === 429)
      [title, text] = [t.errors.tooManyRequestsTitle, t.errors.tooManyRequestsText];
    else if (status === 409 && exception instanceof DomainError) {
      [title, text] = [t.errors.conflictTitle, exception.message];
    } else if (status >= 500) {
      this.logger.error({ msg: 'Page failed', err: exception, requestId: request.id });
    }
    if (status === 429) void reply.header('Retry-After', '60');
    await this.pages.send(reply, context, {
      title,
      status,
      noindex: true,
      body: html`<h1>${title}</h1>
        <p>${text}</p>`,
    });
  }
}

function statusOf(exception: unknown): number {
  if (exception instanceof DomainError) {
    switch (exception.kind) {
      case 'not_found':
        return 404;
      case 'forbidden':
      case 'unauthenticated':
        return 403;
      case 'conflict':
        return 409;
      case 'rate_limited':
        return 429;
      case 'invalid':
      case 'unprocessable':
        return 400;
      case 'payload_too_large':
        return 413;
    }
  }
  if (exception instanceof HttpException) return exception.getStatus();
  return 500;
}
