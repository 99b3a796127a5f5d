import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { eventWithSessions, registered } from './helpers/attendance';
import { hybridEvent, uniqueSlug } from './helpers/factories';
import { checkA11y, DESKTOP, screenshot, useBrowser } from './helpers/browser';
import { emailsOf } from './helpers/registrations';
import { reportFixture } from './helpers/reports';
import { SmtpSink } from './helpers/smtp-sink';
import { startTestApp, TestApp, withDatabase } from './helpers/test-app';

/**
 * Emails queued by other files (and by this file's setup) are put off for a day, so that the
 * worker sends only the ones the console's actions queue (rendering each takes a while).
 */
const putOffQueuedEmails = () =>
  withDatabase((db) =>
    db.query(
      "UPDATE emails SET next_attempt_at = now() + interval '1 day' WHERE status = 'queued'",
    ),
  );

/** Waits until the sink has received `count` messages for `address`. */
async function mailTo(sink: SmtpSink, address: string, count = 1): Promise<void> {
  const deadline = Date.now() + 20_000;
  const received = () =>
    sink.messages.filter((m) => m.rcptTo.some((r) => r.toLowerCase() === address.toLowerCase()))
      .length;
  while (received() < count) {
    if (Date.now() > deadline) throw new Error(`no email #${count} to ${address}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('pages: the organiser console', () => {
  const browser = useBrowser();
  let t: TestApp;
  let sink: SmtpSink;
  let organiserToken: string;
  let checkinToken: string;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ SMTP_URL: sink.url, MAIL_WORKER: 'true' });
    await putOffQueuedEmails();
    organiserToken = (
      await t.http.post('/api/v1/tokens', { name: 'Organiser Aida', role: 'organiser' })
    ).body.secret;
    checkinToken = (await t.http.post('/api/v1/tokens', { name: 'Door', role: 'checkin' })).body
      .secret;
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  async function signIn(page: Page, token = organiserToken): Promise<void> {
    await page.goto(`${t.baseUrl}/admin`);
    await checkA11y(page);
    await page.getByLabel('Staff token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('refuses a checkin token and any page without a session', async () => {
    const page = await browser.newPage();
    await signIn(page, checkinToken);
    await expect(page.locator('.error').textContent()).resolves.toContain('may not use');
    const res = await page.goto(`${t.baseUrl}/admin/events/anything/registrations`);
    // Back to the sign-in form.
    expect(res?.url()).toBe(`${t.baseUrl}/admin`);
    await page.getByLabel('Staff token').waitFor();
  });

  it('approves, retries a failed email, imports a Zoom report, shows the dashboard, exports', async () => {
    const event = await eventWithSessions(
      t.http,
      { registration: { requiresApproval: true, waitlist: true, maxDelegationSize: 10 } },
      [{ title: 'Opening plenary' }],
    );
    const pending = await registered(t.http, event.slug, {
      givenName: 'Pending',
      familyName: 'Person',
    });
    const other = await registered(t.http, event.slug, {
      givenName: 'Other',
      familyName: 'Person',
    });
    const aigerim = await registered(t.http, event.slug, {
      email: 'a.nurlanovna@example.kz',
      attendanceMode: 'online',
    });
    const yerlan = await registered(t.http, event.slug, {
      email: 'yerlan.sarsenbayev@minzdrav.kz',
      givenName: 'Ерлан',
      familyName: 'Сәрсенбаев',
      attendanceMode: 'online',
    });
    for (const r of [other, aigerim, yerlan]) {
      const res = await t.http.post(`/api/v1/events/${event.slug}/registrations/${r.id}/approve`);
      expect(res.body.status).toBe('confirmed');
    }
    await putOffQueuedEmails();
    const pendingEmail = (
      await withDatabase((db) =>
        db.query('SELECT email FROM registrations WHERE id = $1', [pending.id]),
      )
    ).rows[0].email as string;

    const page = await browser.newPage({ viewport: DESKTOP });
    await signIn(page);
    // The home lists the events (many, from other test files too); open ours.
    await page.locator('ul.event-list a').first().waitFor();
    await page.goto(`${t.baseUrl}/admin/events/${event.slug}`);
    await expect(page.locator('h1').textContent()).resolves.toBe(event.body.title);
    await checkA11y(page);
    await page.getByRole('link', { name: 'Registrations' }).click();

    // Filter to the pending ones and approve.
    await page.getByLabel('Status').selectOption('pending');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page.locator('tbody tr').count()).resolves.toBe(1);
    await checkA11y(page);
    await screenshot(page, 'console-registrations');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.locator('.banner.ok').waitFor();
    expect(page.url()).toContain('status=pending');
    await expect(page.locator('tbody tr').count()).resolves.toBe(0);
    const status = await withDatabase((db) =>
      db.query('SELECT status FROM registrations WHERE id = $1', [pending.id]),
    );
    expect(status.rows[0].status).toBe('confirmed');
    // The confirmation arrives (the console's approval queued it).
    const kinds = (await emailsOf(pending.id)).map((e) => e.kind);
    expect(kinds).toEqual(['registration_pending', 'registration_confirmed']);
    await mailTo(sink, pendingEmail, 1);

    // A failed email, retried from the log.
    const failed = await withDatabase(async (db) => {
      const { rows } = await db.query(
        `UPDATE emails SET status = 'failed', attempts = 5, last_error = '550 mailbox full'
          WHERE id = (SELECT id FROM emails WHERE registration_id = $1 AND status = 'sent'
                       ORDER BY created_at DESC LIMIT 1) RETURNING id`,
        [pending.id],
      );
      return rows[0].id as string;
    });
    const before = sink.messages.length;
    await page.getByRole('link', { name: 'Email log' }).click();
    await page.getByLabel('Status').selectOption('failed');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page.locator('tbody').textContent()).resolves.toContain('550 mailbox full');
    await checkA11y(page);
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.locator('.banner.ok').waitFor();
    await mailTo(sink, pendingEmail, 2);
    expect(sink.messages.length).toBeGreaterThan(before);
    const retried = await withDatabase((db) =>
      db.query('SELECT status FROM emails WHERE id = $1', [failed]),
    );
    expect(['queued', 'sending', 'sent']).toContain(retried.rows[0].status);

    // Zoom import.
    await page.getByRole('link', { name: 'Attendance' }).click();
    const upload = join(mkdtempSync(join(tmpdir(), 'zoom-')), 'participants.csv');
    writeFileSync(upload, reportFixture('zoom-participants.csv'));
    await page.getByLabel('Participant report file').setInputFiles(upload);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.locator('#import-result').waitFor();
    await expect(page.locator('#import-result').textContent()).resolves.toContain(
      '12 rows read, 2 registrations matched, 1 rows already imported.',
    );
    await expect(page.locator('.unmatched').textContent()).resolves.toContain('iPhone');
    await expect(page.locator('.unmatched').textContent()).resolves.toContain('Dana Omarova');
    await checkA11y(page);

    // Check one person in at the door, then read the dashboard.
    const checkIn = await t.http.post(`/api/v1/events/${event.slug}/check-ins`, {
      code: other.reference,
    });
    expect(checkIn.status).toBe(201);
    await page.goto(`${t.baseUrl}/admin/events/${event.slug}/attendance`);
    const numbers = async (mode: string) =>
      Object.fromEntries(
        await page
          .locator(`dl.numbers[data-mode="${mode}"] > div`)
          .evaluateAll((divs) =>
            divs.map((d) => [
              d.querySelector('dt')!.textContent,
              d.querySelector('dd')!.textContent,
            ]),
          ),
      );
    expect(await numbers('In person')).toEqual({
      Registered: '2',
      Confirmed: '2',
      Waitlisted: '0',
      Attended: '1',
      'No-shows': '1',
      Rate: '50%',
    });
    expect(await numbers('Online')).toEqual({
      Registered: '2',
      Confirmed: '2',
      Waitlisted: '0',
      Attended: '2',
      'No-shows': '0',
      Rate: '100%',
    });
    // The bars: 50 % and 100 % of the track.
    const widths = await page
      .locator('.chart')
      .first()
      .locator('rect')
      .evaluateAll((rects) => rects.map((r) => r.getAttribute('width')));
    expect(widths).toEqual(['50', '100']);
    await checkA11y(page);
    await screenshot(page, 'console-dashboard');

    // Export: a real download of the registrations CSV.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Registrations (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${event.slug}-registrations.csv`);
    const csv = readFileSync(await download.path(), 'utf8');
    for (const r of [pending, other, aigerim, yerlan]) expect(csv).toContain(r.reference);
  });

  it('adds a session with errors beside the fields, publishes, in Russian too', async () => {
    const draft = await t.http.post('/api/v1/events', hybridEvent());
    const slug = draft.body.slug as string;
    const at = (hours: number) =>
      new Date(Date.parse(draft.body.startsAt) + hours * 3600_000).toISOString();
    const page = await browser.newPage({ locale: 'ru-RU' });
    await page.goto(`${t.baseUrl}/admin`);
    await page.getByLabel('Токен персонала').fill(organiserToken);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.goto(`${t.baseUrl}/admin/events/${slug}`);
    await page.getByLabel('Название').fill('Панель');
    await page.getByLabel('Начало').fill('not a date');
    await page.getByLabel('Окончание').fill(at(2));
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.locator('.summary').waitFor();
    await expect(page.locator('#f-startsAt').getAttribute('aria-invalid')).resolves.toBe('true');
    await checkA11y(page);
    await page.getByLabel('Начало').fill(at(1));
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.locator('.banner.ok').waitFor();
    await expect(page.locator('main').textContent()).resolves.toContain('Панель');
    await page.getByRole('button', { name: 'Опубликовать' }).click();
    await page.locator('.banner.ok').waitFor();
    const status = await withDatabase((db) =>
      db.query('SELECT status FROM events WHERE slug = $1', [slug]),
    );
    expect(status.rows[0].status).toBe('published');
  });

  it('pages through every event, 50 at a time, and starts over on a cursor it cannot read', async () => {
    // 51 events of its own, far in the future so that they come last in the list (by start).
    const mine = new Set<string>();
    for (let i = 0; i < 51; i++) {
      const day = `2099-03-${String(1 + (i % 28)).padStart(2, '0')}`;
      const body = hybridEvent({
        startsAt: `${day}T09:00:00+05:00`,
        endsAt: `${day}T17:00:00+05:00`,
      });
      expect((await t.http.post('/api/v1/events', body)).status).toBe(201);
      mine.add(body.slug);
    }
    const page = await browser.newPage({ viewport: DESKTOP });
    await signIn(page);
    const seen: string[] = [];
    for (let pages = 1; ; pages++) {
      // Each link is the event's console page: /admin/events/{slug}.
      const links = await Promise.all(
        (await page.locator('.event-list li a').all()).map(
          async (a) => decodeURIComponent((await a.getAttribute('href')) ?? '').split('/')[3],
        ),
      );
      expect(links.length).toBeLessThanOrEqual(50);
      seen.push(...links);
      const next = page.getByRole('link', { name: 'Next page' });
      if ((await next.count()) === 0) break;
      expect(links).toHaveLength(50);
      expect(pages).toBeLessThan(100);
      await next.click();
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect([...mine].filter((slug) => !seen.includes(slug))).toEqual([]);
    await page.goto(`${t.baseUrl}/admin?cursor=not-a-cursor`);
    expect(await page.locator('.event-list li').count()).toBe(50);
  });

  it('creates an event and edits it, with errors beside the fields', async () => {
    const slug = uniqueSlug('console');
    const page = await browser.newPage({ viewport: DESKTOP });
    await signIn(page);
    await page.getByRole('link', { name: 'New event' }).click();
    await checkA11y(page);
    await page.getByLabel('Address name (slug)').fill(slug);
    await page.getByLabel('Title').fill('Regional consultation');
    await page.getByLabel('Time zone').fill('Asia/Almaty');
    await page.getByLabel('Starts').fill('2027-03-01T09:00:00+05:00');
    await page.getByLabel('Ends').fill('soon');
    await page.getByLabel('Format').selectOption('in_person');
    await page.getByLabel('Venue', { exact: true }).fill('Hall of Friendship');
    await page.getByLabel('In-person places').fill('50');
    await page.getByLabel('English').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.summary').waitFor();
    await expect(page.locator('#f-endsAt').getAttribute('aria-invalid')).resolves.toBe('true');
    await checkA11y(page);
    await page.getByLabel('Ends').fill('2027-03-01T17:00:00+05:00');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.banner.ok').waitFor();
    expect(page.url()).toBe(`${t.baseUrl}/admin/events/${slug}?done=1`);
    await page.getByRole('link', { name: 'Edit the event' }).click();
    await page.getByLabel('Title').fill('Regional consultation, renamed');
    await page.getByLabel('In-person places').fill('60');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.banner.ok').waitFor();
    const row = await withDatabase((db) =>
      db.query('SELECT title, capacity_in_person, status, format FROM events WHERE slug = $1', [
        slug,
      ]),
    );
    expect(row.rows[0]).toEqual({
      title: 'Regional consultation, renamed',
      capacity_in_person: 60,
      status: 'draft',
      format: 'in_person',
    });
  });

  it('edits a session, with an error beside a field, then removes one', async () => {
    const event = await eventWithSessions(t.http, {}, [
      { title: 'Opening plenary' },
      { title: 'Closing panel' },
    ]);
    const slug = event.slug;
    const sessions = (await t.http.get(`/api/v1/events/${slug}/sessions`)).body.items as {
      id: string;
      title: string;
      startsAt: string;
    }[];
    const opening = sessions.find((s) => s.title === 'Opening plenary')!;
    const closing = sessions.find((s) => s.title === 'Closing panel')!;
    const at = (hours: number) =>
      new Date(Date.parse(opening.startsAt) + hours * 3600_000).toISOString();
    const page = await browser.newPage({ viewport: DESKTOP });
    await signIn(page);
    await page.goto(`${t.baseUrl}/admin/events/${slug}`);
    await page.getByRole('link', { name: /^Edit\W+Opening plenary$/ }).click();
    expect(page.url()).toBe(`${t.baseUrl}/admin/events/${slug}/sessions/${opening.id}/edit`);
    await expect(page.getByLabel('Title').inputValue()).resolves.toBe('Opening plenary');
    await checkA11y(page);

    // An end before the start: the service's error, beside the field.
    await page.getByLabel('Title').fill('Opening plenary, moved');
    await page.getByLabel('Starts').fill(at(2));
    await page.getByLabel('Ends').fill(at(1));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.summary').waitFor();
    await expect(page.locator('#f-endsAt').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByLabel('Title').inputValue()).resolves.toBe('Opening plenary, moved');
    await checkA11y(page);
    await page.getByLabel('Ends').fill(at(3));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.banner.ok').waitFor();
    expect(page.url()).toBe(`${t.baseUrl}/admin/events/${slug}?done=1`);
    const edited = await t.http.get(`/api/v1/events/${slug}/sessions/${opening.id}`);
    expect(edited.body.title).toBe('Opening plenary, moved');
    expect(Date.parse(edited.body.startsAt)).toBe(Date.parse(at(2)));
    expect(Date.parse(edited.body.endsAt)).toBe(Date.parse(at(3)));

    // Remove the other one, from its page.
    await page.getByRole('link', { name: /^Edit\W+Closing panel$/ }).click();
    await page.getByRole('button', { name: 'Remove this session' }).click();
    await page.locator('.banner.ok').waitFor();
    await expect(page.locator('main').textContent()).resolves.not.toContain('Closing panel');
    const left = await withDatabase((db) =>
      db.query(
        'SELECT s.id FROM event_sessions s JOIN events e ON e.id = s.event_id WHERE e.slug = $1',
        [slug],
      ),
    );
    expect(left.rows).toEqual([{ id: opening.id }]);
    const gone = await t.http.get(`/api/v1/events/${slug}/sessions/${closing.id}`);
    expect(gone.status).toBe(404);
  });
});
