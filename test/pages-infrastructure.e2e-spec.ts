import { gunzipSync } from 'node:zlib';
import { checkA11y, screenshot, useBrowser } from './helpers/browser';
import { publishedEvent } from './helpers/registrations';
import { startTestApp, TestApp } from './helpers/test-app';

/** What every page shares: headers, cookies, language, assets, error pages, the harness itself. */
describe('pages: shared infrastructure', () => {
  const browser = useBrowser();
  let t: TestApp;
  let slug: string;

  beforeAll(async () => {
    t = await startTestApp();
    slug = (await publishedEvent(t.http, { languages: ['kk', 'ru'] })).slug;
  });
  afterAll(() => t.close());

  const page = (path: string, headers: Record<string, string> = {}) =>
    t.http.get(path, { token: null, headers });

  it('answers every page with the security headers, no-store and the CSRF cookie', async () => {
    const res = await page(`/e/${slug}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "frame-ancestors 'none'",
      "form-action 'self'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('set-cookie')).toMatch(
      /^cvn_csrf=[\w-]{43}; Path=\/; SameSite=Lax; HttpOnly$/,
    );
    // No inline script or style anywhere in the markup.
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)|<style|\sstyle=/);
  });

  it('marks cookies Secure behind an HTTPS proxy when TRUST_PROXY is set, and only then', async () => {
    const forwarded = { 'x-forwarded-proto': 'https' };
    expect((await page(`/e/${slug}`, forwarded)).headers.get('set-cookie')).not.toMatch(/Secure/);
    const proxied = await startTestApp({ TRUST_PROXY: 'true' });
    try {
      const res = await proxied.http.get(`/e/${slug}`, { token: null, headers: forwarded });
      expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
    } finally {
      await proxied.close();
    }
  });

  it('serves the stylesheet under a content-hashed URL, cached for a year, gzipped on request', async () => {
    const res = await page(`/e/${slug}`);
    const href = /<link rel="stylesheet" href="(\/assets\/pages\.[0-9a-f]{10}\.css)"/.exec(
      res.text,
    )?.[1];
    expect(href).toBeDefined();
    const css = await fetch(t.baseUrl + href, { headers: { 'accept-encoding': 'identity' } });
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const plain = await css.text();
    expect(plain).toContain(':focus-visible');
    const zipped = await t.http.request('GET', href!, {
      token: null,
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(zipped.status).toBe(200);
    // fetch decodes gzip itself: the same stylesheet came back.
    expect(zipped.text).toBe(plain);
    const raw = await new Promise<Buffer>((resolve, reject) => {
      void import('node:http').then(({ get }) =>
        get(t.baseUrl + href, { headers: { 'accept-encoding': 'gzip' } }, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve(Buffer.concat(chunks)));
        }).on('error', reject),
      );
    });
    expect(raw.length).toBeLessThan(plain.length);
    expect(gunzipSync(raw).toString('utf8')).toBe(plain);
    expect((await page('/assets/pages.0000000000.css')).status).toBe(404);
  });

  it('answers an unknown event with a 404 page, not JSON, in the browser language', async () => {
    const res = await page('/e/no-such-event', { 'accept-language': 'ru-RU,ru;q=0.9' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.text).toContain('<html lang="ru">');
    expect(res.text).toContain('Страница не найдена');
  });

  it('chooses the language from ?lang= (remembered), else the browser, else the event', async () => {
    const kk = await page(`/e/${slug}`, { 'accept-language': 'de-DE' });
    expect(kk.text).toContain('<html lang="kk">'); // the event's first language
    const ru = await page(`/e/${slug}`, { 'accept-language': 'ru,en;q=0.5' });
    expect(ru.text).toContain('<html lang="ru">');
    const picked = await page(`/e/${slug}?lang=en`, { 'accept-language': 'ru' });
    expect(picked.text).toContain('<html lang="en">');
    const langCookie = picked.headers
      .getSetCookie()
      .find((c) => c.startsWith('cvn_lang='))
      ?.split(';')[0];
    expect(langCookie).toBe('cvn_lang=en');
    const remembered = await page(`/e/${slug}`, { 'accept-language': 'ru', cookie: langCookie! });
    expect(remembered.text).toContain('<html lang="en">');
  });

  it('keeps the API JSON-only: a form body sent to /api/ is still a 415', async () => {
    const res = await t.http.request('POST', `/api/v1/public/events/${slug}/registrations`, {
      token: null,
      rawBody: 'email=a%40example.org',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('renders in Chromium with no CSP or console errors, a working skip link and switcher', async () => {
    const tab = await browser.newPage({ locale: 'kk-KZ' });
    await tab.goto(`${t.baseUrl}/e/${slug}`);
    expect(await tab.getAttribute('html', 'lang')).toBe('kk');
    // The time is the event's local time with the zone named.
    await expect(tab.locator('dl.facts').textContent()).resolves.toMatch(/09:00.*17:00.*GMT\+5/s);
    await tab.keyboard.press('Tab');
    const skip = tab.locator('a.skip');
    await expect(tab.locator('a.skip:focus').count()).resolves.toBe(1);
    expect((await skip.boundingBox())?.y).toBeGreaterThanOrEqual(0); // visible when focused
    await tab.keyboard.press('Enter');
    await expect(tab.locator('main#main:focus').count()).resolves.toBe(1);
    await checkA11y(tab);
    await screenshot(tab, 'event-basic-kk');
    await tab.getByRole('link', { name: 'Русский' }).click();
    await tab.waitForURL(/\?lang=ru$/);
    expect(await tab.getAttribute('html', 'lang')).toBe('ru');
    await expect(tab.locator('h2').first().textContent()).resolves.toBe('Свободные места');
    // Remembered: the plain URL stays in Russian.
    await tab.goto(`${t.baseUrl}/e/${slug}`);
    expect(await tab.getAttribute('html', 'lang')).toBe('ru');
    expect(browser.problemsOf(tab)).toEqual({ console: [], failedRequests: [] });
  });

  it('fails an accessibility check loudly, naming the rule and the element', async () => {
    const tab = await browser.newPage();
    await tab.goto(`${t.baseUrl}/e/${slug}`);
    // Break the page on purpose: an image without any text alternative.
    await tab.evaluate(
      `document.querySelector('main').insertAdjacentHTML('beforeend', '<img id="broken" src="/assets/none.png">')`,
    );
    await expect(checkA11y(tab)).rejects.toThrow(/image-alt[\s\S]*#broken/);
  });
});
