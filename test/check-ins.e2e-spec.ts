import { attemptsOf, checkInsOf, eventWithSessions, registered } from './helpers/attendance';
import { emailsOf, seatsOf } from './helpers/registrations';
import { startTestApp, TestApp, TestResponse, withDatabase } from './helpers/test-app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('check-in desk', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const scan = (slug: string, body: Record<string, unknown>, token?: string) =>
    t.http.post(`/api/v1/events/${slug}/check-ins`, body, { token });

  function expectNotAdmitted(res: TestResponse, reason: string) {
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: expect.stringMatching(/^urn:convene:problem:/),
      title: 'Conflict',
      status: 409,
      detail: expect.any(String),
      result: 'not_admitted',
      reason,
    });
  }

  it('checks a confirmed person in by QR code, and keeps the attempt', async () => {
    const event = await eventWithSessions(t.http);
    const person = await registered(t.http, event.slug);
    const res = await scan(event.slug, {
      code: person.checkinCode,
      desk: 'Entrance A',
      scannedAt: '2030-01-01T10:00:00+05:00',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      result: 'checked_in',
      registration: {
        reference: person.reference,
        name: 'Айгерім Нұрланқызы',
        organisation: 'Ministry of Health',
        attendanceMode: 'in_person',
        delegation: null,
      },
      at: expect.stringMatching(ISO),
    });
    const rows = await checkInsOf(person.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ session_key: 'event', session_id: null, desk: 'Entrance A' });
    expect(rows[0].checked_in_at.toISOString()).toBe(res.body.at);
    const [attempt] = await attemptsOf(event.id);
    expect(attempt).toMatchObject({
      code: person.checkinCode,
      result: 'checked_in',
      reason: null,
      desk: 'Entrance A',
      registration_id: person.id,
      response_status: 201,
    });
    expect(attempt.scanned_at.toISOString()).toBe('2030-01-01T05:00:00.000Z');
    expect(attempt.received_at).toBeInstanceOf(Date);
    expect(attempt.response_body).toEqual(res.body);
  });

  it('takes a spoken reference in any case, with spaces or dashes', async () => {
    const event = await eventWithSessions(t.http);
    const person = await registered(t.http, event.slug);
    const spoken = `${person.reference.slice(0, 4)}-${person.reference.slice(4)}`.toLowerCase();
    const res = await scan(event.slug, { code: spoken });
    expect(res.status).toBe(201);
    expect(res.body.registration.reference).toBe(person.reference);
  });

  it('answers a second scan with already_checked_in and the first time, and no second row', async () => {
    const event = await eventWithSessions(t.http);
    const person = await registered(t.http, event.slug);
    const first = await scan(event.slug, { code: person.checkinCode });
    expect(first.status).toBe(201);
    const second = await scan(event.slug, { code: person.reference });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ result: 'already_checked_in', firstAt: first.body.at });
    expect(await checkInsOf(person.id)).toHaveLength(1);
    expect((await attemptsOf(event.id)).map((a) => a.result)).toEqual([
      'checked_in',
      'already_checked_in',
    ]);
  });

  it('answers 404 (problem+json) for an unknown code, and keeps that attempt too', async () => {
    const event = await eventWithSessions(t.http);
    for (const code of ['no-such-code-at-all', 'ZZZZZZZZ']) {
      const res = await scan(event.slug, { code });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 404, title: 'Not Found', result: 'not_found' });
    }
    expect((await attemptsOf(event.id)).map((a) => [a.code, a.result])).toEqual([
      ['no-such-code-at-all', 'not_found'],
      ['ZZZZZZZZ', 'not_found'],
    ]);
  });

  it('refuses pending, waitlisted, declined and cancelled registrations (409 with the reason)', async () => {
    const approval = await eventWithSessions(t.http, {
      registration: { requiresApproval: true, waitlist: true, maxDelegationSize: 10 },
    });
    const pending = await registered(t.http, approval.slug);
    const declined = await registered(t.http, approval.slug);
    const base = `/api/v1/events/${approval.slug}/registrations`;
    expect((await t.http.post(`${base}/${declined.id}/decline`)).status).toBe(200);
    const full = await eventWithSessions(t.http, { capacity: { inPerson: 1, online: 10 } });
    const seated = await registered(t.http, full.slug);
    const waitlisted = await registered(t.http, full.slug);
    expect(waitlisted.status).toBe('waitlisted');
    const cancelledUrl = `/api/v1/events/${full.slug}/registrations/${seated.id}/cancel`;
    expect((await t.http.post(cancelledUrl)).status).toBe(200);

    expectNotAdmitted(await scan(approval.slug, { code: pending.checkinCode }), 'pending');
    expectNotAdmitted(await scan(approval.slug, { code: declined.reference }), 'declined');
    // The cancellation promoted the waitlisted person: a third one waits now.
    expectNotAdmitted(await scan(full.slug, { code: seated.checkinCode }), 'cancelled');
    expect(await checkInsOf(seated.id)).toEqual([]);
    const third = await registered(t.http, full.slug);
    expect(third.status).toBe('waitlisted');
    expectNotAdmitted(await scan(full.slug, { code: third.checkinCode }), 'waitlisted');
    expect(await checkInsOf(third.id)).toEqual([]);
  });

  it("refuses another event's code without saying whose it is", async () => {
    const here = await eventWithSessions(t.http);
    const there = await eventWithSessions(t.http);
    const stranger = await registered(t.http, there.slug);
    const res = await scan(here.slug, { code: stranger.checkinCode });
    expectNotAdmitted(res, 'other_event');
    expect(res.body.registration).toBeUndefined();
    expect(res.text).not.toContain(stranger.reference);
    expect(await checkInsOf(stranger.id)).toEqual([]);
  });

  it('checks in per session: a limited session only for those who chose it', async () => {
    const event = await eventWithSessions(t.http, {}, [{ capacity: { inPerson: 5 } }, {}]);
    const [limited, open] = event.sessionIds;
    const chose = await registered(t.http, event.slug, { sessionIds: [limited] });
    const other = await registered(t.http, event.slug);
    expect((await scan(event.slug, { code: chose.checkinCode, sessionId: limited })).status).toBe(
      201,
    );
    expectNotAdmitted(
      await scan(event.slug, { code: other.checkinCode, sessionId: limited }),
      'session_not_chosen',
    );
    // A session without an in-person capacity is open to anyone at the event.
    expect((await scan(event.slug, { code: other.checkinCode, sessionId: open })).status).toBe(201);
    // The event itself is a check-in of its own.
    expect((await scan(event.slug, { code: chose.checkinCode })).status).toBe(201);
    expect((await checkInsOf(chose.id)).map((r) => r.session_key).sort()).toEqual(
      ['event', limited].sort(),
    );
    const unknown = await scan(event.slug, {
      code: chose.checkinCode,
      sessionId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.status).toBe(404);
  });

  it('refuses an online registrant unless admitOnline, then switches them to in person', async () => {
    const event = await eventWithSessions(t.http, { capacity: { inPerson: 2, online: 5 } });
    const online = await registered(t.http, event.slug, { attendanceMode: 'online' });
    expectNotAdmitted(await scan(event.slug, { code: online.reference }), 'registered_online');
    expect(await seatsOf(event.slug)).toEqual({ inPerson: 0, online: 1 });

    const res = await scan(event.slug, { code: online.reference, admitOnline: true });
    expect(res.status).toBe(201);
    expect(res.body.registration.attendanceMode).toBe('in_person');
    expect(await seatsOf(event.slug)).toEqual({ inPerson: 1, online: 0 });
    const mode = await withDatabase(
      async (db) =>
        (await db.query('SELECT attendance_mode FROM registrations WHERE id = $1', [online.id]))
          .rows[0].attendance_mode,
    );
    expect(mode).toBe('in_person');
    expect(await checkInsOf(online.id)).toHaveLength(1);
  });

  it('lets an online registrant in without a chosen session whose room is full, and says so', async () => {
    const event = await eventWithSessions(t.http, { capacity: { inPerson: 5, online: 5 } }, [
      { title: 'Small room', capacity: { inPerson: 1 } },
      { title: 'Plenary' },
    ]);
    const [small, plenary] = event.sessionIds;
    await registered(t.http, event.slug, { sessionIds: [small] });
    const online = await registered(t.http, event.slug, {
      attendanceMode: 'online',
      sessionIds: [small, plenary],
    });
    const res = await scan(event.slug, { code: online.checkinCode, admitOnline: true });
    expect(res.status).toBe(201);
    expect(res.body.result).toBe('checked_in');
    expect(await seatsOf(event.slug)).toEqual({ inPerson: 2, online: 0 });
    const { chosen, seats } = await withDatabase(async (db) => ({
      chosen: (
        await db.query('SELECT session_id FROM registration_sessions WHERE registration_id = $1', [
          online.id,
        ])
      ).rows.map((r: { session_id: string }) => r.session_id),
      seats: Object.fromEntries(
        (
          await db.query('SELECT id, seats_taken FROM event_sessions WHERE event_id = $1', [
            event.id,
          ])
        ).rows.map((r: { id: string; seats_taken: number }) => [r.id, r.seats_taken]),
      ),
    }));
    expect(chosen).toEqual([plenary]);
    expect(seats).toEqual({ [small]: 1, [plenary]: 1 });
    expect((await emailsOf(online.id)).at(-1)).toMatchObject({
      kind: 'attendance_mode_changed',
      facts: { from: 'online', to: 'in_person', droppedSessionIds: [small] },
    });
  });

  it('keeps an online registrant out when no in-person seat is free, changing nothing', async () => {
    const event = await eventWithSessions(t.http, { capacity: { inPerson: 1, online: 5 } });
    await registered(t.http, event.slug);
    const online = await registered(t.http, event.slug, { attendanceMode: 'online' });
    const res = await scan(event.slug, { code: online.checkinCode, admitOnline: true });
    expectNotAdmitted(res, 'in_person_full');
    expect(await seatsOf(event.slug)).toEqual({ inPerson: 1, online: 1 });
    expect(await checkInsOf(online.id)).toEqual([]);
    expect((await attemptsOf(event.id)).map((a) => a.reason)).toEqual(['in_person_full']);
  });

  it('makes exactly one check-in of 20 parallel scans of one code', async () => {
    const event = await eventWithSessions(t.http);
    const person = await registered(t.http, event.slug);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        scan(event.slug, { code: person.checkinCode, desk: `desk ${i}` }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([...Array(19).fill(200), 201]);
    expect(answers.filter((a) => a.body.result === 'checked_in')).toHaveLength(1);
    expect(answers.filter((a) => a.body.result === 'already_checked_in')).toHaveLength(19);
    const first = answers.find((a) => a.status === 201)?.body.at;
    for (const a of answers.filter((x) => x.status === 200)) expect(a.body.firstAt).toBe(first);
    expect(await checkInsOf(person.id)).toHaveLength(1);
    expect(await attemptsOf(event.id)).toHaveLength(20);
  });

  it('answers a retried nonce with the identical answer and keeps one attempt', async () => {
    const event = await eventWithSessions(t.http);
    const person = await registered(t.http, event.slug);
    const body = { code: person.checkinCode, nonce: 'desk-a-scan-1', desk: 'A' };
    const first = await scan(event.slug, body);
    expect(first.status).toBe(201);
    const retries = await Promise.all([1, 2, 3].map(() => scan(event.slug, body)));
    for (const retry of retries) {
      expect(retry.status).toBe(201);
      expect(retry.text).toBe(first.text);
    }
    // A refusal is replayed as the same problem document too, even after the state changed.
    const stranger = await registered(t.http, event.slug, { attendanceMode: 'online' });
    const refused = { code: stranger.reference, nonce: 'desk-a-scan-2' };
    const no = await scan(event.slug, refused);
    expectNotAdmitted(no, 'registered_online');
    const again = await scan(event.slug, { ...refused, admitOnline: true });
    expect(again.status).toBe(409);
    expect(again.text).toBe(no.text);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const attempts = await attemptsOf(event.id);
    expect(attempts.map((a) => a.nonce)).toEqual(['desk-a-scan-1', 'desk-a-scan-2']);
    expect(await checkInsOf(stranger.id)).toEqual([]);
  });

  it('replays a nonce after an undo without checking the person in again', async () => {
    const event = await eventWithSessions(t.http);
    const person = await registered(t.http, event.slug);
    const body = { code: person.checkinCode, nonce: 'desk-b-scan-1' };
    const first = await scan(event.slug, body);
    expect(first.status).toBe(201);
    expect(
      (await t.http.delete(`/api/v1/events/${event.slug}/check-ins/${person.id}`)).status,
    ).toBe(204);
    // The desk's late retry of the scan that was undone: the same answer, no new check-in.
    const retry = await scan(event.slug, body);
    expect(retry.status).toBe(201);
    expect(retry.text).toBe(first.text);
    expect(await checkInsOf(person.id)).toEqual([]);
    expect(await attemptsOf(event.id)).toHaveLength(1);
  });

  it('makes one attempt of concurrent requests with one nonce', async () => {
    const event = await eventWithSessions(t.http);
    const person = await registered(t.http, event.slug);
    const body = { code: person.checkinCode, nonce: 'burst' };
    const answers = await Promise.all(Array.from({ length: 8 }, () => scan(event.slug, body)));
    expect(new Set(answers.map((a) => `${a.status} ${a.text}`)).size).toBe(1);
    expect(answers[0].status).toBe(201);
    expect(await attemptsOf(event.id)).toHaveLength(1);
  });

  it('undoes a check-in (204), then 404, and checks in again later', async () => {
    const event = await eventWithSessions(t.http, {}, [{}]);
    const person = await registered(t.http, event.slug);
    const first = await scan(event.slug, { code: person.checkinCode });
    const url = `/api/v1/events/${event.slug}/check-ins/${person.id}`;
    expect((await t.http.delete(`${url}?sessionId=${event.sessionIds[0]}`)).status).toBe(404);
    const undone = await t.http.delete(url);
    expect(undone.status).toBe(204);
    expect(await checkInsOf(person.id)).toEqual([]);
    const twice = await t.http.delete(url);
    expect(twice.status).toBe(404);
    expect(twice.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const again = await scan(event.slug, { code: person.checkinCode });
    expect(again.status).toBe(201);
    expect(new Date(again.body.at).getTime()).toBeGreaterThan(new Date(first.body.at).getTime());
  });

  it('refuses a checkin token limited to another event (403), and serves its own', async () => {
    const event = await eventWithSessions(t.http);
    const other = await eventWithSessions(t.http);
    const person = await registered(t.http, event.slug);
    const tokenFor = async (slug: string) =>
      (
        await t.http.post('/api/v1/tokens', {
          name: `desk ${slug}`,
          role: 'checkin',
          eventSlug: slug,
        })
      ).body.secret as string;
    const foreign = await tokenFor(other.slug);
    const base = `/api/v1/events/${event.slug}/check-ins`;
    const refused = await scan(event.slug, { code: person.checkinCode }, foreign);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('TOKEN_LIMITED_TO_EVENT');
    expect((await t.http.get(`${base}/search?q=nur`, { token: foreign })).status).toBe(403);
    expect((await t.http.delete(`${base}/${person.id}`, { token: foreign })).status).toBe(403);
    expect(await checkInsOf(person.id)).toEqual([]);
    expect(await attemptsOf(event.id)).toEqual([]);
    const own = await tokenFor(event.slug);
    expect((await scan(event.slug, { code: person.checkinCode }, own)).status).toBe(201);
  });

  it('refuses a bad body with 400 naming the field', async () => {
    const event = await eventWithSessions(t.http);
    for (const [body, field] of [
      [{}, 'code'],
      [{ code: 'x', colour: 'blue' }, 'colour'],
      [{ code: 'x', scannedAt: 'yesterday' }, 'scannedAt'],
      [{ code: 'x', sessionId: 'nope' }, 'sessionId'],
    ] as const) {
      const res = await scan(event.slug, body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await attemptsOf(event.id)).toEqual([]);
  });
});
