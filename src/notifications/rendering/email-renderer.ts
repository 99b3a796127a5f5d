import { Injectable } from '@nestjs/common';
import type { EmailContext, RenderedEmail } from './email-context';
import { renderEmail } from './render-email';

/**
 * The rendering of emails as a provider, for the worker to inject. It holds no state and touches
 * neither the database nor the network: see renderEmail.
 */
@Injectable()
export class EmailRenderer {
  render(context: EmailContext): Promise<RenderedEmail> {
    return renderEmail(context);
  }
}
