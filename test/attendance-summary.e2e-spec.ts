import { parse } from 'csv-parse/sync';
import { eventWithSessions, registered } from './helpers/attendance';
import { uniqueSlug } from './helpers/factories';
import { importReport, reportFixture } from './helpers/reports';
import { ADMIN_TOKEN, startTestApp, TestApp } from './helpers/test-app';

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
