import { Inject, Injectable } from '@nestjs/common';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { readCookies, setCookie } from './security';

export const CSRF_COOKIE = 'cvn_csrf';
export const CSRF_FIELD = '_csrf';
const COOKIE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A form post without a valid token: the page filter answers it with a 403 page. */
export class CsrfError extends DomainError {
  constructor() {
    super('forbidden', 'CSRF_FAILED', 'The form has expired or did not come from this site.');
  }
}

/**
 * CSRF protection for form posts: a random value in an HttpOnly, SameSite=Lax cookie, and in
 * each form a token that is the HMAC of that value under the server's secret. Another site can
 * neither read the cookie nor compute the token (even if it could plant a cookie, it could not
 * sign it), and every instance that shares the secret accepts every other's forms.
 *
 * The secret is PAGES_SECRET, or when that is not set one derived from ADMIN_TOKEN (stable for
 * every instance of a deployment, which must share ADMIN_TOKEN anyway).
 */
@Injectable()
export class CsrfService {
  private readonly secret: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const base = config.pagesSecret ?? config.adminToken;
    if (!base) throw new Error('PAGES_SECRET or ADMIN_TOKEN must be set to serve the pages');
    this.secret = config.pagesSecret
      ? Buffer.from(config.pagesSecret, 'utf8')
      : createHash('sha256').update(`convene/pages-secret/v1/${base}`, 'utf8').digest();
  }

  /** The token for this browser's forms; sets the cookie when the browser has none yet. */
  tokenFor(request: FastifyRequest, reply: FastifyReply): string {
    let value = readCookies(request).get(CSRF_COOKIE);
    if (!value || !COOKIE_PATTERN.test(value)) {
      value = randomBytes(32).toString('base64url');
      setCookie(request, reply, CSRF_COOKIE, value);
    }
    return this.sign(value);
  }

  /** Throws CsrfError unless the form's token signs the request's cookie. */
  verify(request: FastifyRequest, formToken: unknown): void {
    const value = readCookies(request).get(CSRF_COOKIE);
    if (!value || !COOKIE_PATTERN.test(value) || typeof formToken !== 'string') {
      throw new CsrfError();
    }
    const expected = Buffer.from(this.sign(value));
    const given = Buffer.from(formToken);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new CsrfError();
    }
  }

  private sign(value: string): string {
    return createHmac('sha256', this.secret).update(value).digest('base64url');
  }
}
