import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { simpleParser, type ParsedMail } from 'mailparser';
import { PNG } from 'pngjs';
import { parseCalendar } from '../src/notifications/rendering/test-helpers';
import { EmailWorker } from '../src/notifications/delivery/email-worker.service';
import { hybridEvent, sessionOf } from './helpers/factories';
import { publishedEvent, register, registrationBody, secretsOf } from './helpers/registrations';
import { freePort, SmtpSink } from './helpers/smtp-sink';
import { startTestApp, TestApp, withDatabase } from './helpers/test-app';

interface EmailRow {
  id: string;
  kind: string;
  to_address: string;
  status: string;
  attempts: number;
  last_error: string | null;
  sent_at: Date | null;
  message_id: string | null;
  next_attempt_at: Date;
  locked_until: Date | null;
}

/** The outbox rows of a registration, oldest first. */
const emailRows = (registrationId: string) =>
  withDatabase(
    async (db) =>
      (
        await db.query('SELECT * FROM emails WHERE registration_id = $1 ORDER BY created_at, id', [
          registrationId,
        ])
      ).rows as EmailRow[],
  );

/** The one email of a registration (its confirmation). */
async function emailOf(registrationId: string): Promise<EmailRow> {
  const rows = await emailRows(registrationId);
  expect(rows).toHaveLength(1);
  return rows[0];
}

/** Makes queued emails of these registrations due now, instead of waiting out the back-off. */
const dueNow = (registrationIds: string[]) =>
  withDatabase((db) =>
    db.query(
      "UPDATE emails SET next_attempt_at = now() WHERE registration_id = ANY($1::uuid[]) AND status = 'queued'",
      [registrationIds],
    ),
  );

const uniqueEmail = (prefix: string) => `${prefix}.${randomBytes(5).toString('hex')}@example.kz`;

const headerText = (parsed: ParsedMail, name: string) => {
  const line = parsed.headerLines.find((h) => h.key === name.toLowerCase());
  return line?.line;
};

function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

/** The messages at the sink with this Message-ID. */
const withMessageId = (sink: SmtpSink, messageId: string) =>
  sink.messages.filter((m) => {
    const header = /^Message-ID:\s*(<[^>]+>)/im.exec(m.raw.toString('latin1'));
    return header?.[1] === messageId;
  });

describe('email delivery through a real SMTP server', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let worker: EmailWorker;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await startTestApp({ SMTP_URL: sink.url });
    worker = t.app.get(EmailWorker);
    // Test files that ran before this one leave their emails queued (their apps run no worker).
    // Sending them all here costs minutes under jest (rendering a QR PNG is slow in its VM), so
    // they are put off for a day: every drain below handles this file's emails (and whatever
    // another file queues meanwhile, which may arrive at this sink too; only our own
    // recipients are asserted on).
    await withDatabase((db) =>
      db.query(
        "UPDATE emails SET next_attempt_at = now() + interval '1 day' WHERE status = 'queued' AND next_attempt_at <= now()",
      ),
    );
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  beforeEach(() => {
    sink.behaviour.refuse.clear();
    sink.behaviour.defer.clear();
    sink.behaviour.tempFail = false;
  });

  describe('a confirmation', () => {
    it('arrives once, in Kazakh, with both parts, the reference, local time, QR, .ics and manage link; the row is sent', async () => {
      const event = await publishedEvent(t.http);
      const body = registrationBody({ email: uniqueEmail('deliver') });
      const res = await register(t.http, event.slug, body);
      expect(res.status).toBe(201);
      const secrets = await secretsOf(res.body.id);

      const started = performance.now();
      const handled = await worker.drain();
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `[email] first drain: ${handled} emails in ${seconds.toFixed(2)} s (includes other test files' queued emails)`,
      );

      const { message, parsed } = await sink.only(body.email);
      expect(message.rcptTo).toEqual([body.email]);
      expect(parsed.to).toMatchObject({
        value: [{ address: body.email, name: 'Айгерім Нұрланқызы' }],
      });
      // Kazakh: "registration confirmed".
      expect(parsed.subject).toBe(`Тіркелу расталды: «${event.title}» (${res.body.reference})`);
      expect(parsed.text).toContain(res.body.reference);
      expect(parsed.html).toEqual(expect.stringContaining(res.body.reference));
      // 09:00 local in Asia/Almaty, with the zone named.
      expect(parsed.text).toMatch(/09:00/);
      expect(parsed.text).toMatch(/Asia\/Almaty|Алматы/);
      expect(parsed.text).toContain(`http://convene.test/r/${secrets.manageToken}`);
      expect(parsed.html).toEqual(
        expect.stringContaining(`http://convene.test/r/${secrets.manageToken}`),
      );
      expect(parsed.text).not.toContain('/j/');

      const pngs = parsed.attachments.filter((a) => a.contentType === 'image/png');
      expect(pngs.length).toBeGreaterThanOrEqual(1);
      for (const png of pngs) expect(decodeQr(png.content)).toBe(secrets.checkinCode);
      expect(
        pngs.some((png) => png.cid && parsed.html && parsed.html.includes(`cid:${png.cid}`)),
      ).toBe(true);

      const ics = parsed.attachments.filter(
        (a) => a.contentType === 'text/calendar' || a.filename?.endsWith('.ics'),
      );
      expect(ics.length).toBeGreaterThanOrEqual(1);
      const calendar = parseCalendar(ics[0].content.toString('utf8'));
      expect(calendar.start?.toISOString()).toBe(new Date(event.startsAt).toISOString());
      // One UID per registration, so a later update replaces the entry.
      expect(calendar.uid).toContain(res.body.id);

      const row = await emailOf(res.body.id);
      expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
      expect(row.sent_at).toBeInstanceOf(Date);
      expect(row.message_id).toBe(parsed.messageId);
      expect(row.message_id).toBe(`<${row.id}@convene.test>`);

      const log = await t.http.get(
        `/api/v1/events/${event.slug}/emails?registrationId=${res.body.id}`,
      );
      expect(log.status).toBe(200);
      expect(log.body.items).toEqual([
        expect.objectContaining({
          id: row.id,
          kind: 'registration_confirmed',
          to: body.email,
          status: 'sent',
          attempts: 1,
          lastError: null,
          sentAt: expect.any(String),
          messageId: row.message_id,
        }),
      ]);
    });

    it('lists the chosen sessions by start, in local time, with their rooms', async () => {
      const event = await publishedEvent(t.http);
      const late = await t.http.post(
        `/api/v1/events/${event.slug}/sessions`,
        sessionOf(event, 14, 15, { title: 'Closing plenary', room: 'Hall C' }),
      );
      const early = await t.http.post(`/api/v1/events/${event.slug}/sessions`, sessionOf(event));
      expect([late.status, early.status]).toEqual([201, 201]);
      const body = registrationBody({
        email: uniqueEmail('sessions'),
        language: 'en',
        sessionIds: [late.body.id, early.body.id],
      });
      const res = await register(t.http, event.slug, body);
      expect(res.status).toBe(201);
      await worker.drain();

      const { parsed } = await sink.only(body.email);
      const first = parsed.text!.indexOf('- Panel: harm reduction in Central Asia\n  10:00');
      const second = parsed.text!.indexOf('- Closing plenary\n  14:00');
      expect(first).toBeGreaterThan(0);
      expect(second).toBeGreaterThan(first);
      expect(parsed.text).toMatch(/- Closing plenary\n {2}14:00\D+15:00, Hall C\n/);
      expect(parsed.html).toEqual(expect.stringContaining('<strong>Closing plenary</strong>'));
    });

    it('for an online registrant carries the join link and no QR code', async () => {
      const event = await publishedEvent(t.http);
      const body = registrationBody({
        email: uniqueEmail('online'),
        attendanceMode: 'online',
        language: 'en',
      });
      const res = await register(t.http, event.slug, body);
      expect(res.status).toBe(201);
      const secrets = await secretsOf(res.body.id);
      await worker.drain();

      const { parsed } = await sink.only(body.email);
      expect(parsed.subject).toContain(res.body.reference);
      expect(parsed.text).toContain(`http://convene.test/j/${secrets.joinToken}`);
      expect(parsed.html).toEqual(
        expect.stringContaining(`http://convene.test/j/${secrets.joinToken}`),
      );
      expect(parsed.attachments.filter((a) => a.contentType === 'image/png')).toEqual([]);
      expect(parsed.text).not.toContain(secrets.checkinCode);
      expect(await emailOf(res.body.id)).toMatchObject({ status: 'sent', attempts: 1 });
    });
  });

  describe('faults', () => {
    it('SMTP down, then back: queued with back-off, then delivered on the second attempt', async () => {
      const port = await freePort();
      const down = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
      let later: SmtpSink | undefined;
      try {
        const event = await publishedEvent(down.http);
        const body = registrationBody({ email: uniqueEmail('down') });
        const res = await register(down.http, event.slug, body);
        expect(res.status).toBe(201);

        await down.app.get(EmailWorker).drain();
        const failed = await emailOf(res.body.id);
        expect(failed).toMatchObject({ status: 'queued', attempts: 1, sent_at: null });
        expect(failed.last_error).toMatch(/ECONNREFUSED|connect/i);
        expect(failed.next_attempt_at.getTime()).toBeGreaterThan(Date.now());
        expect(failed.locked_until).toBeNull();

        later = await SmtpSink.start(port);
        await dueNow([res.body.id]);
        await down.app.get(EmailWorker).drain();
        await later.only(body.email);
        expect(await emailOf(res.body.id)).toMatchObject({
          status: 'sent',
          attempts: 2,
          last_error: null,
        });
      } finally {
        await down.close();
        await later?.close();
      }
    });

    it('a 550 for one recipient fails that email after one attempt; the other is sent; retry sends it', async () => {
      const event = await publishedEvent(t.http);
      const refused = registrationBody({ email: uniqueEmail('refused') });
      const accepted = registrationBody({ email: uniqueEmail('accepted') });
      const a = await register(t.http, event.slug, refused);
      const b = await register(t.http, event.slug, accepted);
      expect([a.status, b.status]).toEqual([201, 201]);
      sink.behaviour.refuse.add(refused.email);

      await worker.drain();
      const failed = await emailOf(a.body.id);
      expect(failed).toMatchObject({ status: 'failed', attempts: 1, sent_at: null });
      expect(failed.last_error).toContain('does not exist');
      expect(sink.to(refused.email)).toEqual([]);
      await sink.only(accepted.email);
      expect(await emailOf(b.body.id)).toMatchObject({ status: 'sent', attempts: 1 });

      const log = await t.http.get(`/api/v1/events/${event.slug}/emails?status=failed`);
      expect(log.body.items).toEqual([
        expect.objectContaining({ id: failed.id, status: 'failed', lastError: failed.last_error }),
      ]);

      sink.behaviour.refuse.clear();
      const retried = await t.http.post(`/api/v1/emails/${failed.id}/retry`);
      expect(retried.status).toBe(202);
      expect(retried.body).toMatchObject({ id: failed.id, status: 'queued' });
      await worker.drain();
      await sink.only(refused.email);
      expect(await emailOf(a.body.id)).toMatchObject({ status: 'sent' });

      const again = await t.http.post(`/api/v1/emails/${failed.id}/retry`);
      expect(again.status).toBe(409);
      const sent = await t.http.post(`/api/v1/emails/${(await emailOf(b.body.id)).id}/retry`);
      expect(sent.status).toBe(409);
      const unknown = await t.http.post(`/api/v1/emails/${randomUUID()}/retry`);
      expect(unknown.status).toBe(404);
      // Not even a uuid names nothing either.
      expect((await t.http.post('/api/v1/emails/not-a-uuid/retry')).status).toBe(404);
      const anonymous = await t.http.post(`/api/v1/emails/${failed.id}/retry`, undefined, {
        token: null,
      });
      expect(anonymous.status).toBe(401);
    });

    it('a 4xx for one recipient is transient: that email waits for a retry, the other is sent', async () => {
      const event = await publishedEvent(t.http);
      const busy = registrationBody({ email: uniqueEmail('busy') });
      const fine = registrationBody({ email: uniqueEmail('fine') });
      const a = await register(t.http, event.slug, busy);
      const b = await register(t.http, event.slug, fine);
      expect([a.status, b.status]).toEqual([201, 201]);
      sink.behaviour.defer.add(busy.email);

      await worker.drain();
      const deferred = await emailOf(a.body.id);
      expect(deferred).toMatchObject({ status: 'queued', attempts: 1, sent_at: null });
      expect(deferred.last_error).toContain('busy, later');
      expect(deferred.next_attempt_at.getTime()).toBeGreaterThan(Date.now());
      await sink.only(fine.email);

      sink.behaviour.defer.clear();
      await dueNow([a.body.id]);
      await worker.drain();
      await sink.only(busy.email);
      expect(await emailOf(a.body.id)).toMatchObject({ status: 'sent', attempts: 2 });
    });

    it('after MAIL_MAX_ATTEMPTS transient failures the email is failed with the reason', async () => {
      const app = await startTestApp({ SMTP_URL: sink.url, MAIL_MAX_ATTEMPTS: '2' });
      try {
        const event = await publishedEvent(app.http);
        const body = registrationBody({ email: uniqueEmail('tempfail') });
        const res = await register(app.http, event.slug, body);
        expect(res.status).toBe(201);
        sink.behaviour.tempFail = true;

        await app.app.get(EmailWorker).drain();
        const first = await emailOf(res.body.id);
        expect(first).toMatchObject({ status: 'queued', attempts: 1 });
        expect(first.last_error).toContain('try again later');

        await dueNow([res.body.id]);
        await app.app.get(EmailWorker).drain();
        const last = await emailOf(res.body.id);
        expect(last).toMatchObject({ status: 'failed', attempts: 2, sent_at: null });
        expect(last.last_error).toContain('try again later');
        expect(sink.to(body.email)).toEqual([]);
      } finally {
        sink.behaviour.tempFail = false;
        await app.close();
      }
    });

    it('two workers draining a burst of 50 registrations at once deliver each email exactly once', async () => {
      const second = await startTestApp({ SMTP_URL: sink.url });
      try {
        const event = await publishedEvent(t.http);
        const bodies = Array.from({ length: 50 }, (_, i) =>
          registrationBody({ email: uniqueEmail(`burst${i}`) }),
        );
        const responses = await Promise.all(
          bodies.map((body, i) => register(i % 2 ? second.http : t.http, event.slug, body)),
        );
        expect(responses.map((r) => r.status)).toEqual(bodies.map(() => 201));

        const started = performance.now();
        const [one, two] = await Promise.all([worker.drain(), second.app.get(EmailWorker).drain()]);
        const seconds = (performance.now() - started) / 1000;
        console.log(
          `[email] two workers: ${one + two} emails (${one} + ${two}) in ${seconds.toFixed(2)} s: ${((one + two) / seconds).toFixed(0)} emails/s to a local SMTP sink (under jest)`,
        );
        expect(one + two).toBeGreaterThanOrEqual(50);

        const rows = await Promise.all(responses.map((r) => emailOf(r.body.id)));
        expect(rows.filter((row) => row.status !== 'sent' || row.attempts !== 1)).toEqual([]);
        const counts = rows.map((row) => withMessageId(sink, row.message_id!).length);
        expect(counts).toEqual(rows.map(() => 1));
        for (const body of bodies) expect(sink.to(body.email)).toHaveLength(1);
      } finally {
        await second.close();
      }
    }, 120_000);

    it('a worker that died after claiming: the expired lease is taken over and the email sent', async () => {
      const event = await publishedEvent(t.http);
      const body = registrationBody({ email: uniqueEmail('crash') });
      const res = await register(t.http, event.slug, body);
      expect(res.status).toBe(201);
      await withDatabase((db) =>
        db.query(
          `UPDATE emails SET status = 'sending', attempts = 1,
                  locked_until = now() - interval '1 minute' WHERE registration_id = $1`,
          [res.body.id],
        ),
      );
      await worker.drain();
      await sink.only(body.email);
      expect(await emailOf(res.body.id)).toMatchObject({
        status: 'sent',
        attempts: 2,
        locked_until: null,
      });
    });

    it('a claim that has not expired is left to its worker', async () => {
      const event = await publishedEvent(t.http);
      const body = registrationBody({ email: uniqueEmail('leased') });
      const res = await register(t.http, event.slug, body);
      expect(res.status).toBe(201);
      await withDatabase((db) =>
        db.query(
          `UPDATE emails SET status = 'sending', attempts = 1,
                  locked_until = now() + interval '1 minute' WHERE registration_id = $1`,
          [res.body.id],
        ),
      );
      await worker.drain();
      expect(sink.to(body.email)).toEqual([]);
      expect(await emailOf(res.body.id)).toMatchObject({ status: 'sending', attempts: 1 });
      // Let it go, so no later drain trips over it.
      await withDatabase((db) =>
        db.query(
          `UPDATE emails SET status = 'queued', locked_until = NULL WHERE registration_id = $1`,
          [res.body.id],
        ),
      );
      await worker.drain();
      await sink.only(body.email);
    });

    it('a worker told to stop claims nothing more: drain() returns and the outbox stays queued', async () => {
      const stopping = await startTestApp({ SMTP_URL: sink.url });
      try {
        const event = await publishedEvent(stopping.http);
        const res = await register(
          stopping.http,
          event.slug,
          registrationBody({ email: uniqueEmail('stop') }),
        );
        expect(res.status).toBe(201);
        const worker = stopping.app.get(EmailWorker);
        await worker.onApplicationShutdown();
        // Before, drain() went on until the outbox was empty, holding SIGTERM's exit hostage.
        expect(await worker.drain()).toBe(0);
        expect(await emailOf(res.body.id)).toMatchObject({ status: 'queued', attempts: 0 });
      } finally {
        await stopping.close();
      }
    });

    it('a registration refused with 409 MODE_FULL (rolled back) sends nothing', async () => {
      const event = await publishedEvent(t.http, {
        capacity: { inPerson: 1, online: 1 },
        registration: { requiresApproval: false, waitlist: false, maxDelegationSize: 10 },
      });
      const first = registrationBody({ email: uniqueEmail('seat') });
      const late = registrationBody({ email: uniqueEmail('late') });
      expect((await register(t.http, event.slug, first)).status).toBe(201);
      const refused = await register(t.http, event.slug, late);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('MODE_FULL');

      await worker.drain();
      await sink.only(first.email);
      expect(sink.to(late.email)).toEqual([]);
      const outbox = await withDatabase(
        async (db) =>
          (await db.query('SELECT 1 FROM emails WHERE to_address = $1', [late.email])).rowCount,
      );
      expect(outbox).toBe(0);
    });
  });

  describe('nothing typed adds a header or a recipient', () => {
    it('an event title with "\\r\\nBcc:" yields no Bcc header and one envelope recipient', async () => {
      const title = 'Dialogue\r\nBcc: x@evil.test';
      // Validation keeps line breaks out of titles...
      const refused = await t.http.post('/api/v1/events', hybridEvent({ title }));
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'title' })]);
      // ...but the sending must not depend on that: put one in the way older data could have.
      const event = await publishedEvent(t.http);
      await withDatabase((db) =>
        db.query('UPDATE events SET title = $1 WHERE slug = $2', [title, event.slug]),
      );
      const body = registrationBody({ email: uniqueEmail('inject'), language: 'en' });
      const res = await register(t.http, event.slug, body);
      expect(res.status).toBe(201);

      await worker.drain();
      const { message, parsed } = await sink.only(body.email);
      expect(message.rcptTo).toEqual([body.email]);
      expect(parsed.bcc).toBeUndefined();
      expect(parsed.headers.has('bcc')).toBe(false);
      const head = message.raw.toString('latin1').split(/\r?\n\r?\n/)[0];
      expect(head).not.toMatch(/^bcc:/im);
      // The title stays text inside the one Subject header (its line break folded away).
      expect(head.match(/^subject:/gim)).toHaveLength(1);
      expect(parsed.subject).toContain('Dialogue');
      expect(parsed.subject).not.toMatch(/[\r\n]/);
    });

    it('a name with CRLF is refused; a 200-letter Kazakh name arrives intact in To (RFC 2047)', async () => {
      const event = await publishedEvent(t.http);
      const evil = await register(
        t.http,
        event.slug,
        registrationBody({ email: uniqueEmail('eve'), givenName: 'Eve\r\nBcc: x@evil.test' }),
      );
      expect(evil.status).toBe(400);

      const givenName = 'ӘғқңөұүһіАйгерімЖанарБотагөз'.repeat(8).slice(0, 200);
      expect(givenName).toHaveLength(200);
      const familyName = 'Нұрланқызы-Сәрсенбаева';
      const body = registrationBody({ email: uniqueEmail('longname'), givenName, familyName });
      const res = await register(t.http, event.slug, body);
      expect(res.status).toBe(201);

      await worker.drain();
      const { message, parsed } = await sink.only(body.email);
      expect(message.rcptTo).toEqual([body.email]);
      expect(parsed.to).toMatchObject({
        value: [{ address: body.email, name: `${givenName} ${familyName}` }],
      });
      // Encoded words, in lines no longer than RFC 5322 allows.
      const to = headerText(parsed, 'to')!;
      expect(to).toMatch(/=\?UTF-8\?[BQ]\?/i);
      for (const line of to.split(/\r\n/)) expect(line.length).toBeLessThanOrEqual(998);
      expect(to).not.toMatch(/[^\x20-\x7e\r\n\t]/);
    });
  });

  it('without SMTP_URL writes one .eml file per email under DATA_DIR/mail', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'convene-mail-'));
    const files = await startTestApp({ SMTP_URL: '', DATA_DIR: dataDir });
    try {
      const event = await publishedEvent(files.http);
      const body = registrationBody({ email: uniqueEmail('eml') });
      const res = await register(files.http, event.slug, body);
      expect(res.status).toBe(201);

      await files.app.get(EmailWorker).drain();
      const row = await emailOf(res.body.id);
      expect(row).toMatchObject({ status: 'sent', attempts: 1 });
      const names = (await readdir(join(dataDir, 'mail'))).filter((n) => n.endsWith('.eml'));
      const parsed = await Promise.all(
        names.map(async (name) => simpleParser(await readFile(join(dataDir, 'mail', name)))),
      );
      const mine = parsed.filter((p) => p.messageId === row.message_id);
      expect(mine).toHaveLength(1);
      expect(mine[0].to).toMatchObject({ value: [{ address: body.email }] });
      expect(mine[0].subject).toBe(`Тіркелу расталды: «${event.title}» (${res.body.reference})`);
      // One file per email: no two files carry the same Message-ID.
      const ids = parsed.map((p) => p.messageId);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await files.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('with MAIL_WORKER on, the worker sends a new registration by itself', async () => {
    const live = await startTestApp({ MAIL_WORKER: 'true', SMTP_URL: sink.url });
    try {
      const event = await publishedEvent(live.http);
      const body = registrationBody({ email: uniqueEmail('live') });
      const res = await register(live.http, event.slug, body);
      expect(res.status).toBe(201);
      await sink.waitFor(() => sink.to(body.email).length > 0, 10_000);
      await sink.only(body.email);
      // The row is updated just after the server's answer.
      const deadline = Date.now() + 5_000;
      while ((await emailOf(res.body.id)).status !== 'sent' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await emailOf(res.body.id)).toMatchObject({ status: 'sent', attempts: 1 });
    } finally {
      await live.close();
    }
  });
});
