import { eventWithSessions, registered } from './helpers/attendance';
import { startTestApp, TestApp, withDatabase } from './helpers/test-app';

const MEETING = 'https://meet.example.org/j/secret-meeting-42';
const SESSION_MEETING = 'https://meet.example.org/j/side-room-7';

const joinsOf = (registrationId: string) =>
  withDatabase(
    async (db) =>
      (
        await db.query(
          'SELECT session_key, first_joined_at, last_joined_at, join_count FROM online_joins WHERE registration_id = $1 ORDER BY session_key',
          [registrationId],
        )
      ).rows as Record<string, any>[],
  );

describe('online joins', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const open = (token: string, query = '', headers: Record<string, string> = {}) =>
    t.http.get(`/j/${token}${query}`, { token: null, headers });

  it('redirects to the meeting and counts each open', async () => {
    const event = await eventWithSessions(t.http, { onlineJoinUrl: MEETING });
    const person = await registered(t.http, event.slug, { attendanceMode: 'online' });
    const first = await open(person.joinToken);
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe(MEETING);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const [row] = await joinsOf(person.id);
    expect(row).toMatchObject({ session_key: 'event', join_count: 1 });
    expect(row.first_joined_at.getTime()).toBe(row.last_joined_at.getTime());

    const second = await open(person.joinToken, '?utm_source=mail');
    expect(second.status).toBe(302);
    const rows = await joinsOf(person.id);
    expect(rows).toHaveLength(1);
    expect(rows[0].join_count).toBe(2);
    expect(rows[0].first_joined_at.getTime()).toBe(row.first_joined_at.getTime());
    expect(rows[0].last_joined_at.getTime()).toBeGreaterThan(row.last_joined_at.getTime());
  });

  it("sends ?session= to the session's own meeting, counted apart", async () => {
    const event = await eventWithSessions(t.http, { onlineJoinUrl: MEETING }, [
      { onlineJoinUrl: SESSION_MEETING },
      {},
    ]);
    const [own, plain] = event.sessionIds;
    const person = await registered(t.http, event.slug, { attendanceMode: 'online' });
    expect((await open(person.joinToken, `?session=${own}`)).headers.get('location')).toBe(
      SESSION_MEETING,
    );
    expect((await open(person.joinToken, `?session=${plain}`)).headers.get('location')).toBe(
      MEETING,
    );
    expect((await joinsOf(person.id)).map((r) => [r.session_key, r.join_count])).toEqual(
      [
        [own, 1],
        [plain, 1],
      ].sort(),
    );
    const unknown = await open(person.joinToken, '?session=00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.text).not.toContain('meet.example.org');
  });

  it('counts 10 concurrent opens in one row', async () => {
    const event = await eventWithSessions(t.http, { onlineJoinUrl: MEETING });
    const person = await registered(t.http, event.slug, { attendanceMode: 'online' });
    const answers = await Promise.all(Array.from({ length: 10 }, () => open(person.joinToken)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(302));
    expect((await joinsOf(person.id)).map((r) => r.join_count)).toEqual([10]);
  });

  describe('refuses with a plain page, never the meeting URL', () => {
    function expectPage(res: Awaited<ReturnType<typeof open>>, status: number, text: string) {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
      expect(res.headers.get('location')).toBeNull();
      expect(res.text).toContain(text);
      expect(res.text).not.toContain('meet.example.org');
    }

    it('for an in-person, pending, waitlisted, declined or cancelled registration', async () => {
      const event = await eventWithSessions(t.http, {
        onlineJoinUrl: MEETING,
        capacity: { inPerson: 10, online: 1 },
      });
      const inPerson = await registered(t.http, event.slug, { language: 'en' });
      const seated = await registered(t.http, event.slug, { attendanceMode: 'online' });
      const waiting = await registered(t.http, event.slug, {
        attendanceMode: 'online',
        language: 'ru',
      });
      expect(waiting.status).toBe('waitlisted');
      expectPage(await open(inPerson.joinToken), 409, 'attend in person');
      expectPage(await open(waiting.joinToken), 409, 'листе ожидания');
      const cancel = `/api/v1/events/${event.slug}/registrations/${seated.id}/cancel`;
      expect((await t.http.post(cancel)).status).toBe(200);
      // In the registrant's language: Kazakh here.
      expectPage(await open(seated.joinToken), 409, 'Тіркеуіңіз тоқтатылды');

      const approval = await eventWithSessions(t.http, {
        onlineJoinUrl: MEETING,
        registration: { requiresApproval: true, waitlist: true, maxDelegationSize: 10 },
      });
      const pending = await registered(t.http, approval.slug, {
        attendanceMode: 'online',
        language: 'en',
      });
      expectPage(await open(pending.joinToken), 409, 'waiting for approval');
      const decline = `/api/v1/events/${approval.slug}/registrations/${pending.id}/decline`;
      expect((await t.http.post(decline)).status).toBe(200);
      expectPage(await open(pending.joinToken), 409, 'declined');
      for (const r of [inPerson, seated, waiting, pending]) expect(await joinsOf(r.id)).toEqual([]);
    });

    it('for an unknown token (404, in the language the browser asks for)', async () => {
      expectPage(await open('no-such-token'), 404, 'not valid');
      expectPage(
        await open('no-such-token', '', { 'accept-language': 'ru-RU,ru;q=0.9' }),
        404,
        'недействительна',
      );
    });

    it('for a cancelled event, with its title escaped', async () => {
      const event = await eventWithSessions(t.http, {
        onlineJoinUrl: MEETING,
        title: 'Dialogue <script>alert(1)</script> & more',
      });
      const person = await registered(t.http, event.slug, {
        attendanceMode: 'online',
        language: 'en',
      });
      expect((await t.http.post(`/api/v1/events/${event.slug}/cancel`)).status).toBe(200);
      const res = await open(person.joinToken);
      expectPage(res, 409, 'cancelled');
      expect(res.text).toContain('Dialogue &lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
      expect(res.text).not.toContain('<script>');
      expect(await joinsOf(person.id)).toEqual([]);
    });
  });
});
