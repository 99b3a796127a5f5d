import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'pg';
import {
  publishedEvent,
  register,
  registrationBody,
  seatsOf,
  secretsOf,
} from './helpers/registrations';
import { startTestApp, TestApp, TestResponse, testDatabaseUrl } from './helpers/test-app';

/**
 * Capacity under concurrency: many simultaneous requests over real HTTP, spread over two
 * instances of the service on one database, then the database is checked row by row.
 *
 * To know who was queued when, the test watches its own events with an audit trigger on
 * `registrations` (installed here, removed in afterAll): every INSERT or UPDATE of a watched
 * registration appends (status, mode, queued_at, queue_position) with a sequence number. Every
 * change of seats or waitlists runs under the event's row lock, so the sequence is the order in
 * which those transactions took effect. The service resets the queue position when it promotes
 * someone, so the audit is the only place where the place of a promoted person survives.
 */

type Mode = 'in_person' | 'online';
const MODES: Mode[] = ['in_person', 'online'];
const other = (mode: Mode): Mode => (mode === 'in_person' ? 'online' : 'in_person');

const suffix = randomBytes(4).toString('hex');
const AUDIT = `test_capacity_audit_${suffix}`;
const WATCH = `test_capacity_watch_${suffix}`;
const AUDIT_FN = `test_capacity_audit_fn_${suffix}`;
const AUDIT_TRIGGER = `test_capacity_audit_trg_${suffix}`;

interface AuditRow {
  seq: number;
  registrationId: string;
  status: string;
  mode: Mode;
  queuedAt: Date | null;
  queuePosition: number | null;
}

/**
 * A place in a waitlist, in the order the service promotes: the queue position, drawn from a
 * sequence under the event's lock when the person entered the waitlist. (queued_at says the
 * same to the microsecond, but people admitted in one batch can share a millisecond.)
 */
interface QueueKey {
  position: number;
  id: string;
}
const compareKeys = (a: QueueKey, b: QueueKey) => a.position - b.position;
const showKey = (k: QueueKey) => `#${k.position}/${k.id.slice(0, 8)}`;

interface Promotion {
  seq: number;
  registrationId: string;
  mode: Mode;
  /** Its place in the waitlist of `mode` just before it was promoted. */
  key: QueueKey;
}

interface EventRow {
  id: string;
  capacity: Record<Mode, number>;
  seats: Record<Mode, number>;
}

function statusCounts(responses: { status: number }[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

function isProblem(res: TestResponse, code: string): boolean {
  return (
    res.status === 409 &&
    (res.headers.get('content-type') ?? '').startsWith('application/problem+json') &&
    res.body?.code === code &&
    res.body?.status === 409
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('capacity under concurrency (two instances, one database)', () => {
  let apps: TestApp[];
  let db: Pool;

  const appFor = (i: number) => apps[i % apps.length];

  async function eventRow(slug: string): Promise<EventRow> {
    const { rows } = await db.query(
      `SELECT id, capacity_in_person, capacity_online, seats_taken_in_person, seats_taken_online
         FROM events WHERE slug = $1`,
      [slug],
    );
    const row = rows[0];
    return {
      id: row.id,
      capacity: { in_person: row.capacity_in_person ?? 0, online: row.capacity_online ?? 0 },
      seats: { in_person: row.seats_taken_in_person, online: row.seats_taken_online },
    };
  }

  /** From /metrics: admission statements run by the instance and the people they admitted. */
  async function admissionBatchesOf(app: TestApp): Promise<{ statements: number; people: number }> {
    const text = (await app.http.get('/metrics', { token: null })).text;
    const value = (name: string) =>
      Number(
        text
          .split('\n')
          .find((line) => line.startsWith(`${name} `))
          ?.split(' ')
          .pop() ?? 0,
      );
    return {
      statements: value('convene_admission_batch_size_count'),
      people: value('convene_admission_batch_size_sum'),
    };
  }

  async function watch(eventId: string): Promise<void> {
    await db.query(`INSERT INTO ${WATCH} (event_id) VALUES ($1)`, [eventId]);
  }

  async function auditOf(eventId: string): Promise<AuditRow[]> {
    const { rows } = await db.query(
      `SELECT seq, registration_id, status, attendance_mode, queued_at, queue_position
         FROM ${AUDIT} WHERE event_id = $1 ORDER BY seq`,
      [eventId],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      registrationId: r.registration_id,
      status: r.status,
      mode: r.attendance_mode,
      queuedAt: r.queued_at,
      queuePosition: r.queue_position === null ? null : Number(r.queue_position),
    }));
  }

  /** Confirmed/waitlisted rows per mode, as the registrations table holds them. */
  async function rowsByStatus(eventId: string) {
    const { rows } = await db.query(
      `SELECT attendance_mode, status, count(*)::int AS n FROM registrations
        WHERE event_id = $1 GROUP BY attendance_mode, status`,
      [eventId],
    );
    const counts: Record<Mode, Record<string, number>> = { in_person: {}, online: {} };
    for (const r of rows) counts[r.attendance_mode as Mode][r.status] = r.n;
    return counts;
  }

  /**
   * The capacity invariant, as a list of violations (empty when it holds): per mode, the
   * confirmed rows never exceed the capacity, and the counter the service keeps on the event
   * equals the confirmed rows.
   */
  async function capacityProblems(slug: string): Promise<string[]> {
    const event = await eventRow(slug);
    const counts = await rowsByStatus(event.id);
    const problems: string[] = [];
    for (const mode of MODES) {
      const confirmed = counts[mode].confirmed ?? 0;
      if (confirmed > event.capacity[mode]) {
        problems.push(`${mode}: ${confirmed} confirmed rows > capacity ${event.capacity[mode]}`);
      }
      if (event.seats[mode] !== confirmed) {
        problems.push(`${mode}: counter ${event.seats[mode]} != ${confirmed} confirmed rows`);
      }
      if (event.seats[mode] > event.capacity[mode]) {
        problems.push(`${mode}: counter ${event.seats[mode]} > capacity ${event.capacity[mode]}`);
      }
    }
    return problems;
  }

  /**
   * Replays the audit in lock order and checks every moment, not only the end:
   * - the confirmed registrations of a mode never exceed `capacity`;
   * - whenever someone takes a seat of mode M by promotion from M's waitlist, nobody waiting in
   *   M had an earlier place (queue position) than them;
   * - whenever someone takes a seat of M any other way (a new registration, a switch into M),
   *   nobody was waiting in M at all (a free seat goes to the waitlist first).
   * Also returns every promotion with the place it had in its waitlist.
   */
  function replay(audit: AuditRow[], capacity: Record<Mode, number>) {
    const state = new Map<string, { status: string; mode: Mode; key: QueueKey | null }>();
    const problems: string[] = [];
    const promotions: Promotion[] = [];
    const waitingIn = (mode: Mode, except: string) =>
      [...state.entries()]
        .filter(([id, s]) => id !== except && s.status === 'waitlisted' && s.mode === mode)
        .map(([, s]) => s.key as QueueKey);
    for (const row of audit) {
      const before = state.get(row.registrationId);
      const seatedIn = row.status === 'confirmed' ? row.mode : null;
      const heldIn = before?.status === 'confirmed' ? before.mode : null;
      if (seatedIn && seatedIn !== heldIn) {
        const waiting = waitingIn(seatedIn, row.registrationId);
        if (before?.status === 'waitlisted' && before.mode === seatedIn && before.key) {
          promotions.push({
            seq: row.seq,
            registrationId: row.registrationId,
            mode: seatedIn,
            key: before.key,
          });
          const older = waiting.filter((k) => compareKeys(k, before.key as QueueKey) < 0);
          if (older.length > 0) {
            problems.push(
              `#${row.seq}: ${showKey(before.key)} promoted in ${seatedIn} while ${older.length} older waited (oldest ${showKey(older.sort(compareKeys)[0])})`,
            );
          }
        } else if (waiting.length > 0) {
          problems.push(
            `#${row.seq}: ${row.registrationId.slice(0, 8)} seated in ${seatedIn} directly while ${waiting.length} waited in ${seatedIn}`,
          );
        }
      }
      state.set(row.registrationId, {
        status: row.status,
        mode: row.mode,
        key:
          row.queuePosition === null
            ? null
            : { position: row.queuePosition, id: row.registrationId },
      });
      for (const mode of MODES) {
        const confirmed = [...state.values()].filter(
          (s) => s.status === 'confirmed' && s.mode === mode,
        ).length;
        if (confirmed > capacity[mode]) {
          problems.push(`#${row.seq}: ${confirmed} confirmed in ${mode} > ${capacity[mode]}`);
        }
      }
    }
    return { problems, promotions };
  }

  /**
   * "No waitlisted person was skipped", checked on the end state.
   *
   * A place in the waitlist of mode M is its queue position: the order the service promotes in.
   * The position is drawn when a person enters M's waitlist (registering into a full M, or
   * switching into a full M, which puts them at the back) and is kept as long as they stay there; so a
   * person still waiting in M at the end with place w has been waiting in M, without a break,
   * since w. The invariant, per mode M:
   *
   *   every promotion from M's waitlist (place p) has p < w for every w still waiting in M.
   *
   * If a promotion with p > w happened, it happened after p was queued, so after w was, while w
   * waited: w was skipped. Conversely a promotion after w joined takes the oldest, whose place is
   * below w. People who left a waitlist (cancelled, switched) are not in M's waitlist anymore;
   * a switch is not a promotion (it is seated only if the other mode has room, which the replay
   * checks). Plus: a mode with someone still waiting has no free seat.
   */
  async function skipProblems(
    slug: string,
    promotions: Promotion[],
  ): Promise<{ problems: string[]; promotedPerMode: Record<Mode, number> }> {
    const event = await eventRow(slug);
    const { rows } = await db.query(
      `SELECT id, attendance_mode, queue_position FROM registrations
        WHERE event_id = $1 AND status = 'waitlisted'`,
      [event.id],
    );
    const counts = await rowsByStatus(event.id);
    const problems: string[] = [];
    const promotedPerMode: Record<Mode, number> = { in_person: 0, online: 0 };
    for (const mode of MODES) {
      const waiting: QueueKey[] = rows
        .filter((r) => r.attendance_mode === mode)
        .map((r) => ({ position: Number(r.queue_position), id: r.id }));
      const promoted = promotions.filter((p) => p.mode === mode);
      promotedPerMode[mode] = promoted.length;
      for (const p of promoted) {
        for (const w of waiting) {
          if (compareKeys(p.key, w) >= 0) {
            problems.push(`${mode}: promoted ${showKey(p.key)} although ${showKey(w)} still waits`);
          }
        }
      }
      if (waiting.length > 0 && (counts[mode].confirmed ?? 0) < event.capacity[mode]) {
        problems.push(
          `${mode}: ${waiting.length} waiting but only ${counts[mode].confirmed ?? 0} of ${event.capacity[mode]} seats taken`,
        );
      }
    }
    return { problems, promotedPerMode };
  }

  /** Outbox rows per registration and kind, for one event. */
  async function emailCounts(eventId: string): Promise<Map<string, Record<string, number>>> {
    const { rows } = await db.query(
      `SELECT registration_id, kind, count(*)::int AS n FROM emails
        WHERE event_id = $1 GROUP BY registration_id, kind`,
      [eventId],
    );
    const byRegistration = new Map<string, Record<string, number>>();
    for (const r of rows) {
      const key = r.registration_id ?? 'none';
      byRegistration.set(key, { ...byRegistration.get(key), [r.kind]: r.n });
    }
    return byRegistration;
  }

  beforeAll(async () => {
    // One after the other: the first applies the migrations, the second finds them applied.
    const first = await startTestApp({ DATABASE_POOL_SIZE: '25' });
    const second = await startTestApp({ DATABASE_POOL_SIZE: '25' });
    apps = [first, second];
    db = new Pool({ connectionString: testDatabaseUrl(), max: 8 });
    await db.query(`CREATE TABLE ${WATCH} (event_id uuid PRIMARY KEY)`);
    await db.query(
      `CREATE TABLE ${AUDIT} (seq bigserial PRIMARY KEY, event_id uuid NOT NULL,
        registration_id uuid NOT NULL, status text NOT NULL, attendance_mode text NOT NULL,
        queued_at timestamptz, queue_position bigint)`,
    );
    await db.query(
      `CREATE FUNCTION ${AUDIT_FN}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM ${WATCH} w WHERE w.event_id = NEW.event_id) THEN
           INSERT INTO ${AUDIT}
             (event_id, registration_id, status, attendance_mode, queued_at, queue_position)
           VALUES (NEW.event_id, NEW.id, NEW.status, NEW.attendance_mode, NEW.queued_at,
                   NEW.queue_position);
         END IF;
         RETURN NULL;
       END $$`,
    );
    await db.query(
      `CREATE TRIGGER ${AUDIT_TRIGGER} AFTER INSERT OR UPDATE ON registrations
        FOR EACH ROW EXECUTE FUNCTION ${AUDIT_FN}()`,
    );
    // Warm-up, so the figures printed below are not those of a cold start (pools still
    // connecting, code not yet compiled): a few registrations through each instance.
    const warmUp = await publishedEvent(apps[0].http, { capacity: { inPerson: 5, online: 5 } });
    const warm = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        register(appFor(i).http, warmUp.slug, registrationBody({ attendanceMode: MODES[i % 2] })),
      ),
    );
    expect(statusCounts(warm)).toEqual({ 201: 40 });
  }, 120_000);

  afterAll(async () => {
    if (db) {
      await db.query(`DROP TRIGGER IF EXISTS ${AUDIT_TRIGGER} ON registrations`);
      await db.query(`DROP FUNCTION IF EXISTS ${AUDIT_FN}()`);
      await db.query(`DROP TABLE IF EXISTS ${AUDIT}, ${WATCH}`);
      await db.end();
    }
    await Promise.all((apps ?? []).map((app) => app.close()));
  });

  it('confirms exactly the capacity per mode out of 320 simultaneous registrations and waitlists the rest in order', async () => {
    const capacity = { in_person: 20, online: 30 };
    const event = await publishedEvent(apps[0].http, {
      capacity: { inPerson: capacity.in_person, online: capacity.online },
    });
    const { id: eventId } = await eventRow(event.slug);
    await watch(eventId);

    const N = 320;
    const bodies = Array.from({ length: N }, (_, i) =>
      registrationBody({
        email: `crowd.${i}.${randomBytes(4).toString('hex')}@example.kz`,
        attendanceMode: MODES[i % 2],
      }),
    );
    const started = performance.now();
    // Requests i and i+1 have different modes and go to different instances (i >> 1).
    const responses = await Promise.all(
      bodies.map((body, i) => register(appFor(i >> 1).http, event.slug, body)),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `[capacity] ${N} simultaneous registrations (waitlist) over 2 instances: ${seconds.toFixed(2)} s, ${(N / seconds).toFixed(0)} registrations/s`,
    );

    expect(statusCounts(responses)).toEqual({ 201: N });
    // People who registered at the same moment were admitted together, several per statement.
    const batches = await Promise.all(apps.map((app) => admissionBatchesOf(app)));
    expect(batches.reduce((sum, b) => sum + b.people, 0)).toBeGreaterThanOrEqual(N);
    expect(batches.some((b) => b.statements < b.people)).toBe(true);
    const perMode = Object.fromEntries(
      MODES.map((mode) => [
        mode,
        statusCounts(
          responses
            .filter((r) => r.body.attendanceMode === mode)
            .map((r) => ({ status: r.body.status === 'confirmed' ? 1 : 2 })),
        ),
      ]),
    );
    // 1 = confirmed, 2 = waitlisted, as the answers said.
    expect(perMode).toEqual({ in_person: { 1: 20, 2: 140 }, online: { 1: 30, 2: 130 } });

    // The rows: exactly the capacity confirmed per mode, the rest waitlisted, and the counters.
    expect(await rowsByStatus(eventId)).toEqual({
      in_person: { confirmed: 20, waitlisted: 140 },
      online: { confirmed: 30, waitlisted: 130 },
    });
    expect(await seatsOf(event.slug)).toEqual({ inPerson: 20, online: 30 });
    expect(await capacityProblems(event.slug)).toEqual([]);

    // The rows are those the answers named, with the answers' statuses.
    const { rows } = await db.query(
      `SELECT id, reference, status, attendance_mode, queued_at, confirmed_at
         FROM registrations WHERE event_id = $1`,
      [eventId],
    );
    expect(rows).toHaveLength(N);
    const answered = new Map(responses.map((r) => [r.body.id as string, r.body]));
    for (const row of rows) {
      expect(answered.get(row.id)).toMatchObject({
        reference: row.reference,
        status: row.status,
        attendanceMode: row.attendance_mode,
      });
    }

    // References: unique per event, readable.
    const references = responses.map((r) => r.body.reference as string);
    expect(new Set(references).size).toBe(N);
    expect(references.every((ref) => /^[2-9A-HJKMNP-Z]{8}$/.test(ref))).toBe(true);

    // Exactly one outbox email per registration, of the kind its status calls for.
    const emails = await emailCounts(eventId);
    expect(emails.has('none')).toBe(false);
    expect(emails.size).toBe(N);
    for (const row of rows) {
      expect(emails.get(row.id)).toEqual({
        [row.status === 'confirmed' ? 'registration_confirmed' : 'registration_waitlisted']: 1,
      });
    }

    // Waitlist order: per mode, nobody was confirmed after someone was queued, and the order
    // of queued_at is the order in which the registrations took the event lock.
    const audit = await auditOf(eventId);
    for (const mode of MODES) {
      const ofMode = rows.filter((r) => r.attendance_mode === mode);
      const lastConfirmed = Math.max(
        ...ofMode.filter((r) => r.status === 'confirmed').map((r) => r.confirmed_at.getTime()),
      );
      const waitlisted = ofMode.filter((r) => r.status === 'waitlisted');
      expect(waitlisted.every((r) => r.queued_at instanceof Date)).toBe(true);
      const firstQueued = Math.min(...waitlisted.map((r) => r.queued_at.getTime()));
      expect(lastConfirmed).toBeLessThanOrEqual(firstQueued);
      const inLockOrder = audit
        .filter((a) => a.mode === mode && a.status === 'waitlisted')
        .map((a) => (a.queuedAt as Date).getTime());
      expect(inLockOrder).toHaveLength(waitlisted.length);
      expect(inLockOrder).toEqual([...inLockOrder].sort((a, b) => a - b));
    }
    expect(replay(audit, capacity).problems).toEqual([]);
  }, 120_000);

  it('admits one of 12 simultaneous registrations with one email and answers the rest 409', async () => {
    const event = await publishedEvent(apps[0].http, { capacity: { inPerson: 50, online: 50 } });
    const email = `twelve.${randomBytes(4).toString('hex')}@example.kz`;
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        register(
          appFor(i).http,
          event.slug,
          registrationBody({
            // The same address, as people type it: the index compares it in lower case.
            email: i % 2 === 0 ? email : email.toUpperCase(),
            attendanceMode: MODES[i % 2],
          }),
        ),
      ),
    );
    expect(statusCounts(responses)).toEqual({ 201: 1, 409: 11 });
    expect(
      responses.filter((r) => r.status === 409).every((r) => isProblem(r, 'ALREADY_REGISTERED')),
    ).toBe(true);
    const { rows } = await db.query(
      'SELECT count(*)::int AS n FROM registrations WHERE lower(email) = $1',
      [email],
    );
    expect(rows[0].n).toBe(1);
    const seats = await seatsOf(event.slug);
    expect(seats.inPerson + seats.online).toBe(1);
  });

  it('admits each person alone when their batch fails, and loses nobody', async () => {
    const event = await publishedEvent(apps[0].http, { capacity: { inPerson: 5, online: 100 } });
    const { id: eventId } = await eventRow(event.slug);
    // The first statement that inserts several of this event's registrations fails (a sequence,
    // not a row, counts it: the failure rolls the statement back).
    const name = `test_batch_breaker_${suffix}`;
    await db.query(`CREATE SEQUENCE ${name}`);
    await db.query(
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF (SELECT count(*) FROM inserted WHERE event_id = '${eventId}') > 1
            AND nextval('${name}') = 1 THEN
           RAISE EXCEPTION 'the batch breaker broke a batch';
         END IF;
         RETURN NULL;
       END $$`,
    );
    await db.query(
      `CREATE TRIGGER ${name} AFTER INSERT ON registrations REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION ${name}()`,
    );
    try {
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          register(apps[0].http, event.slug, registrationBody({ attendanceMode: MODES[i % 2] })),
        ),
      );
      const { rows } = await db.query(`SELECT is_called FROM ${name}`);
      expect(rows[0].is_called).toBe(true); // a batch did fail
      expect(statusCounts(responses)).toEqual({ 201: 20 });
      expect(await rowsByStatus(eventId)).toEqual({
        in_person: { confirmed: 5, waitlisted: 5 },
        online: { confirmed: 10 },
      });
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 5, online: 10 });
    } finally {
      await db.query(`DROP TRIGGER ${name} ON registrations`);
      await db.query(`DROP FUNCTION ${name}()`);
      await db.query(`DROP SEQUENCE ${name}`);
    }
  });

  it('without a waitlist confirms exactly the capacity and refuses everyone else with 409 MODE_FULL, storing nothing for them', async () => {
    const event = await publishedEvent(apps[1].http, {
      capacity: { inPerson: 20, online: 30 },
      registration: { requiresApproval: false, waitlist: false, maxDelegationSize: 10 },
    });
    const { id: eventId } = await eventRow(event.slug);

    const N = 300;
    const bodies = Array.from({ length: N }, (_, i) =>
      registrationBody({
        email: `nowait.${i}.${randomBytes(4).toString('hex')}@example.kz`,
        attendanceMode: MODES[i % 2],
      }),
    );
    const started = performance.now();
    const responses = await Promise.all(
      bodies.map((body, i) => register(appFor(i >> 1).http, event.slug, body)),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `[capacity] ${N} simultaneous registrations (no waitlist) over 2 instances: ${seconds.toFixed(2)} s, ${(N / seconds).toFixed(0)} requests/s`,
    );

    expect(statusCounts(responses)).toEqual({ 201: 50, 409: 250 });
    const accepted = responses.filter((r) => r.status === 201);
    expect(
      statusCounts(
        accepted.map((r) => ({ status: r.body.attendanceMode === 'in_person' ? 1 : 2 })),
      ),
    ).toEqual({ 1: 20, 2: 30 });
    expect(accepted.every((r) => r.body.status === 'confirmed')).toBe(true);
    const refused = responses
      .map((res, i) => ({ res, body: bodies[i] }))
      .filter(({ res }) => res.status === 409);
    const notModeFull = refused.filter(
      ({ res, body }) =>
        !isProblem(res, 'MODE_FULL') ||
        !Array.isArray(res.body.alternatives) ||
        res.body.alternatives.some((m: string) => m !== other(body.attendanceMode as Mode)),
    );
    expect(notModeFull.map(({ res }) => res.text)).toEqual([]);

    expect(await rowsByStatus(eventId)).toEqual({
      in_person: { confirmed: 20 },
      online: { confirmed: 30 },
    });
    expect(await seatsOf(event.slug)).toEqual({ inPerson: 20, online: 30 });
    expect(await capacityProblems(event.slug)).toEqual([]);
    const { rows } = await db.query(`SELECT id FROM registrations WHERE event_id = $1`, [eventId]);
    expect(rows.map((r) => r.id).sort()).toEqual(accepted.map((r) => r.body.id).sort());

    // Nothing for the refused: no registration under their address anywhere, no email to them.
    const refusedEmails = refused.map(({ body }) => body.email.toLowerCase());
    const stored = await db.query(
      `SELECT count(*)::int AS n FROM registrations WHERE lower(email) = ANY($1)`,
      [refusedEmails],
    );
    expect(stored.rows[0].n).toBe(0);
    const mailed = await db.query(
      `SELECT count(*)::int AS n FROM emails WHERE lower(to_address) = ANY($1)`,
      [refusedEmails],
    );
    expect(mailed.rows[0].n).toBe(0);
    const emails = await emailCounts(eventId);
    expect(emails.size).toBe(50);
    for (const r of accepted) expect(emails.get(r.body.id)).toEqual({ registration_confirmed: 1 });
  }, 120_000);

  it('keeps capacity exact and skips nobody while cancellations, mode switches and a capacity raise run during a registration rush', async () => {
    const event = await publishedEvent(apps[0].http, { capacity: { inPerson: 8, online: 12 } });
    const { id: eventId } = await eventRow(event.slug);
    await watch(eventId);

    // Before the rush: 80 people, so both modes are full with a waitlist.
    const seedBodies = Array.from({ length: 80 }, (_, i) =>
      registrationBody({
        email: `seed.${i}.${randomBytes(4).toString('hex')}@example.kz`,
        attendanceMode: MODES[i % 2],
      }),
    );
    const seeded = await Promise.all(
      seedBodies.map((body, i) => register(appFor(i >> 1).http, event.slug, body)),
    );
    expect(statusCounts(seeded)).toEqual({ 201: 80 });
    const seed: { id: string; mode: Mode; status: string; manageToken: string }[] = [];
    for (const res of seeded) {
      const { manageToken } = await secretsOf(res.body.id);
      seed.push({
        id: res.body.id as string,
        mode: res.body.attendanceMode as Mode,
        status: res.body.status as string,
        manageToken,
      });
    }
    const pick = (mode: Mode, status: string) =>
      seed.filter((s) => s.mode === mode && s.status === status);
    const [ipConfirmed, onConfirmed] = [
      pick('in_person', 'confirmed'),
      pick('online', 'confirmed'),
    ];
    const [ipWaiting, onWaiting] = [pick('in_person', 'waitlisted'), pick('online', 'waitlisted')];
    expect([ipConfirmed.length, onConfirmed.length]).toEqual([8, 12]);

    type Op = { kind: 'cancel' } | { kind: 'switch'; to: Mode };
    interface Outcome {
      id: string;
      op: Op;
      res: TestResponse;
    }
    const CANCEL: Op = { kind: 'cancel' };
    const switchTo = (to: Mode): Op => ({ kind: 'switch', to });
    // Disjoint sets of seeded people: each gets exactly one change.
    const plan: { id: string; manageToken: string; op: Op }[] = [
      ...ipConfirmed.slice(0, 4).map((s) => ({ ...s, op: CANCEL })),
      ...onConfirmed.slice(0, 6).map((s) => ({ ...s, op: CANCEL })),
      ...ipWaiting.slice(0, 6).map((s) => ({ ...s, op: CANCEL })),
      ...onWaiting.slice(0, 6).map((s) => ({ ...s, op: CANCEL })),
      ...ipConfirmed.slice(4, 7).map((s) => ({ ...s, op: switchTo('online') })),
      ...onConfirmed.slice(6, 9).map((s) => ({ ...s, op: switchTo('in_person') })),
      ...ipWaiting.slice(6, 12).map((s) => ({ ...s, op: switchTo('online') })),
      ...onWaiting.slice(6, 12).map((s) => ({ ...s, op: switchTo('in_person') })),
    ];

    const change = (i: number, id: string, manageToken: string, op: Op): Promise<Outcome> => {
      const http = appFor(i).http;
      const path = `/api/v1/public/registrations/${manageToken}`;
      const sent =
        op.kind === 'cancel'
          ? http.post(`${path}/cancel`, undefined, { token: null })
          : http.patch(path, { attendanceMode: op.to }, { token: null });
      return sent.then((res) => ({ id, op, res }));
    };

    const R = 200;
    const rushBodies = Array.from({ length: R }, (_, i) =>
      registrationBody({
        email: `rush.${i}.${randomBytes(4).toString('hex')}@example.kz`,
        attendanceMode: MODES[i % 2],
      }),
    );
    const started = performance.now();
    const [rush, changes, chained, raise] = await Promise.all([
      Promise.all(
        rushBodies
          .map((body, i) => ({ body, i }))
          .filter(({ i }) => i % 10 !== 5)
          .map(({ body, i }) => register(appFor(i >> 1).http, event.slug, body)),
      ),
      Promise.all(plan.map((p, i) => change(i, p.id, p.manageToken, p.op))),
      // Every 10th newcomer changes their mind as soon as they are registered.
      Promise.all(
        rushBodies
          .map((body, i) => ({ body, i }))
          .filter(({ i }) => i % 10 === 5)
          .map(async ({ body, i }) => {
            const res = await register(appFor(i).http, event.slug, body);
            if (res.status !== 201) return { res, outcome: null };
            const { manageToken } = await secretsOf(res.body.id);
            const op: Op =
              i % 20 === 5
                ? { kind: 'cancel' }
                : { kind: 'switch', to: other(body.attendanceMode as Mode) };
            return { res, outcome: await change(i + 1, res.body.id, manageToken, op) };
          }),
      ),
      // Halfway through, the organiser adds two online seats (the waitlist is promoted at once).
      sleep(5).then(() =>
        apps[1].http.patch(`/api/v1/events/${event.slug}`, { capacity: { online: 14 } }),
      ),
    ]);
    const requests = R + plan.length + chained.length + 1;
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `[capacity] rush of ${R} registrations with ${plan.length + chained.length} cancellations/switches and a capacity raise: ${seconds.toFixed(2)} s, ${(requests / seconds).toFixed(0)} requests/s`,
    );
    expect(raise.status).toBe(200);

    // Every answer is one the contract allows: 201 for registering, 200 for a cancellation,
    // 200 for a switch or 409 MODE_FULL when a confirmed person's new mode is full.
    const registrations = [...rush, ...chained.map((c) => c.res)];
    expect(statusCounts(registrations)).toEqual({ 201: R });
    const outcomes: Outcome[] = [
      ...changes,
      ...chained.map((c) => c.outcome).filter((o): o is Outcome => o !== null),
    ];
    expect(outcomes).toHaveLength(plan.length + chained.length);
    const unexpected = outcomes.filter(({ op, res }) =>
      op.kind === 'cancel'
        ? res.status !== 200 || res.body.status !== 'cancelled'
        : res.status === 200
          ? res.body.attendanceMode !== op.to
          : !isProblem(res, 'MODE_FULL'),
    );
    expect(unexpected.map(({ op, res }) => `${op.kind}: ${res.status} ${res.text}`)).toEqual([]);

    // Capacity: counters equal the confirmed rows per mode, never above the capacity.
    const capacity = { in_person: 8, online: 14 };
    expect(await capacityProblems(event.slug)).toEqual([]);
    const { seats } = await eventRow(event.slug);
    expect(seats.in_person).toBeLessThanOrEqual(capacity.in_person);
    expect(seats.online).toBeLessThanOrEqual(capacity.online);

    // Each change left the row as its answer said.
    const { rows } = await db.query(
      `SELECT id, status, attendance_mode FROM registrations WHERE event_id = $1`,
      [eventId],
    );
    const byId = new Map(rows.map((r) => [r.id as string, r]));
    for (const { id, op, res } of outcomes) {
      const row = byId.get(id);
      if (op.kind === 'cancel') expect(row.status).toBe('cancelled');
      else if (res.status === 200) {
        expect(row.attendance_mode).toBe(op.to);
        expect(['confirmed', 'waitlisted']).toContain(row.status);
      } else {
        expect(row).toMatchObject({ status: 'confirmed', attendance_mode: other(op.to) });
      }
    }

    // Nobody skipped, at any moment (replay) and at the end (the invariant of skipProblems).
    const audit = await auditOf(eventId);
    const { problems, promotions } = replay(audit, capacity);
    expect(problems).toEqual([]);
    const end = await skipProblems(event.slug, promotions);
    expect(end.problems).toEqual([]);
    // The rush really exercised promotion in both modes.
    expect(end.promotedPerMode.in_person).toBeGreaterThan(0);
    expect(end.promotedPerMode.online).toBeGreaterThan(0);
    console.log(
      `[capacity] promotions during the rush: ${JSON.stringify(end.promotedPerMode)}, switches refused as full: ${outcomes.filter((o) => o.res.status === 409).length}`,
    );

    // One email per change: the first answer's, one per cancellation, per switch, per promotion.
    const expected = new Map<string, Record<string, number>>();
    const add = (id: string, kind: string) => {
      const kinds = expected.get(id) ?? {};
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      expected.set(id, kinds);
    };
    for (const res of [...seeded, ...registrations]) {
      add(res.body.id, `registration_${res.body.status}`);
    }
    for (const { id, op, res } of outcomes) {
      if (op.kind === 'cancel') add(id, 'registration_cancelled');
      else if (res.status === 200) add(id, 'attendance_mode_changed');
    }
    for (const p of promotions) add(p.registrationId, 'waitlist_promoted');
    const actual = await emailCounts(eventId);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
  }, 120_000);

  describe('negative controls: the checks above can fail', () => {
    it('a naive registrar (count, then insert, no lock, no counter) overbooks, and the capacity check says so', async () => {
      const event = await publishedEvent(apps[0].http, { capacity: { inPerson: 5, online: 5 } });
      const { id: eventId } = await eventRow(event.slug);
      expect(await capacityProblems(event.slug)).toEqual([]);

      const ATTEMPTS = 50;
      const clients = Array.from(
        { length: ATTEMPTS },
        () => new Client({ connectionString: testDatabaseUrl() }),
      );
      await Promise.all(clients.map((c) => c.connect()));
      try {
        const outcomes = await Promise.all(
          clients.map(async (c, i) => {
            const { rows } = await c.query(
              `SELECT count(*)::int AS n FROM registrations
                WHERE event_id = $1 AND attendance_mode = 'in_person' AND status = 'confirmed'`,
              [eventId],
            );
            await c.query('SELECT pg_sleep(0.01)');
            if (rows[0].n >= 5) return false;
            // A readable reference, unique in this event: the attempt number in base 8.
            const reference = `NV${i
              .toString(8)
              .padStart(6, '0')
              .replace(/[0-7]/g, (d) => '23456789'[Number(d)])}`;
            await c.query(
              `INSERT INTO registrations (event_id, reference, status, attendance_mode, email,
                 given_name, family_name, organisation, country, stakeholder_type, language,
                 consent_data_processing, consent_list_of_participants, manage_token, join_token,
                 checkin_code, confirmed_at)
               VALUES ($1, $2, 'confirmed', 'in_person', $3, 'Naive', 'Registrar', 'Test', 'KZ',
                 'other', 'en', true, false, $4, $5, $6, now())`,
              [
                eventId,
                reference,
                `naive.${i}.${randomBytes(4).toString('hex')}@example.kz`,
                randomBytes(24).toString('base64url'),
                randomBytes(24).toString('base64url'),
                randomBytes(24).toString('base64url'),
              ],
            );
            return true;
          }),
        );
        const inserted = outcomes.filter(Boolean).length;
        console.log(`[capacity] naive registrar: ${inserted} confirmed for 5 seats`);
        expect(inserted).toBeGreaterThan(5);
      } finally {
        await Promise.all(clients.map((c) => c.end()));
      }
      const problems = await capacityProblems(event.slug);
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^in_person: \d+ confirmed rows > capacity 5$/),
          expect.stringMatching(/^in_person: counter 0 != \d+ confirmed rows$/),
        ]),
      );
    });

    it('the CHECK constraints refuse a counter above its capacity', async () => {
      const event = await publishedEvent(apps[1].http, { capacity: { inPerson: 3, online: 4 } });
      const { id } = await eventRow(event.slug);
      await expect(
        db.query('UPDATE events SET seats_taken_in_person = capacity_in_person + 1 WHERE id = $1', [
          id,
        ]),
      ).rejects.toMatchObject({ code: '23514', constraint: 'chk_events_seats_in_person' });
      await expect(
        db.query('UPDATE events SET seats_taken_online = capacity_online + 1 WHERE id = $1', [id]),
      ).rejects.toMatchObject({ code: '23514', constraint: 'chk_events_seats_online' });
      // At the capacity is allowed: the constraint is the limit, not something stricter.
      await db.query('UPDATE events SET seats_taken_in_person = capacity_in_person WHERE id = $1', [
        id,
      ]);
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 3, online: 0 });
    });

    it('a naive promoter (newest first) skips the waitlist, and both skip checks say so', async () => {
      const event = await publishedEvent(apps[0].http, { capacity: { inPerson: 2, online: 2 } });
      const { id: eventId } = await eventRow(event.slug);
      await watch(eventId);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await register(apps[i % 2].http, event.slug, registrationBody());
        expect(res.status).toBe(201);
        ids.push(res.body.id);
        await sleep(3); // distinct queued_at
      }
      // Cancel the first, then hand its seat to the newest waitlisted, without the lock.
      await db.query(
        `UPDATE registrations SET status = 'cancelled', cancelled_at = now() WHERE id = $1`,
        [ids[0]],
      );
      await db.query(
        `UPDATE registrations SET status = 'confirmed', queued_at = NULL, confirmed_at = now()
          WHERE id = $1`,
        [ids[4]],
      );
      expect(await capacityProblems(event.slug)).toEqual([]);
      const { problems, promotions } = replay(await auditOf(eventId), {
        in_person: 2,
        online: 2,
      });
      expect(promotions.map((p) => p.registrationId)).toEqual([ids[4]]);
      expect(problems).toEqual([expect.stringMatching(/promoted in in_person while 2 older/)]);
      const end = await skipProblems(event.slug, promotions);
      expect(end.problems).toHaveLength(2);
    });
  });
});
