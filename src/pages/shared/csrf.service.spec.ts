import type { FastifyReply, FastifyRequest } from 'fastify';
import { loadConfig } from '../../config/app-config';
import { CSRF_COOKIE, CsrfError, CsrfService } from './csrf.service';

function fakeRequest(cookie?: string, protocol = 'http'): FastifyRequest {
  return { headers: cookie ? { cookie } : {}, protocol } as unknown as FastifyRequest;
}

function fakeReply(): FastifyReply & { cookies: string[] } {
  const cookies: string[] = [];
  const reply = {
    cookies,
    header(name: string, value: string) {
      if (name.toLowerCase() === 'set-cookie') cookies.push(value);
      return reply;
    },
  };
  return reply as unknown as FastifyReply & { cookies: string[] };
}

const service = (env: Record<string, string>) => new CsrfService(loadConfig(env));
const cookieValue = (setCookie: string) => setCookie.split(';')[0].split('=')[1];

describe('CsrfService', () => {
  const csrf = service({ ADMIN_TOKEN: 'admin-token-0123456789abcdef' });

  it('sets an HttpOnly, SameSite=Lax cookie once and accepts the token it signed', () => {
    const reply = fakeReply();
    const token = csrf.tokenFor(fakeRequest(), reply);
    expect(reply.cookies).toHaveLength(1);
    expect(reply.cookies[0]).toMatch(
      new RegExp(`^${CSRF_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; SameSite=Lax; HttpOnly$`),
    );
    const cookie = `${CSRF_COOKIE}=${cookieValue(reply.cookies[0])}`;
    expect(() => csrf.verify(fakeRequest(cookie), token)).not.toThrow();
    // A browser that has the cookie gets the same token and no new cookie.
    const again = fakeReply();
    expect(csrf.tokenFor(fakeRequest(cookie), again)).toBe(token);
    expect(again.cookies).toEqual([]);
  });

  it('marks the cookie Secure when the request came over HTTPS', () => {
    const reply = fakeReply();
    csrf.tokenFor(fakeRequest(undefined, 'https'), reply);
    expect(reply.cookies[0]).toMatch(/; Secure$/);
  });

  it('refuses a post without the cookie, without the token, or with a token of another cookie', () => {
    const reply = fakeReply();
    const token = csrf.tokenFor(fakeRequest(), reply);
    const cookie = `${CSRF_COOKIE}=${cookieValue(reply.cookies[0])}`;
    const other = `${CSRF_COOKIE}=${'A'.repeat(43)}`;
    expect(() => csrf.verify(fakeRequest(), token)).toThrow(CsrfError);
    expect(() => csrf.verify(fakeRequest(cookie), undefined)).toThrow(CsrfError);
    expect(() => csrf.verify(fakeRequest(cookie), `${token}x`)).toThrow(CsrfError);
    expect(() => csrf.verify(fakeRequest(other), token)).toThrow(CsrfError);
  });

  it('accepts tokens across instances that share the secret, not across secrets', () => {
    const reply = fakeReply();
    const token = csrf.tokenFor(fakeRequest(), reply);
    const cookie = `${CSRF_COOKIE}=${cookieValue(reply.cookies[0])}`;
    const twin = service({ ADMIN_TOKEN: 'admin-token-0123456789abcdef' });
    expect(() => twin.verify(fakeRequest(cookie), token)).not.toThrow();
    const explicit = service({
      ADMIN_TOKEN: 'admin-token-0123456789abcdef',
      PAGES_SECRET: 'a-pages-secret-of-at-least-32-characters',
    });
    expect(() => explicit.verify(fakeRequest(cookie), token)).toThrow(CsrfError);
  });
});
