import { parse } from 'csv-parse/sync';
import { eventWithSessions, registered } from './helpers/attendance';
import { AttendanceTalliesService } from '../src/attendance/summary/attendance-tallies.service';
import { uniqueSlug } from './helpers/factories';
import { importReport, reportFixture } from './helpers/reports';
import { Client, Pool } from 'pg';
import {
  ADMIN_TOKEN,
  startTestApp,
  TestApp,
  testDatabaseUrl,
  withDatabase,
} from './helpers/test-app';

const TALLY_KEY =
  'session_key, attendance_mode, stakeholder_type, status, chose, checked_in, minutes, opened';

/** The event's tallies added up per key, as the summary reads them. */
const tallied = (eventId: string) =>
  withDatabase(
    async (db) =>
      (
        await db.query(
          `SELECT ${TALLY_KEY}, sum(people)::int AS people FROM attendance_tallies
            WHERE event_id = $1 GROUP BY ${TALLY_KEY} HAVING sum(people) <> 0
            ORDER BY ${TALLY_KEY}`,
          [eventId],
        )
      ).rows,
  );

/**
 * Every registration of the event counted afresh from the fact tables, for the event as a whole
 * and per session, as the summary counted before the tallies: what the triggers must agree with.
 */
const recounted = (eventId: string) =>
  withDatabase(
    async (db) =>
      (
        await db.query(
          `WITH facts AS (
             SELECT r.id, 'event'::varchar AS session_key, false AS chose,
                    EXISTS (SELECT 1 FROM check_ins c
                             WHERE c.registration_id = r.id AND c.session_key = 'event') AS checked_in,
                    (SELECT COALESCE(max(oa.minutes) FILTER (WHERE oa.session_key = 'event'),
                                     sum(oa.minutes))::int
                       FROM online_attendance oa WHERE oa.registration_id = r.id) AS minutes,
                    EXISTS (SELECT 1 FROM online_joins j WHERE j.registration_id = r.id) AS opened
               FROM registrations r WHERE r.event_id = $1
             UNION ALL
             SELECT p.registration_id, p.session_key, bool_or(p.chose), bool_or(p.checked_in),
                    max(p.minutes), bool_or(p.opened)
               FROM (SELECT registration_id, session_id::text AS session_key, true AS chose,
                            false AS checked_in, NULL::int AS minutes, false AS opened
                       FROM registration_sessions
                     UNION ALL SELECT registration_id, session_key, false, true, NULL, false
                       FROM check_ins WHERE session_key <> 'event'
                     UNION ALL SELECT registration_id, session_key, false, false, minutes, false
                       FROM online_attendance WHERE session_key <> 'event'
                     UNION ALL SELECT registration_id, session_key, false, false, NULL, true
                       FROM online_joins WHERE session_key <> 'event') p
              GROUP BY p.registration_id, p.session_key
           )
           SELECT ${TALLY_KEY}, count(*)::int AS people
             FROM facts f JOIN registrations r ON r.id = f.id AND r.event_id = $1
            GROUP BY ${TALLY_KEY} ORDER BY ${TALLY_KEY}`,
          [eventId],
        )
      ).rows,
  );

const counts = (
  registered: number,
  confirmed: number,
  waitlisted: number,
  attended: number,
  rate: number | null,
) => ({ registered, confirmed, waitlisted, attended, noShows: confirmed - attended, rate });
const none = counts(0, 0, 0, 0, null);
const bySession = (confirmed: number, attended: number, noShows: number, rate: number | null) => ({
  confirmed,
  attended,
  noShows,
  rate,
});

describe('attendance summary and export columns', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const email = (who: string) => `${who}.${uniqueSlug('p')}@example.org`;

  /**
   * In person (3 seats): p1 and p3 checked in, p2 not; p5 waitlisted; p6 cancelled. Session A:
   * p1 and p2 chose it, p1 checked in to it; session B: p3 checked in without choosing it.
   * Online: Айгерім 149 min (Zoom, whole event) and 135 min in session B (Teams); Michael 10 min
   * though he opened his link; o3 no minutes but opened the link (and session A's); o4 nothing.
   */
  async function scenario() {
    const event = await eventWithSessions(t.http, { capacity: { inPerson: 3, online: 300 } }, [
      {},
      {},
    ]);
    const [a, b] = event.sessionIds;
    const reg = (who: string, extra: Record<string, unknown>) =>
      registered(t.http, event.slug, { email: email(who), ...extra });
    const p1 = await reg('p1', { stakeholderType: 'government', sessionIds: [a] });
    const p2 = await reg('p2', { stakeholderType: 'civil_society', sessionIds: [a] });
    const p3 = await reg('p3', { stakeholderType: 'government' });
    const p5 = await reg('p5', { stakeholderType: 'other' });
    const p6 = await reg('p6', { stakeholderType: 'media' });
    expect([p1.status, p2.status, p3.status, p5.status]).toEqual([
      'confirmed',
      'confirmed',
      'confirmed',
      'waitlisted',
    ]);
    const cancel = await t.http.post(`/api/v1/events/${event.slug}/registrations/${p6.id}/cancel`);
    expect(cancel.status).toBe(200);
    const online = { attendanceMode: 'online' };
    const aigerim = await registered(t.http, event.slug, {
      ...online,
      email: 'a.nurlanovna@example.kz',
      stakeholderType: 'government',
    });
    const michael = await registered(t.http, event.slug, {
      ...online,
      email: 'm.brown@osce.org',
      givenName: 'Michael',
      familyName: 'Brown',
      stakeholderType: 'international_organisation',
    });
    const o3 = await reg('o3', { ...online, stakeholderType: 'academia', sessionIds: [a] });
    const o4 = await reg('o4', { ...online, stakeholderType: 'media', sessionIds: [a] });

    const checkIn = async (code: string, sessionId?: string) =>
      expect(
        (await t.http.post(`/api/v1/events/${event.slug}/check-ins`, { code, sessionId })).status,
      ).toBe(201);
    await checkIn(p1.reference);
    await checkIn(p1.reference, a);
    await checkIn(p3.reference);
    await checkIn(p3.reference, b);
    for (const path of [michael.joinToken, o3.joinToken, `${o3.joinToken}?session=${a}`]) {
      expect((await t.http.get(`/j/${path}`, { token: null })).status).toBe(302);
    }
    const zoom = await importReport(t.http, event.slug, reportFixture('zoom-participants.csv'));
    expect(zoom.body.matched).toBe(2);
    const teams = await importReport(t.http, event.slug, reportFixture('teams-attendance.csv'), {
      sessionId: b,
    });
    expect(teams.body.matched).toBe(1);
    return { event, a, b, p1, p2, p3, p5, aigerim, michael, o3, o4 };
  }

  it('counts every mode, stakeholder type and session as the test made them', async () => {
    const { event, a, b } = await scenario();
    const res = await t.http.get(`/api/v1/events/${event.slug}/attendance`);
    expect(res.status).toBe(200);
    const types = (over: Record<string, unknown>) => ({
      government: none,
      international_organisation: none,
      civil_society: none,
      eu_institution: none,
      academia: none,
      media: none,
      other: none,
      ...over,
    });
    expect(res.body).toEqual({
      event: { slug: event.slug, onlineAttendanceMinMinutes: 15 },
      modes: { inPerson: counts(4, 3, 1, 2, 0.6667), online: counts(4, 4, 0, 2, 0.5) },
      byStakeholderType: {
        inPerson: types({
          government: counts(2, 2, 0, 2, 1),
          civil_society: counts(1, 1, 0, 0, 0),
          other: counts(1, 0, 1, 0, null),
        }),
        online: types({
          government: counts(1, 1, 0, 1, 1),
          international_organisation: counts(1, 1, 0, 0, 0),
          academia: counts(1, 1, 0, 1, 1),
          media: counts(1, 1, 0, 0, 0),
        }),
      },
      sessions: [
        {
          id: a,
          title: expect.any(String),
          startsAt: expect.any(String),
          inPerson: bySession(2, 1, 1, 0.5),
          online: { ...bySession(2, 1, 1, 0.5), minutes: 0 },
        },
        {
          id: b,
          title: expect.any(String),
          startsAt: expect.any(String),
          inPerson: bySession(0, 1, 0, null),
          online: { ...bySession(0, 1, 0, null), minutes: 135 },
        },
      ],
      // Whole-event minutes: Айгерім 149 (her session minutes are not added), Michael 10.
      onlineMinutes: { total: 159, totalOfAttended: 149, averageOfAttended: 149 },
    });
  });

  it("follows the event's minimum: at 5 minutes Michael's 10 count, not the link", async () => {
    const { event } = await scenario();
    const patched = await t.http.patch(`/api/v1/events/${event.slug}`, {
      onlineAttendanceMinMinutes: 5,
    });
    expect(patched.status).toBe(200);
    const res = await t.http.get(`/api/v1/events/${event.slug}/attendance`);
    expect(res.body.modes.online).toEqual(counts(4, 4, 0, 3, 0.75));
    expect(res.body.onlineMinutes).toEqual({
      total: 159,
      totalOfAttended: 159,
      averageOfAttended: 79.5,
    });
  });

  it('keeps its tallies equal to a recount of every fact as people change their minds', async () => {
    const s = await scenario();
    expect(await tallied(s.event.id)).toEqual(await recounted(s.event.id));
    const changes = [
      () => t.http.delete(`/api/v1/events/${s.event.slug}/check-ins/${s.p1.id}`),
      () => t.http.delete(`/api/v1/events/${s.event.slug}/check-ins/${s.p3.id}?sessionId=${s.b}`),
      () => t.http.post(`/api/v1/public/registrations/${s.p2.manageToken}/cancel`, {}),
      () =>
        t.http.patch(`/api/v1/public/registrations/${s.p3.manageToken}`, {
          attendanceMode: 'online',
        }),
      () => t.http.delete(`/api/v1/events/${s.event.slug}/sessions/${s.a}`),
    ];
    for (const change of changes) {
      expect((await change()).status).toBeLessThan(300);
      expect(await tallied(s.event.id)).toEqual(await recounted(s.event.id));
    }
    // In the room: p1 (check-in undone) and p5, who took p2's seat; p3 went online.
    const summary = await t.http.get(`/api/v1/events/${s.event.slug}/attendance`);
    expect(summary.body.modes.inPerson).toEqual(counts(2, 2, 0, 0, 0));
    expect(summary.body.sessions.map((x: { id: string }) => x.id)).toEqual([s.b]);

    // Folding replaces the +1/-1 rows with one row per key and changes no number. (Every
    // instance also folds every 10 s, so this does not count what it replaced.)
    const folds = t.app.get(AttendanceTalliesService);
    await folds.fold();
    const rows = await withDatabase(
      async (db) =>
        (
          await db.query(
            `SELECT ${TALLY_KEY}, people, folded FROM attendance_tallies WHERE event_id = $1`,
            [s.event.id],
          )
        ).rows as { people: number; folded: boolean }[],
    );
    expect(rows.every((row) => row.folded && row.people > 0)).toBe(true);
    expect(rows.length).toBe((await recounted(s.event.id)).length);
    expect((await t.http.get(`/api/v1/events/${s.event.slug}/attendance`)).body).toEqual(
      summary.body,
    );
  });

  it('counts each person once when the door, their link and their cancellation come at once', async () => {
    const event = await eventWithSessions(t.http, { capacity: { inPerson: 50, online: 50 } }, [{}]);
    const [a] = event.sessionIds;
    const people = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        registered(t.http, event.slug, {
          email: email(`c${i}`),
          attendanceMode: i % 2 === 0 ? 'in_person' : 'online',
          sessionIds: [a],
        }),
      ),
    );
    const answers = await Promise.all(
      people.flatMap((p, i) =>
        i % 2 === 0
          ? [
              t.http.post(`/api/v1/events/${event.slug}/check-ins`, { code: p.checkinCode }),
              t.http.post(`/api/v1/events/${event.slug}/check-ins`, {
                code: p.checkinCode,
                sessionId: a,
              }),
              i % 4 === 0
                ? t.http.post(`/api/v1/public/registrations/${p.manageToken}/cancel`, {})
                : t.http.get(`/api/v1/events/${event.slug}/attendance`),
            ]
          : [
              t.http.get(`/j/${p.joinToken}`, { token: null }),
              t.http.get(`/j/${p.joinToken}?session=${a}`, { token: null }),
              i % 4 === 1
                ? t.http.post(`/api/v1/public/registrations/${p.manageToken}/cancel`, {})
                : t.http.get(`/api/v1/events/${event.slug}/attendance`),
            ],
      ),
    );
    expect(answers.filter((res) => res.status >= 500)).toEqual([]);
    expect(await tallied(event.id)).toEqual(await recounted(event.id));
  });

  it('counts one person right when many of their facts change at once, in SQL', async () => {
    const event = await eventWithSessions(t.http, { capacity: { inPerson: 50, online: 50 } }, [{}]);
    const [a] = event.sessionIds;
    const people = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        registered(t.http, event.slug, { email: email(`s${i}`), stakeholderType: 'academia' }),
      ),
    );
    // Straight to the tables, as many connections at once as the pool has: each statement is a
    // transaction of its own, changing one fact of a person whose other facts change meanwhile.
    const pool = new Pool({ connectionString: testDatabaseUrl(), max: 10 });
    try {
      const changes = people.flatMap((p) => [
        [
          `INSERT INTO check_ins (event_id, registration_id, session_key, checked_in_at)
           VALUES ($1, $2, 'event', now())`,
          [event.id, p.id],
        ],
        [
          `INSERT INTO check_ins (event_id, registration_id, session_id, session_key, checked_in_at)
           VALUES ($1, $2, $3::uuid, $3::text, now())`,
          [event.id, p.id, a],
        ],
        [
          `INSERT INTO online_joins (event_id, registration_id, session_id, session_key,
                                     first_joined_at, last_joined_at)
           VALUES ($1, $2, $3::uuid, $3::text, now(), now())`,
          [event.id, p.id, a],
        ],
        [
          `INSERT INTO registration_sessions (registration_id, session_id) VALUES ($1, $2)`,
          [p.id, a],
        ],
        [`UPDATE registrations SET stakeholder_type = 'media' WHERE id = $1`, [p.id]],
        [`UPDATE registrations SET attendance_mode = 'online' WHERE id = $1`, [p.id]],
      ]);
      await Promise.all(
        changes.map(([sql, params]) => pool.query(sql as string, params as string[])),
      );
    } finally {
      await pool.end();
    }
    expect(await tallied(event.id)).toEqual(await recounted(event.id));
    const summary = await t.http.get(`/api/v1/events/${event.slug}/attendance`);
    expect(summary.body.byStakeholderType.online.media.confirmed).toBe(10);
    // A registration deleted takes its facts with it (cascades) and leaves no count behind.
    await withDatabase((db) => db.query('DELETE FROM registrations WHERE id = $1', [people[0].id]));
    expect(await tallied(event.id)).toEqual(await recounted(event.id));
    expect(
      (await t.http.get(`/api/v1/events/${event.slug}/attendance`)).body.byStakeholderType.online
        .media.confirmed,
    ).toBe(9);
  });

  it("counts a session's first fact with the registration as a change in flight leaves it", async () => {
    const event = await eventWithSessions(t.http, {}, [{}]);
    const [a] = event.sessionIds;
    const person = await registered(t.http, event.slug, {
      email: email('inflight'),
      stakeholderType: 'academia',
    });
    const changing = new Client({ connectionString: testDatabaseUrl() });
    await changing.connect();
    try {
      // An organiser's change to the person, not yet committed, while they choose a session:
      // the session's key is created then, and must not keep the type from before the change.
      await changing.query('BEGIN');
      await changing.query(`UPDATE registrations SET stakeholder_type = 'media' WHERE id = $1`, [
        person.id,
      ]);
      const choosing = withDatabase((db) =>
        db.query(
          'INSERT INTO registration_sessions (registration_id, session_id) VALUES ($1, $2)',
          [person.id, a],
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await changing.query('COMMIT');
      await choosing;
    } finally {
      await changing.end();
    }
    expect(await tallied(event.id)).toEqual(await recounted(event.id));
  });

  it('answers 404 for an unknown event and refuses a checkin token', async () => {
    expect((await t.http.get(`/api/v1/events/${uniqueSlug('none')}/attendance`)).status).toBe(404);
    const event = await eventWithSessions(t.http);
    const desk = await t.http.post('/api/v1/tokens', {
      name: uniqueSlug('desk'),
      role: 'checkin',
      eventSlug: event.slug,
    });
    const res = await t.http.get(`/api/v1/events/${event.slug}/attendance`, {
      token: desk.body.secret,
    });
    expect(res.status).toBe(403);
  });

  it('shows checked in at, online minutes and attended in registrations.csv', async () => {
    const s = await scenario();
    const res = await fetch(`${t.baseUrl}/api/v1/events/${s.event.slug}/registrations.csv`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    const rows: Record<string, string>[] = parse(await res.text(), { bom: true, columns: true });
    const of = (reference: string) => {
      const row = rows.find((r) => r.Reference === reference)!;
      return [row['Checked in at'], row['Online minutes'], row.Attended];
    };
    expect(of(s.p1.reference)).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/), '', 'yes']);
    expect(of(s.p2.reference)).toEqual(['', '', 'no']);
    expect(of(s.p5.reference)).toEqual(['', '', 'no']);
    expect(of(s.aigerim.reference)).toEqual(['', '149', 'yes']);
    expect(of(s.michael.reference)).toEqual(['', '10', 'no']);
    expect(of(s.o3.reference)).toEqual(['', '', 'yes']);
    expect(of(s.o4.reference)).toEqual(['', '', 'no']);
    expect(rows).toHaveLength(9);
  });
});
