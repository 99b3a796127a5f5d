import { gzipSync } from 'node:zlib';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { EmailWorker } from '../src/notifications/delivery/email-worker.service';
import { checkA11y, screenshot, useBrowser } from './helpers/browser';
import { sessionOf } from './helpers/factories';
import { publishedEvent, secretsOf } from './helpers/registrations';
import { SmtpSink } from './helpers/smtp-sink';
import { startTestApp, TestApp, withDatabase } from './helpers/test-app';

interface Answers {
  email: string;
  mode: 'in_person' | 'online';
  givenName?: string;
  consent?: boolean;
}

const uniqueEmail = (name: string) =>
  `${name}.${Math.random().toString(36).slice(2, 10)}@example.kz`;

/** Fills the registration form by field names (the same in every language) and sends it. */
async function register(page: Page, answers: Answers): Promise<void> {
  await page.fill('[name=email]', answers.email);
  await page.fill('[name=givenName]', answers.givenName ?? 'Айгерім');
  await page.fill('[name=familyName]', 'Нұрланқызы');
  await page.fill('[name=organisation]', 'Ministry of Health');
  await page.selectOption('[name=country]', 'KZ');
  await page.selectOption('[name=stakeholderType]', 'government');
  await page.check(`input[name=attendanceMode][value=${answers.mode}]`);
  if (answers.consent !== false) await page.check('[name="consent.dataProcessing"]');
  await page.check('[name="consent.listOfParticipants"]');
  await page.click('main button[type=submit]');
  await page.waitForLoadState('domcontentloaded');
}

async function registrationsWith(email: string) {
  return withDatabase(async (db) => {
    const { rows } = await db.query(
      'SELECT status, attendance_mode, language FROM registrations WHERE lower(email) = lower($1)',
      [email],
    );
    return rows as { status: string; attendance_mode: string; language: string }[];
  });
}

describe('pages: the event page, registration and the participant’s own page', () => {
  const browser = useBrowser();
  let sink: SmtpSink;
  let t: TestApp;
  let worker: EmailWorker;
  let slug: string;
  let sessionTitle: string;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ SMTP_URL: sink.url });
    worker = t.app.get(EmailWorker);
    // Emails queued by earlier test files are not ours: put them off (see email-delivery spec).
    await withDatabase((db) =>
      db.query(
        "UPDATE emails SET next_attempt_at = now() + interval '1 day' WHERE status = 'queued' AND next_attempt_at <= now()",
      ),
    );
    const event = await publishedEvent(t.http, { title: 'Dialogue <on> "drug" policy & health' });
    slug = event.slug;
    const session = sessionOf(event, 10, 11);
    sessionTitle = session.title;
    const created = await t.http.post(`/api/v1/events/${slug}/sessions`, session);
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  /** Sends the queued emails and returns the manage link of the one email to `email`. */
  async function manageLinkFor(email: string): Promise<string> {
    await worker.drain();
    await sink.waitFor(() => sink.to(email).length > 0);
    const { parsed } = await sink.only(email);
    const link = /http:\/\/convene\.test(\/r\/[\w-]+)/.exec(parsed.text ?? '')?.[1];
    expect(link).toBeDefined();
    return t.baseUrl + link!;
  }

  it('shows the event (escaped title, local time with the zone, agenda, places) and its form', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    const res = await page.goto(`${t.baseUrl}/e/${slug}`);
    expect(res?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe(
      'Dialogue <on> "drug" policy & health',
    );
    const facts = (await page.locator('dl.facts').textContent()) ?? '';
    expect(facts).toMatch(/09:00.*17:00 \(Kazakhstan Time, GMT\+5\)/s);
    expect(facts).toContain('Palace of Independence');
    await expect(page.locator('.agenda').textContent()).resolves.toContain(sessionTitle);
    await expect(page.locator('.seats').textContent()).resolves.toMatch(
      /In person: 80 places left.*Online: 300 places left/s,
    );
    // Only the event's modes, each with its places; every field labelled.
    await expect(page.locator('input[name=attendanceMode]').count()).resolves.toBe(2);
    await checkA11y(page);
    await screenshot(page, 'event');
    expect(browser.problemsOf(page)).toEqual({ console: [], failedRequests: [] });
  });

  it('weighs little: HTML and CSS only, no JavaScript', async () => {
    const html = await t.http.get(`/e/${slug}`, { token: null });
    expect(html.text).not.toMatch(/<script/);
    const cssPath = /href="(\/assets\/pages\.[0-9a-f]+\.css)"/.exec(html.text)![1];
    const css = await t.http.get(cssPath, { token: null });
    const weight = {
      html: Buffer.byteLength(html.text),
      htmlGzip: gzipSync(html.text).length,
      css: Buffer.byteLength(css.text),
      cssGzip: gzipSync(css.text).length,
      js: 0,
      countryList: Buffer.byteLength(
        /<select[^>]*name="country"[\s\S]*?<\/select>/.exec(html.text)![0],
      ),
    };
    process.stdout.write(`[pages] /e/:slug weight ${JSON.stringify(weight)}\n`);
    // The budget: a phone on a slow link gets the page and its style in a few round trips.
    expect(weight.html + weight.css).toBeLessThan(60_000);
  });

  it('registers in person in English with no JavaScript, then the email’s link manages it', async () => {
    const email = uniqueEmail('en.inperson');
    const page = await browser.newPage({ locale: 'en-GB', javaScriptEnabled: false });
    await page.goto(`${t.baseUrl}/e/${slug}`);
    await page.check(`input[name=sessionIds]`);
    await register(page, { email, mode: 'in_person' });
    await expect(page.locator('h1').textContent()).resolves.toBe('Thank you for registering');
    await expect(page.locator('.status').textContent()).resolves.toBe('Confirmed');
    const reference = (await page.locator('.reference').textContent())?.trim() ?? '';
    expect(reference).toMatch(/^[A-Z0-9]{8}$/);
    await screenshot(page, 'confirmation');
    expect(await registrationsWith(email)).toEqual([
      { status: 'confirmed', attendance_mode: 'in_person', language: 'en' },
    ]);

    const manage = await manageLinkFor(email);
    const own = await browser.newPage({ locale: 'en-GB' });
    await own.goto(manage);
    await expect(own.locator('.status').textContent()).resolves.toBe('Confirmed');
    await expect(own.locator('.reference').textContent()).resolves.toBe(reference);
    const qr = own.locator('.qr svg[role=img]');
    await expect(qr.getAttribute('aria-label')).resolves.toBe(
      `QR code of your registration ${reference}`,
    );
    await expect(own.locator('main').textContent()).resolves.toContain(sessionTitle);
    // The QR code, as the desk's camera would read it, holds the registration's check-in code.
    const png = PNG.sync.read(await qr.screenshot());
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    const id = await withDatabase(
      async (db) =>
        (await db.query('SELECT id FROM registrations WHERE email = $1', [email])).rows[0] as {
          id: string;
        },
    );
    expect(decoded?.data).toBe((await secretsOf(id.id)).checkinCode);
    await checkA11y(own);
    await screenshot(own, 'manage-in-person');

    // Switch to online: the QR code gives way to the personal join link.
    await own.getByRole('button', { name: 'Switch to: Online' }).click();
    await own.waitForURL(/\?done=switched$/);
    await expect(own.locator('[role=status]').textContent()).resolves.toContain('has changed');
    await expect(own.locator('.qr').count()).resolves.toBe(0);
    await expect(own.locator('main a[href*="/j/"]').textContent()).resolves.toMatch(
      /^http:\/\/convene\.test\/j\/[\w-]+$/,
    );
    await checkA11y(own);
    await screenshot(own, 'manage-online');
    expect((await registrationsWith(email))[0].attendance_mode).toBe('online');

    // Cancel takes a confirmation step.
    await own.getByRole('link', { name: 'Cancel my registration' }).click();
    await expect(own.locator('h1').textContent()).resolves.toBe('Cancel your registration');
    await checkA11y(own);
    await screenshot(own, 'manage-cancel');
    expect((await registrationsWith(email))[0].status).toBe('confirmed');
    await own.getByRole('button', { name: 'Yes, cancel my registration' }).click();
    await own.waitForURL(/\?done=cancelled$/);
    await expect(own.locator('.status').textContent()).resolves.toBe('Cancelled');
    await expect(own.getByRole('link', { name: 'Cancel my registration' }).count()).resolves.toBe(
      0,
    );
    expect((await registrationsWith(email))[0].status).toBe('cancelled');
    expect(browser.problemsOf(own)).toEqual({ console: [], failedRequests: [] });
  });

  it('registers online in Russian: page, confirmation and email in Russian', async () => {
    const email = uniqueEmail('ru.online');
    const page = await browser.newPage({ locale: 'ru-RU' });
    await page.goto(`${t.baseUrl}/e/${slug}`);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    await expect(page.locator('[name=language]').inputValue()).resolves.toBe('ru');
    await register(page, { email, mode: 'online', givenName: 'Дмитрий' });
    await expect(page.locator('h1').textContent()).resolves.toBe('Спасибо за регистрацию');
    await expect(page.locator('.status').textContent()).resolves.toBe('Подтверждена');
    await checkA11y(page);
    await screenshot(page, 'confirmation-ru');
    expect(await registrationsWith(email)).toEqual([
      { status: 'confirmed', attendance_mode: 'online', language: 'ru' },
    ]);
    const manage = await manageLinkFor(email);
    expect((await sink.only(email)).parsed.subject).toMatch(/[А-Яа-я]/);
    // The own page speaks the registration's language to a browser that asks for none of ours.
    const own = await browser.newPage({ locale: 'de-DE' });
    await own.goto(manage);
    expect(await own.getAttribute('html', 'lang')).toBe('ru');
    await expect(own.locator('main a[href*="/j/"]').count()).resolves.toBe(1);
  });

  it('registers in Kazakh, chosen with the switcher, onto the waiting list of a full mode', async () => {
    const full = await publishedEvent(t.http, { capacity: { inPerson: 0, online: 10 } });
    const email = uniqueEmail('kk.waitlist');
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.goto(`${t.baseUrl}/e/${full.slug}`);
    await page.getByRole('link', { name: 'Қазақша' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('kk');
    await expect(
      page
        .locator('label[for="f-attendanceMode-0"] + .hint, #f-attendanceMode-0-hint')
        .first()
        .textContent(),
    ).resolves.toBe('Орын жоқ: күту тізіміне енгізілесіз');
    await register(page, { email, mode: 'in_person' });
    await expect(page.locator('.status').textContent()).resolves.toBe('Күту тізімінде');
    await expect(page.locator('main').textContent()).resolves.toContain('күту тізіміндесіз');
    await checkA11y(page);
    await screenshot(page, 'confirmation-kk-waitlisted');
    expect(await registrationsWith(email)).toEqual([
      { status: 'waitlisted', attendance_mode: 'in_person', language: 'kk' },
    ]);
  });

  it('shows each error beside its field, keeps the values, and stores nothing', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.goto(`${t.baseUrl}/e/${slug}`);
    await register(page, {
      email: 'not-an-email',
      mode: 'online',
      givenName: 'Keep me',
      consent: false,
    });
    const email = page.locator('#f-email');
    await expect(email.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(email.getAttribute('aria-describedby')).resolves.toContain('f-email-error');
    await expect(page.locator('#f-email-error').textContent()).resolves.toBe(
      'Enter an email address such as name@example.org.',
    );
    const consent = page.locator('[id="f-consent-dataProcessing"]');
    await expect(consent.getAttribute('aria-describedby')).resolves.toBe(
      'f-consent-dataProcessing-error',
    );
    await expect(page.locator('[id="f-consent-dataProcessing-error"]').textContent()).resolves.toBe(
      'We can only register you with your consent to process your data.',
    );
    // Exactly these two, listed in the summary that links to them.
    await expect(page.locator('.error').count()).resolves.toBe(2);
    await expect(
      page.locator('.summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
    ).resolves.toEqual(['#f-email', '#f-consent-dataProcessing']);
    await expect(email.inputValue()).resolves.toBe('not-an-email');
    await expect(page.locator('[name=givenName]').inputValue()).resolves.toBe('Keep me');
    await expect(
      page.locator('input[name=attendanceMode][value=online]').isChecked(),
    ).resolves.toBe(true);
    await checkA11y(page);
    await screenshot(page, 'event-errors');
    expect(await registrationsWith('not-an-email')).toEqual([]);
  });

  it('says so when the email is registered already (and resends its confirmation)', async () => {
    const email = uniqueEmail('twice');
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.goto(`${t.baseUrl}/e/${slug}`);
    await register(page, { email, mode: 'online' });
    await page.goto(`${t.baseUrl}/e/${slug}`);
    await register(page, { email: email.toUpperCase(), mode: 'in_person' });
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain(
      'already registered for this event',
    );
    await expect(page.locator('[name=email]').inputValue()).resolves.toBe(email.toUpperCase());
    await checkA11y(page);
    expect(await registrationsWith(email)).toHaveLength(1);
  });

  it('puts the error beside the mode when it is full and keeps no waitlist', async () => {
    const full = await publishedEvent(t.http, {
      capacity: { inPerson: 5, online: 0 },
      registration: { requiresApproval: false, waitlist: false, maxDelegationSize: 10 },
    });
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.goto(`${t.baseUrl}/e/${full.slug}`);
    const email = uniqueEmail('full');
    await register(page, { email, mode: 'online' });
    await expect(page.locator('#f-attendanceMode-error').textContent()).resolves.toBe(
      'There are no places left in this mode. Please choose another.',
    );
    expect(await registrationsWith(email)).toEqual([]);
  });

  it('offers no form when registration has closed or the event is cancelled', async () => {
    const closed = await publishedEvent(t.http);
    await withDatabase((db) =>
      db.query(
        "UPDATE events SET registration_closes_at = now() - interval '1 hour' WHERE slug = $1",
        [closed.slug],
      ),
    );
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.goto(`${t.baseUrl}/e/${closed.slug}`);
    await expect(page.locator('main form').count()).resolves.toBe(0);
    await expect(page.locator('main').textContent()).resolves.toContain('Registration is closed.');

    const cancelled = await publishedEvent(t.http);
    expect((await t.http.post(`/api/v1/events/${cancelled.slug}/cancel`)).status).toBe(200);
    await page.goto(`${t.baseUrl}/e/${cancelled.slug}`);
    await expect(page.locator('main form').count()).resolves.toBe(0);
    await expect(page.locator('.banner.bad').first().textContent()).resolves.toContain(
      'This event has been cancelled.',
    );
    await checkA11y(page);
    await screenshot(page, 'event-cancelled');
  });

  it('answers unknown events and manage links with a 404 page', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    const res = await page.goto(`${t.baseUrl}/r/no-such-token`);
    expect(res?.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('Page not found');
    await checkA11y(page);
    await screenshot(page, 'not-found');
  });

  it('makes one registration of a form sent twice (a double click): the same answer twice', async () => {
    const form = await t.http.get(`/e/${slug}`, { token: null });
    const cookie = form.headers.getSetCookie()[0].split(';')[0];
    const hidden = (name: string) =>
      new RegExp(`name="${name}" value="([^"]+)"`).exec(form.text)![1];
    const email = uniqueEmail('double');
    const body = new URLSearchParams({
      _csrf: hidden('_csrf'),
      idempotencyKey: hidden('idempotencyKey'),
      email,
      givenName: 'Асель',
      familyName: 'Бекова',
      organisation: 'NGO',
      country: 'KZ',
      stakeholderType: 'civil_society',
      attendanceMode: 'online',
      language: 'en',
      'consent.dataProcessing': 'yes',
      'consent.listOfParticipants': 'yes',
    }).toString();
    const send = () =>
      t.http.request('POST', `/e/${slug}`, {
        token: null,
        rawBody: body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      });
    const [first, second] = [await send(), await send()];
    const referenceOf = (text: string) => /class="reference">([A-Z0-9]{8})</.exec(text)?.[1];
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(referenceOf(first.text)).toMatch(/^[A-Z0-9]{8}$/);
    expect(referenceOf(second.text)).toBe(referenceOf(first.text));
    expect(await registrationsWith(email)).toHaveLength(1);
  });

  it('refuses a form post without the CSRF token or cookie: 403 page, nothing stored', async () => {
    const email = uniqueEmail('csrf');
    const body = new URLSearchParams({
      email,
      givenName: 'A',
      familyName: 'B',
      organisation: 'C',
      country: 'KZ',
      stakeholderType: 'government',
      attendanceMode: 'online',
      language: 'en',
      'consent.dataProcessing': 'yes',
    }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const noToken = await t.http.request('POST', `/e/${slug}`, {
      token: null,
      rawBody: body,
      headers,
    });
    expect(noToken.status).toBe(403);
    expect(noToken.headers.get('content-type')).toBe('text/html; charset=utf-8');
    // A token from one browser does not work with another browser's cookie.
    const page = await t.http.get(`/e/${slug}`, { token: null });
    const token = /name="_csrf" value="([\w-]+)"/.exec(page.text)![1];
    const forged = await t.http.request('POST', `/e/${slug}`, {
      token: null,
      rawBody: `${body}&_csrf=${token}`,
      headers: { ...headers, cookie: `cvn_csrf=${'A'.repeat(43)}` },
    });
    expect(forged.status).toBe(403);
    const cancel = await t.http.request('POST', `/r/anything/cancel`, {
      token: null,
      rawBody: '',
      headers,
    });
    expect(cancel.status).toBe(404);
    expect(await registrationsWith(email)).toEqual([]);
  });
});
