import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { EmailRequest } from '../src/notifications/email-request';
import { NotificationsService } from '../src/notifications/notifications.service';
import { hybridEvent, uniqueSlug } from './helpers/factories';
import { startTestApp, TestApp, TestResponse, withDatabase } from './helpers/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A confirmation; dedupe keys are unique across the whole run. */
function emailRequest(eventId: string, overrides: Partial<EmailRequest> = {}): EmailRequest {
  return {
    kind: 'registration_confirmed',
    eventId,
    registrationId: null,
    to: `${uniqueSlug('person')}@example.kz`,
    language: 'kk',
    dedupeKey: `registration_confirmed:${randomUUID()}`,
    ...overrides,
  };
}

/** A bare registration row for emails to point at (the outbox's foreign key wants one). */
const insertRegistration = (eventId: string) =>
  withDatabase(async (db) => {
    const secret = randomUUID();
    const { rows } = await db.query(
      `INSERT INTO registrations (event_id, reference, status, attendance_mode, email, given_name,
         family_name, organisation, country, stakeholder_type, language, consent_data_processing,
         consent_list_of_participants, manage_token, join_token, checkin_code)
       VALUES ($1, 'ABCDEFGH', 'pending', 'online', $2, 'A', 'B', 'C', 'KZ', 'other', 'kk', true,
         false, $3, $4, $5)
       RETURNING id`,
      [eventId, `${secret}@example.kz`, `m${secret}`, `j${secret}`, `c${secret}`],
    );
    return rows[0].id as string;
  });

const countByKey = (dedupeKey: string) =>
  withDatabase(
    async (db) =>
      (await db.query('SELECT 1 FROM emails WHERE dedupe_key = $1', [dedupeKey])).rowCount,
  );

const countOfEvent = (eventId: string) =>
  withDatabase(
    async (db) =>
      (await db.query('SELECT count(*)::int AS n FROM emails WHERE event_id = $1', [eventId]))
        .rows[0].n as number,
  );

describe('notifications: outbox and email log', () => {
  let t: TestApp;
  let notifications: NotificationsService;
  let dataSource: DataSource;

  beforeAll(async () => {
    t = await startTestApp();
    notifications = t.app.get(NotificationsService);
    dataSource = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
  });

  async function newEvent(): Promise<{ slug: string; id: string }> {
    const res = await t.http.post('/api/v1/events', hybridEvent());
    expect(res.status).toBe(201);
    return { slug: res.body.slug, id: res.body.id };
  }

  /** Enqueues in a transaction of its own, which commits. */
  const enqueueCommitted = (...requests: EmailRequest[]) =>
    dataSource.transaction((manager) => notifications.enqueueMany(manager, requests));

  const log = (slug: string, query = '', token?: string | null) =>
    t.http.get(`/api/v1/events/${slug}/emails${query}`, { token });

  /** Every page of the log, checking that no page is larger than asked. */
  async function walkLog(slug: string, limit: number, filter = ''): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: TestResponse = await log(
        slug,
        `?limit=${limit}${filter}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      ids.push(...res.body.items.map((item: { id: string }) => item.id));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 1_000);
    return ids;
  }

  describe('the outbox', () => {
    it('shows a committed email in the log as queued', async () => {
      const event = await newEvent();
      const request = emailRequest(event.id, { facts: { previousMode: 'online' } });
      await enqueueCommitted(request);

      const res = await log(event.slug);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        items: [
          {
            id: expect.stringMatching(UUID),
            kind: 'registration_confirmed',
            to: request.to,
            status: 'queued',
            attempts: 0,
            lastError: null,
            sentAt: null,
            messageId: null,
            registrationId: request.registrationId,
            createdAt: expect.stringMatching(ISO),
          },
        ],
        nextCursor: null,
      });

      await withDatabase(async (db) => {
        const { rows } = await db.query(
          `SELECT *, next_attempt_at <= now() AS due FROM emails WHERE dedupe_key = $1`,
          [request.dedupeKey],
        );
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({
          id: res.body.items[0].id,
          event_id: event.id,
          delegation_id: null,
          language: 'kk',
          facts: { previousMode: 'online' },
          locked_until: null,
          smtp_response: null,
          due: true,
        });
      });
    });

    it('keeps nothing when the transaction rolls back', async () => {
      const event = await newEvent();
      const request = emailRequest(event.id);
      await expect(
        dataSource.transaction(async (manager) => {
          await notifications.enqueue(manager, request);
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');

      expect(await countByKey(request.dedupeKey)).toBe(0);
      const res = await log(event.slug);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [], nextCursor: null });
    });

    it('refuses to enqueue outside a transaction, where a rollback could not undo it', async () => {
      const event = await newEvent();
      const request = emailRequest(event.id);
      await expect(notifications.enqueue(dataSource.manager, request)).rejects.toThrow(
        /transaction/,
      );
      expect(await countByKey(request.dedupeKey)).toBe(0);
    });

    it('keeps one email, the first, for a dedupe key enqueued twice', async () => {
      const event = await newEvent();
      const first = emailRequest(event.id);
      const again = { ...first, to: 'someone-else@example.kz', language: 'en' as const };

      await enqueueCommitted(first);
      await enqueueCommitted(again);
      // Twice in one transaction, and in one list, too.
      await dataSource.transaction(async (manager) => {
        await notifications.enqueue(manager, again);
        await notifications.enqueueMany(manager, [again, again]);
      });

      const res = await log(event.slug);
      expect(res.body.items).toHaveLength(1);
      expect(res.body.items[0].to).toBe(first.to);
      expect(await countByKey(first.dedupeKey)).toBe(1);
    });

    it('keeps one email when two transactions enqueue the same key at once', async () => {
      const event = await newEvent();
      const request = emailRequest(event.id);
      await Promise.all([enqueueCommitted(request), enqueueCommitted({ ...request })]);
      expect(await countByKey(request.dedupeKey)).toBe(1);
    });

    it('enqueues 2,000 emails in one statement and ignores the duplicates of a second call', async () => {
      const event = await newEvent();
      const requests = Array.from({ length: 2_000 }, (_, i) =>
        emailRequest(event.id, {
          kind: 'event_updated',
          dedupeKey: `event_updated:${event.id}:${randomUUID()}`,
          language: (['en', 'ru', 'kk'] as const)[i % 3],
          facts: { changed: ['startsAt'] },
        }),
      );
      await enqueueCommitted(...requests);

      expect(await countOfEvent(event.id)).toBe(2_000);
      // Rows written by one statement share the command id (cmin) of their transaction (xmin).
      const statements = await withDatabase(
        async (db) =>
          (
            await db.query(
              `SELECT count(DISTINCT xmin::text)::int AS transactions,
                      count(DISTINCT cmin::text)::int AS statements
                 FROM emails WHERE event_id = $1`,
              [event.id],
            )
          ).rows[0],
      );
      expect(statements).toEqual({ transactions: 1, statements: 1 });

      const fresh = emailRequest(event.id, { kind: 'event_updated' });
      const changed = requests.map((r) => ({ ...r, to: 'changed@example.kz' }));
      await enqueueCommitted(...changed, fresh, { ...fresh });

      expect(await countOfEvent(event.id)).toBe(2_001);
      const overwritten = await withDatabase(
        async (db) =>
          (
            await db.query(`SELECT 1 FROM emails WHERE event_id = $1 AND to_address = $2`, [
              event.id,
              'changed@example.kz',
            ])
          ).rowCount,
      );
      expect(overwritten).toBe(0);
    });

    it('does nothing for an empty list', async () => {
      const event = await newEvent();
      await dataSource.transaction((manager) => notifications.enqueueMany(manager, []));
      expect(await countOfEvent(event.id)).toBe(0);
    });
  });

  describe('the email log', () => {
    it('filters by status, kind and registrationId, and shows only its event', async () => {
      const event = await newEvent();
      const other = await newEvent();
      const registration = await insertRegistration(event.id);
      const sent = emailRequest(event.id, {
        registrationId: registration,
        dedupeKey: `registration_confirmed:${registration}`,
      });
      const switched = emailRequest(event.id, {
        kind: 'attendance_mode_changed',
        registrationId: registration,
        dedupeKey: `attendance_mode_changed:${registration}:${randomUUID()}`,
        facts: { from: 'in_person', to: 'online' },
      });
      const failed = emailRequest(event.id, { kind: 'registration_waitlisted' });
      const summary = emailRequest(event.id, {
        kind: 'delegation_summary',
        registrationId: null,
        dedupeKey: `delegation_summary:${randomUUID()}`,
      });
      const elsewhere = emailRequest(other.id, { registrationId: registration });
      await enqueueCommitted(sent, switched, failed, summary, elsewhere);

      // What the worker will do, done by hand: one sent, one failed for good.
      await withDatabase(async (db) => {
        await db.query(
          `UPDATE emails SET status = 'sent', attempts = 1, sent_at = now(), message_id = $2
            WHERE dedupe_key = $1`,
          [sent.dedupeKey, `<${randomUUID()}@convene.test>`],
        );
        await db.query(
          `UPDATE emails SET status = 'failed', attempts = 5, last_error = $2 WHERE dedupe_key = $1`,
          [failed.dedupeKey, '550 5.1.1 mailbox unavailable'],
        );
      });

      const toOf = async (query: string) => {
        const res = await log(event.slug, query);
        expect(res.status).toBe(200);
        return res.body.items.map((item: { to: string }) => item.to).sort();
      };
      const sorted = (...requests: EmailRequest[]) => requests.map((r) => r.to).sort();

      expect(await toOf('')).toEqual(sorted(sent, switched, failed, summary));
      expect(await toOf('?status=queued')).toEqual(sorted(switched, summary));
      expect(await toOf('?status=sending')).toEqual([]);
      expect(await toOf('?kind=delegation_summary')).toEqual(sorted(summary));
      expect(await toOf(`?registrationId=${registration}`)).toEqual(sorted(sent, switched));
      expect(
        await toOf(`?registrationId=${registration}&kind=attendance_mode_changed&status=queued`),
      ).toEqual(sorted(switched));
      expect(await toOf(`?registrationId=${randomUUID()}`)).toEqual([]);

      const failedItems = (await log(event.slug, '?status=failed')).body.items;
      expect(failedItems).toEqual([
        expect.objectContaining({
          to: failed.to,
          kind: 'registration_waitlisted',
          status: 'failed',
          attempts: 5,
          lastError: '550 5.1.1 mailbox unavailable',
          sentAt: null,
        }),
      ]);
      const sentItems = (await log(event.slug, '?status=sent')).body.items;
      expect(sentItems).toEqual([
        expect.objectContaining({
          to: sent.to,
          status: 'sent',
          attempts: 1,
          sentAt: expect.stringMatching(ISO),
          messageId: expect.stringMatching(/^<[0-9a-f-]+@convene\.test>$/),
        }),
      ]);
      const summaryItems = (await log(event.slug, '?kind=delegation_summary')).body.items;
      expect(summaryItems[0].registrationId).toBeNull();

      // The other event's email is in its own log only.
      const otherLog = await log(other.slug);
      expect(otherLog.body.items.map((item: { to: string }) => item.to)).toEqual([elsewhere.to]);
    });

    it('pages with limit=1 through every email, newest first, never twice', async () => {
      const event = await newEvent();
      // Three transactions (three creation times), then three emails sharing one.
      for (let i = 0; i < 3; i++) await enqueueCommitted(emailRequest(event.id));
      await enqueueCommitted(...Array.from({ length: 3 }, () => emailRequest(event.id)));
      // Two rows within one millisecond: a cursor holding a millisecond time would lose one.
      await withDatabase((db) =>
        db.query(
          `UPDATE emails e
              SET created_at = '2031-01-01T00:00:00Z'::timestamptz + r.n * interval '300 microseconds'
             FROM (SELECT id, row_number() OVER (ORDER BY id) AS n
                     FROM emails WHERE event_id = $1 ORDER BY id LIMIT 2) r
            WHERE e.id = r.id`,
          [event.id],
        ),
      );
      const expected = await withDatabase(async (db) =>
        (
          await db.query(
            'SELECT id FROM emails WHERE event_id = $1 ORDER BY created_at DESC, id DESC',
            [event.id],
          )
        ).rows.map((row: { id: string }) => row.id),
      );
      expect(expected).toHaveLength(6);

      const seen = await walkLog(event.slug, 1);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expected);
      expect(await walkLog(event.slug, 4)).toEqual(expected);
      expect(await walkLog(event.slug, 2, '&status=queued')).toEqual(expected);
    });

    it.each([
      ['an unknown status', '?status=bounced', 'status'],
      ['an empty status', '?status=', 'status'],
      ['an unknown kind', '?kind=newsletter', 'kind'],
      ['a registrationId that is not a uuid', '?registrationId=42', 'registrationId'],
      ['a limit of 0', '?limit=0', 'limit'],
      ['a limit over 500', '?limit=501', 'limit'],
      ['a forged cursor', '?cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['an unknown parameter', '?colour=blue', 'colour'],
    ])('refuses %s with 400 naming the field', async (_, query, field) => {
      const event = await newEvent();
      const res = await log(event.slug, query);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    });

    it('answers 404 for an unknown event', async () => {
      const res = await log(uniqueSlug('missing'));
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 404, code: 'EVENT_NOT_FOUND' });
    });

    it('is for organisers: no token 401, a desk 403, an organiser of the event 200', async () => {
      const event = await newEvent();
      const other = await newEvent();
      await enqueueCommitted(emailRequest(event.id));
      const token = async (body: Record<string, unknown>): Promise<string> => {
        const res = await t.http.post('/api/v1/tokens', { name: uniqueSlug('emails'), ...body });
        expect(res.status).toBe(201);
        return res.body.secret;
      };

      const anonymous = await log(event.slug, '', null);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('TOKEN_MISSING');

      const desk = await log(event.slug, '', await token({ role: 'checkin' }));
      expect(desk.status).toBe(403);
      expect(desk.body.code).toBe('ROLE_TOO_WEAK');
      const ownDesk = await log(
        event.slug,
        '',
        await token({ role: 'checkin', eventSlug: event.slug }),
      );
      expect(ownDesk.status).toBe(403);

      const otherOrganiser = await log(
        event.slug,
        '',
        await token({ role: 'organiser', eventSlug: other.slug }),
      );
      expect(otherOrganiser.status).toBe(403);
      expect(otherOrganiser.body.code).toBe('TOKEN_LIMITED_TO_EVENT');

      for (const body of [{ role: 'organiser' }, { role: 'organiser', eventSlug: event.slug }]) {
        const res = await log(event.slug, '', await token(body));
        expect(res.status).toBe(200);
        expect(res.body.items).toHaveLength(1);
      }
    });
  });

  describe('the table', () => {
    it('refuses values outside the rules, naming the constraint', async () => {
      const event = await newEvent();
      const request = emailRequest(event.id);
      await enqueueCommitted(request);
      const key = request.dedupeKey;
      const insert = (column: string, value: string) =>
        `INSERT INTO emails (event_id, kind, to_address, language, dedupe_key, ${column})
         VALUES ('${event.id}', 'event_reminder', 'x@example.kz', 'en', '${randomUUID()}', ${value})`;
      const cases: [sql: string, constraint: string][] = [
        [insert('status', `'bounced'`), 'chk_emails_status'],
        [insert('attempts', '-1'), 'chk_emails_attempts'],
        [insert('status', `'sent'`), 'chk_emails_sent_at'],
        [insert('status', `'sending'`), 'chk_emails_sending_locked'],
        [`UPDATE emails SET kind = 'newsletter' WHERE dedupe_key = '${key}'`, 'chk_emails_kind'],
        [`UPDATE emails SET language = 'de' WHERE dedupe_key = '${key}'`, 'chk_emails_language'],
        [
          `INSERT INTO emails (event_id, kind, to_address, language, dedupe_key)
           VALUES ('${event.id}', 'event_reminder', 'x@example.kz', 'en', '${key}')`,
          'uq_emails_dedupe_key',
        ],
        [
          `INSERT INTO emails (event_id, kind, to_address, language, dedupe_key)
           VALUES ('${randomUUID()}', 'event_reminder', 'x@example.kz', 'en', '${randomUUID()}')`,
          'fk_emails_event',
        ],
      ];
      await withDatabase(async (db) => {
        for (const [sql, constraint] of cases) {
          await expect(db.query(sql)).rejects.toMatchObject({ constraint });
        }
      });
    });

    it('deletes the emails of a deleted event', async () => {
      const event = await newEvent();
      await enqueueCommitted(emailRequest(event.id), emailRequest(event.id));
      expect(await countOfEvent(event.id)).toBe(2);
      await withDatabase((db) => db.query('DELETE FROM events WHERE id = $1', [event.id]));
      expect(await countOfEvent(event.id)).toBe(0);
    });

    it.each([
      [
        "the worker's claim",
        `SELECT id FROM emails WHERE status = 'queued' AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT 20 FOR UPDATE SKIP LOCKED`,
        'idx_emails_queued_next_attempt_at',
      ],
      [
        'the reclaim of expired locks',
        `SELECT id FROM emails WHERE status = 'sending' AND locked_until < now()
          LIMIT 20 FOR UPDATE SKIP LOCKED`,
        'idx_emails_sending_locked_until',
      ],
    ])('has a partial index for %s', async (_, query, index) => {
      const plan = await withDatabase(async (db) => {
        await db.query('BEGIN');
        try {
          // The test table is small: forbid the sequential scan to see which index fits.
          await db.query('SET LOCAL enable_seqscan = off');
          const { rows } = await db.query(`EXPLAIN ${query}`);
          return rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n');
        } finally {
          await db.query('ROLLBACK');
        }
      });
      expect(plan).toContain(index);
      const definition = await withDatabase(
        async (db) =>
          (await db.query('SELECT indexdef FROM pg_indexes WHERE indexname = $1', [index])).rows[0]
            .indexdef as string,
      );
      expect(definition).toMatch(/ WHERE /);
    });
  });
});
