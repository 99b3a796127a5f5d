import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The Content-Security-Policy of every page: only our own origin, no inline scripts or styles
 * (so an injected `<script>` or `style=` does nothing), never framed, forms post only to us.
 * Inline SVG (the QR code) is markup, not an image fetch, so img-src needs nothing more.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Headers on every page response. Referrer-Policy no-referrer because manage tokens are in page
 * URLs (/r/…, /d/…) and must not leak to another site through a link. Pages are never stored by
 * a cache: they carry a CSRF token, and the private ones a person's data.
 */
export function setPageHeaders(reply: FastifyReply): void {
  void reply
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Content-Security-Policy', PAGE_CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('X-Frame-Options', 'DENY')
    .header('Referrer-Policy', 'no-referrer')
    .header('Cross-Origin-Opener-Policy', 'same-origin')
    .header('Cache-Control', 'no-store');
}

/** Cookies as the request sent them (first value wins, values percent-decoded when valid). */
export function readCookies(request: FastifyRequest): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || cookies.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      cookies.set(name, value);
    }
  }
  return cookies;
}

/**
 * Whether the browser reached us over HTTPS: directly, or through a proxy that says so in
 * X-Forwarded-Proto, which Fastify believes only when TRUST_PROXY is set.
 */
export function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

export interface CookieOptions {
  maxAgeSeconds?: number;
  httpOnly?: boolean;
  /** Lax unless told otherwise; staff sessions use Strict. */
  sameSite?: 'Lax' | 'Strict';
}

/** Adds a Set-Cookie: SameSite=Lax (or Strict), Path=/, HttpOnly unless told otherwise, Secure over HTTPS. */
export function setCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  value: string,
  options: CookieOptions = {},
): void {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    `SameSite=${options.sameSite ?? 'Lax'}`,
  ];
  if (options.httpOnly !== false) parts.push('HttpOnly');
  if (isHttps(request)) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  void reply.header('Set-Cookie', parts.join('; '));
}
