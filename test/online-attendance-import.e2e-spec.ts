import { eventWithSessions, registered } from './helpers/attendance';
import { uniqueSlug } from './helpers/factories';
import { importedState, importReport, minutesOf, reportFixture } from './helpers/reports';
import { startTestApp, TestApp, withDatabase } from './helpers/test-app';

/**
 * The people of the fixtures (see the comments of src/attendance/platform-reports/*.spec.ts):
 * a Zoom meeting on 2023-06-07 and a Teams meeting on 2024-06-18, both in Asia/Almaty, which is
 * the timezone of the events hybridEvent builds.
 */
const PEOPLE = {
  aigerim: { email: 'a.nurlanovna@example.kz', givenName: 'Айгерім', familyName: 'Нұрланқызы' },
  yerlan: { email: 'yerlan.sarsenbayev@minzdrav.kz', givenName: 'Ерлан', familyName: 'Сәрсенбаев' },
  dana: { email: 'd.omarova@undp.org', givenName: 'Dana', familyName: 'Omarova' },
  jp: { email: 'jp.dupont@oecd.org', givenName: 'Jean-Pierre', familyName: 'Dupont' },
  michael: { email: 'm.brown@osce.org', givenName: 'Michael', familyName: 'Brown' },
  absent: { email: 'absent@example.org', givenName: 'Never', familyName: 'Came' },
};
type Person = keyof typeof PEOPLE;

const ZOOM_UNMATCHED = [
  { name: 'Convene Host', email: 'host@convene.example' },
  { name: 'iPhone', email: 'visitor@example.com' },
  { name: 'Айгерім', email: null },
];

describe('online attendance import', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /** A hybrid event with one session and the fixture people registered online. */
  async function dialogue() {
    const event = await eventWithSessions(t.http, {}, [{}]);
    const ids = {} as Record<Person, string>;
    for (const [key, person] of Object.entries(PEOPLE)) {
      ids[key as Person] = (
        await registered(t.http, event.slug, { ...person, attendanceMode: 'online' })
      ).id;
    }
    return { ...event, ids };
  }

  it('imports a Zoom report: rows kept raw, people matched, minutes summed', async () => {
    const event = await dialogue();
    const res = await importReport(t.http, event.slug, reportFixture('zoom-participants.csv'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      rows: 12,
      matched: 5,
      unmatched: ZOOM_UNMATCHED,
      duplicatesIgnored: 1,
      problems: [],
    });
    expect(await minutesOf(event.id)).toEqual({
      [event.ids.aigerim]: 149,
      [event.ids.yerlan]: 210,
      [event.ids.dana]: 45,
      [event.ids.jp]: 75,
      [event.ids.michael]: 10,
    });
    const { rows, totals } = await importedState(event.id);
    expect(rows).toHaveLength(11);
    const first = rows.find((r) => r.row_number === 7)!;
    expect(first).toMatchObject({
      platform: 'zoom',
      session_key: 'event',
      session_id: null,
      name: 'Айгерім Нұрланқызы',
      email: 'A.Nurlanovna@Example.KZ',
      registration_id: event.ids.aigerim,
    });
    expect(first.raw['Join Time']).toBe('06/07/2023 09:01:12 AM');
    expect(first.joined_at.toISOString()).toBe('2023-06-07T03:01:12.000Z');
    expect(
      rows
        .filter((r) => r.registration_id === null)
        .map((r) => r.name)
        .sort(),
    ).toEqual(['Convene Host', 'iPhone', 'Айгерім'].sort());
    const aigerim = totals.find((r) => r.registration_id === event.ids.aigerim)!;
    expect(aigerim.seconds).toBe(8928);
    expect(aigerim.intervals).toEqual([
      { start: '2023-06-07T03:01:12.000Z', end: '2023-06-07T05:00:00.000Z' },
      { start: '2023-06-07T05:30:00.000Z', end: '2023-06-07T06:00:00.000Z' },
    ]);
  });

  it('changes nothing when the same rows come again, in either Zoom layout', async () => {
    const event = await dialogue();
    const file = reportFixture('zoom-participants.csv');
    expect((await importReport(t.http, event.slug, file)).status).toBe(200);
    const before = await importedState(event.id);
    for (const again of [file, reportFixture('zoom-participants-no-header.csv')]) {
      const res = await importReport(t.http, event.slug, again);
      expect(res.status).toBe(200);
      // The same people and counts; every row of the file is now one stored before.
      expect(res.body).toEqual({
        rows: 12,
        matched: 5,
        unmatched: ZOOM_UNMATCHED,
        duplicatesIgnored: 12,
        problems: [],
      });
      expect(await importedState(event.id)).toEqual(before);
    }
    expect((await minutesOf(event.id))[event.ids.aigerim]).toBe(149);
  });

  it('imports a UTF-16 Teams report for one session, apart from the whole event', async () => {
    const event = await dialogue();
    const [sessionId] = event.sessionIds;
    const res = await importReport(t.http, event.slug, reportFixture('teams-attendance.csv'), {
      sessionId,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      rows: 7,
      matched: 3,
      unmatched: [
        { name: 'Convene Organiser', email: 'organiser@convene.example' },
        { name: 'Timur Akhmetov', email: 't.akhmetov@example.org' },
      ],
      duplicatesIgnored: 0,
      problems: [],
    });
    expect(await minutesOf(event.id, sessionId)).toEqual({
      [event.ids.aigerim]: 135,
      [event.ids.yerlan]: 180,
      [event.ids.dana]: 30,
    });
    expect(await minutesOf(event.id)).toEqual({});
    const { rows } = await importedState(event.id);
    expect(rows.every((r) => r.session_id === sessionId && r.platform === 'teams')).toBe(true);
  });

  it('matches rows stored before to a person who registered after, on the next import', async () => {
    const event = await dialogue();
    const [sessionId] = event.sessionIds;
    const file = reportFixture('teams-attendance.csv');
    expect((await importReport(t.http, event.slug, file, { sessionId })).status).toBe(200);
    const timur = await registered(t.http, event.slug, {
      email: 'T.Akhmetov@example.org',
      givenName: 'Timur',
      familyName: 'Akhmetov',
      attendanceMode: 'online',
    });
    const res = await importReport(t.http, event.slug, file, { sessionId });
    expect(res.body).toMatchObject({ rows: 7, matched: 4, duplicatesIgnored: 7 });
    expect(res.body.unmatched).toEqual([
      { name: 'Convene Organiser', email: 'organiser@convene.example' },
    ]);
    const minutes = await minutesOf(event.id, sessionId);
    expect(Object.keys(minutes)).toHaveLength(4);
    expect(minutes[timur.id]).toBeGreaterThan(0);
    expect(minutes[event.ids.aigerim]).toBe(135);
  });

  it('refuses a file that is not a report with 400 and the reasons, storing nothing', async () => {
    const event = await dialogue();
    for (const bytes of [
      Buffer.from('hello,world\n1,2\n'),
      Buffer.from('<!DOCTYPE html><html><body>Sign in</body></html>'),
      Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x00, 0x42]),
    ]) {
      const res = await importReport(t.http, event.slug, bytes);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: 'REPORT_NOT_READABLE' });
      expect(res.body.problems).toEqual([expect.any(String)]);
    }
    expect(await importedState(event.id)).toEqual({ rows: [], totals: [] });
  });

  it('refuses a body without a file, JSON, and an unknown session', async () => {
    const event = await dialogue();
    const url = `/api/v1/events/${event.slug}/online-attendance/import`;
    const noFile = new FormData();
    noFile.append('sessionId', event.sessionIds[0]);
    const empty = await t.http.request('POST', url, { form: noFile });
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ field: 'file', message: 'is required' }]);
    const json = await t.http.post(url, { file: 'zoom.csv' });
    expect(json.status).toBe(400);
    expect(json.body.errors).toEqual([{ field: 'file', message: expect.any(String) }]);
    const unknown = await importReport(t.http, event.slug, reportFixture('zoom-participants.csv'), {
      sessionId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.status).toBe(404);
    const missing = await importReport(t.http, uniqueSlug('missing'), Buffer.from('x'));
    expect(missing.status).toBe(404);
    expect(await importedState(event.id)).toEqual({ rows: [], totals: [] });
  });

  it('is for organisers: checkin tokens and other events are refused', async () => {
    const event = await dialogue();
    const tokenOf = async (body: Record<string, unknown>) =>
      (await t.http.post('/api/v1/tokens', { name: uniqueSlug('import'), ...body })).body
        .secret as string;
    const file = reportFixture('zoom-participants.csv');
    const desk = await tokenOf({ role: 'checkin', eventSlug: event.slug });
    expect((await importReport(t.http, event.slug, file, { token: desk })).status).toBe(403);
    const other = await eventWithSessions(t.http);
    const elsewhere = await tokenOf({ role: 'organiser', eventSlug: other.slug });
    expect((await importReport(t.http, event.slug, file, { token: elsewhere })).status).toBe(403);
    expect((await importReport(t.http, event.slug, file, { token: null })).status).toBe(401);
    expect(await importedState(event.id)).toEqual({ rows: [], totals: [] });
    const own = await tokenOf({ role: 'organiser', eventSlug: event.slug });
    expect((await importReport(t.http, event.slug, file, { token: own })).status).toBe(200);
    const stored = await withDatabase(
      async (db) =>
        (
          await db.query(
            'SELECT count(*)::int AS n FROM online_attendance_rows WHERE event_id = $1',
            [event.id],
          )
        ).rows[0].n,
    );
    expect(stored).toBe(11);
  });
});
