import { randomBytes, randomUUID } from 'node:crypto';
import { hybridEvent, sessionOf, uniqueSlug } from './helpers/factories';
import {
  emailsOf,
  publishedEvent,
  register,
  registrationBody,
  rowOf,
  seatsOf,
  secretsOf,
  storedFor,
  storedForAddress,
} from './helpers/registrations';
import { startTestApp, TestApp, TestResponse, withDatabase } from './helpers/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const REFERENCE = /^[2-9A-HJKMNP-Z]{8}$/;
const PUBLIC_URL = 'http://convene.test';
const HOUR = 3600 * 1000;

const uniqueEmail = (name = 'person') => `${name}.${randomBytes(4).toString('hex')}@example.kz`;

function expectProblem(res: TestResponse, status: number, code?: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
  expect(typeof res.body.detail).toBe('string');
  if (code) expect(res.body.code).toBe(code);
  expect(res.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
}

const fieldsOf = (res: TestResponse) =>
  (res.body.errors as { field: string }[]).map((error) => error.field);

describe('registrations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /** Registers and insists on 201: for the registrations a test builds on. */
  async function registered(slug: string, overrides: Record<string, unknown> = {}) {
    const body = registrationBody(overrides);
    const res = await register(t.http, slug, body);
    if (res.status !== 201) throw new Error(`registration refused: ${res.status} ${res.text}`);
    return res.body;
  }

  const manageUrl = (manageToken: string) => `/api/v1/public/registrations/${manageToken}`;
  const viewOwn = (manageToken: string) => t.http.get(manageUrl(manageToken), { token: null });
  const switchOwn = (manageToken: string, attendanceMode: string) =>
    t.http.patch(manageUrl(manageToken), { attendanceMode }, { token: null });
  const cancelOwn = (manageToken: string) =>
    t.http.post(`${manageUrl(manageToken)}/cancel`, undefined, { token: null });
  const staffUrl = (slug: string, rest = '') => `/api/v1/events/${slug}/registrations${rest}`;
  const statusOf = async (id: string) => (await rowOf(id))?.status as string;
  const kindsOf = async (id: string) => (await emailsOf(id)).map((email) => email.kind);

  describe('status by capacity', () => {
    it('confirms an in-person registration while seats last, with one confirmation email', async () => {
      const event = await publishedEvent(t.http);
      const body = registrationBody();
      const res = await register(t.http, event.slug, body);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        reference: expect.stringMatching(REFERENCE),
        status: 'confirmed',
        attendanceMode: 'in_person',
        participant: {
          email: body.email,
          givenName: 'Айгерім',
          familyName: 'Нұрланқызы',
          organisation: 'Ministry of Health',
          position: 'Chief expert',
          country: 'KZ',
          stakeholderType: 'government',
          language: 'kk',
        },
        consent: { dataProcessing: true, listOfParticipants: true, photography: false },
        event: { slug: event.slug, title: event.title },
        sessions: [],
        delegationId: null,
        createdAt: expect.stringMatching(ISO),
      });
      expect(res.text).not.toMatch(/manageToken|joinToken|checkinCode/);
      const secrets = await secretsOf(res.body.id);
      for (const secret of Object.values(secrets)) expect(res.text).not.toContain(secret);
      expect(await emailsOf(res.body.id)).toEqual([
        expect.objectContaining({
          kind: 'registration_confirmed',
          to_address: body.email,
          language: 'kk',
          status: 'queued',
        }),
      ]);
      const row = await rowOf(res.body.id);
      expect(row).toMatchObject({ status: 'confirmed', queued_at: null });
      expect(row?.confirmed_at).toBeInstanceOf(Date);
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 1, online: 0 });
      const pub = await t.http.get(`/api/v1/public/events/${event.slug}`, { token: null });
      expect(pub.body.availability.inPerson).toEqual({ capacity: 80, remaining: 79 });
    });

    it('waitlists once the mode is full, with queued_at set and no seat taken', async () => {
      const event = await publishedEvent(t.http, { capacity: { inPerson: 2, online: 5 } });
      const first = await registered(event.slug);
      const second = await registered(event.slug);
      const third = await registered(event.slug);
      expect([first.status, second.status, third.status]).toEqual([
        'confirmed',
        'confirmed',
        'waitlisted',
      ]);
      const row = await rowOf(third.id);
      expect(row?.queued_at).toBeInstanceOf(Date);
      expect(row?.confirmed_at).toBeNull();
      expect(await kindsOf(third.id)).toEqual(['registration_waitlisted']);
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 2, online: 0 });
      // The other mode still has room, and takes it.
      const online = await registered(event.slug, { attendanceMode: 'online' });
      expect(online.status).toBe('confirmed');
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 2, online: 1 });
      const pub = await t.http.get(`/api/v1/public/events/${event.slug}`, { token: null });
      expect(pub.body.availability).toEqual({
        inPerson: { capacity: 2, remaining: 0 },
        online: { capacity: 5, remaining: 4 },
      });
    });

    it('without a waitlist, answers 409 MODE_FULL naming the modes with room, storing nothing', async () => {
      const event = await publishedEvent(t.http, {
        capacity: { inPerson: 1, online: 1 },
        registration: { waitlist: false },
      });
      await registered(event.slug);
      const before = await storedFor(event.id);
      const body = registrationBody();
      const res = await register(t.http, event.slug, body);
      expectProblem(res, 409, 'MODE_FULL');
      expect(res.body.alternatives).toEqual(['online']);
      expect(await storedFor(event.id)).toEqual(before);
      expect(await storedForAddress(body.email)).toEqual({ registrations: 0, emails: 0 });

      await registered(event.slug, { attendanceMode: 'online' });
      const none = await register(t.http, event.slug, registrationBody());
      expectProblem(none, 409, 'MODE_FULL');
      expect(none.body.alternatives).toEqual([]);
      const online = await register(
        t.http,
        event.slug,
        registrationBody({ attendanceMode: 'online' }),
      );
      expectProblem(online, 409, 'MODE_FULL');
      expect(online.body.alternatives).toEqual([]);
    });

    it('keeps a registration pending, holding no seat, when the event requires approval', async () => {
      const event = await publishedEvent(t.http, {
        capacity: { inPerson: 1, online: 1 },
        registration: { requiresApproval: true },
      });
      const first = await registered(event.slug);
      const second = await registered(event.slug);
      expect([first.status, second.status]).toEqual(['pending', 'pending']);
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 0, online: 0 });
      expect(await rowOf(first.id)).toMatchObject({ queued_at: null, confirmed_at: null });
      expect(await kindsOf(first.id)).toEqual(['registration_pending']);
    });

    it('confirms an online registration in an online mode, of an online or a hybrid event', async () => {
      const online = await publishedEvent(t.http, {
        format: 'online',
        venue: null,
        capacity: { online: 10 },
      });
      const res = await registered(online.slug, { attendanceMode: 'online' });
      expect(res).toMatchObject({ status: 'confirmed', attendanceMode: 'online' });
      expect(await seatsOf(online.slug)).toEqual({ inPerson: 0, online: 1 });
      expect(await kindsOf(res.id)).toEqual(['registration_confirmed']);

      const hybrid = await publishedEvent(t.http);
      const other = await registered(hybrid.slug, { attendanceMode: 'online' });
      expect(other).toMatchObject({ status: 'confirmed', attendanceMode: 'online' });
      expect(await seatsOf(hybrid.slug)).toEqual({ inPerson: 0, online: 1 });
    });

    it.each([
      [
        'online in an in-person event',
        { format: 'in_person', onlineJoinUrl: null, capacity: { inPerson: 10 } },
        'online',
      ],
      [
        'in person at an online event',
        { format: 'online', venue: null, capacity: { online: 10 } },
        'in_person',
      ],
    ])('refuses %s: 400 naming attendanceMode, nothing stored', async (_, shape, mode) => {
      const event = await publishedEvent(t.http, shape);
      const body = registrationBody({ attendanceMode: mode });
      const res = await register(t.http, event.slug, body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual(['attendanceMode']);
      expect(await storedFor(event.id)).toMatchObject({ registrations: 0, emails: 0 });
      expect(await storedForAddress(body.email)).toEqual({ registrations: 0, emails: 0 });
    });

    it('refuses a language the event does not speak: 400 naming language', async () => {
      const event = await publishedEvent(t.http, { languages: ['en', 'ru'] });
      const body = registrationBody({ language: 'kk' });
      const res = await register(t.http, event.slug, body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual(['language']);
      expect(await storedFor(event.id)).toMatchObject({ registrations: 0, emails: 0 });
      expect((await registered(event.slug, { language: 'ru' })).participant.language).toBe('ru');
    });
  });

  describe('validation', () => {
    let event: { slug: string; id: string };
    beforeAll(async () => {
      event = await publishedEvent(t.http);
    });

    const consent = { dataProcessing: true, listOfParticipants: true, photography: false };
    it.each([
      ['a malformed email', { email: 'not-an-email' }, 'email'],
      ['an email with a line break', { email: 'a\n@example.kz' }, 'email'],
      ['no consent at all', { consent: undefined }, 'consent'],
      ['consent as null', { consent: null }, 'consent'],
      [
        'no consent.dataProcessing',
        { consent: { listOfParticipants: true } },
        'consent.dataProcessing',
      ],
      [
        'consent.dataProcessing false',
        { consent: { ...consent, dataProcessing: false } },
        'consent.dataProcessing',
      ],
      [
        'consent.dataProcessing "true" as a string',
        { consent: { ...consent, dataProcessing: 'true' } },
        'consent.dataProcessing',
      ],
      [
        'no consent.listOfParticipants',
        { consent: { dataProcessing: true } },
        'consent.listOfParticipants',
      ],
      ['an unknown stakeholderType', { stakeholderType: 'lobbyist' }, 'stakeholderType'],
      ['a country that does not exist (XX)', { country: 'XX' }, 'country'],
      ['a country name instead of a code', { country: 'Kazakhstan' }, 'country'],
      ['a three-letter country code', { country: 'KAZ' }, 'country'],
      ['an unknown attendanceMode', { attendanceMode: 'hologram' }, 'attendanceMode'],
      ['a language Convene does not speak', { language: 'de' }, 'language'],
      ['a givenName with a line break', { givenName: 'Айгерім\nBcc: x@evil.test' }, 'givenName'],
      ['a familyName with a carriage return', { familyName: 'Нұрлан\r\nқызы' }, 'familyName'],
      ['a givenName with a Unicode line separator', { givenName: 'Айгерім\u2028X' }, 'givenName'],
      ['a familyName with a paragraph separator', { familyName: 'Нұрлан\u2029X' }, 'familyName'],
      ['a givenName with a tab', { givenName: 'Ай\tгерім' }, 'givenName'],
      [
        'an organisation with a line break',
        { organisation: 'Ministry\nof Health' },
        'organisation',
      ],
      ['an empty givenName', { givenName: '' }, 'givenName'],
      ['no familyName', { familyName: undefined }, 'familyName'],
      ['a givenName of 201 characters', { givenName: 'ә'.repeat(201) }, 'givenName'],
      ['sessionIds that are not ids', { sessionIds: ['session-1'] }, 'sessionIds'],
      ['sessionIds as null', { sessionIds: null }, 'sessionIds'],
      ['an unknown field', { colour: 'blue' }, 'colour'],
      [
        'an unknown field inside consent',
        { consent: { ...consent, marketing: true } },
        'consent.marketing',
      ],
    ])('refuses %s: 400 naming the field, nothing stored', async (_, overrides, field) => {
      const body = registrationBody(overrides);
      const before = await storedFor(event.id);
      const res = await register(t.http, event.slug, body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toContain(field);
      expect(await storedFor(event.id)).toEqual(before);
      if (typeof body.email === 'string') {
        expect(await storedForAddress(body.email)).toEqual({ registrations: 0, emails: 0 });
      }
    });

    it('refuses a body that is not JSON, or no body, with 400', async () => {
      const before = await storedFor(event.id);
      const bad = await t.http.request(
        'POST',
        `/api/v1/public/events/${event.slug}/registrations`,
        {
          token: null,
          rawBody: '{"email": ',
          headers: { 'content-type': 'application/json' },
        },
      );
      expectProblem(bad, 400);
      const empty = await t.http.request(
        'POST',
        `/api/v1/public/events/${event.slug}/registrations`,
        { token: null, rawBody: '{}', headers: { 'content-type': 'application/json' } },
      );
      expectProblem(empty, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(empty)).toEqual(
        expect.arrayContaining(['email', 'givenName', 'familyName', 'country', 'consent']),
      );
      expect(await storedFor(event.id)).toEqual(before);
    });

    it('accepts a lower-case country code and stores it upper-cased', async () => {
      const res = await registered(event.slug, { country: 'kz' });
      expect(res.participant.country).toBe('KZ');
      expect((await rowOf(res.id))?.country).toBe('KZ');
    });

    it('keeps the optional consents as given, photography defaulting to false', async () => {
      const res = await registered(event.slug, {
        consent: { dataProcessing: true, listOfParticipants: false },
        position: undefined,
      });
      expect(res.consent).toEqual({
        dataProcessing: true,
        listOfParticipants: false,
        photography: false,
      });
      expect(res.participant.position).toBeNull();
      expect(await rowOf(res.id)).toMatchObject({
        consent_data_processing: true,
        consent_list_of_participants: false,
        consent_photography: false,
        position: null,
      });
    });
  });

  describe('names in any script', () => {
    it.each([
      ['Kazakh letters', 'Әсел Ғалымқызы', 'Қуаныш-Ңөұүһі'],
      ['Kazakh capitals', 'ӘҒҚҢӨҰҮҺІ', 'Өмірзақ'],
      ['Cyrillic', 'Юлия', 'Щербакова-Эйхенбаум'],
      ['Latin with accents', 'Zoë-Françoise', 'Ó Dálaigh-Müller Łukasiewicz'],
      ['decomposed accents (NFD), kept as sent', 'Zoe\u0308', 'Mu\u0308ller'],
      ['Greek, Georgian and Arabic', 'Ἀλέξανδρος', 'ნინო محمد'],
      ['an apostrophe and spaces', "D'Artagnan  de", "O'Neil van der Berg"],
    ])('keeps %s exactly as typed', async (_, givenName, familyName) => {
      const event = await publishedEvent(t.http);
      const organisation = `${familyName} ұйымы`;
      const res = await registered(event.slug, { givenName, familyName, organisation });
      expect(res.participant).toMatchObject({ givenName, familyName, organisation });
      const row = await rowOf(res.id);
      expect(row).toMatchObject({
        given_name: givenName,
        family_name: familyName,
        organisation,
      });
      const staff = await t.http.get(staffUrl(event.slug, `/${res.id}`));
      expect(staff.body.participant).toMatchObject({ givenName, familyName, organisation });
      const { manageToken } = await secretsOf(res.id);
      const own = await viewOwn(manageToken);
      expect(own.body.participant).toMatchObject({ givenName, familyName, organisation });
    });
  });

  describe('the registration window', () => {
    async function expectClosed(slug: string, eventId: string, status: number, code: string) {
      const body = registrationBody();
      const before = await storedFor(eventId);
      const res = await register(t.http, slug, body);
      expectProblem(res, status, code);
      expect(await storedFor(eventId)).toEqual(before);
      expect(await storedForAddress(body.email)).toEqual({ registrations: 0, emails: 0 });
      return res;
    }

    it('refuses before registration opens: 409 REGISTRATION_CLOSED', async () => {
      const opensAt = new Date(Date.now() + 2 * HOUR).toISOString();
      const event = await publishedEvent(t.http, { registration: { opensAt } });
      const res = await expectClosed(event.slug, event.id, 409, 'REGISTRATION_CLOSED');
      expect(res.body.opensAt).toBe(opensAt);
    });

    it('refuses after registration closed: 409 REGISTRATION_CLOSED', async () => {
      const event = await publishedEvent(t.http, {
        registration: {
          opensAt: new Date(Date.now() - 2 * HOUR).toISOString(),
          closesAt: new Date(Date.now() - HOUR).toISOString(),
        },
      });
      await expectClosed(event.slug, event.id, 409, 'REGISTRATION_CLOSED');
    });

    it('takes registrations inside the window', async () => {
      const event = await publishedEvent(t.http, {
        registration: {
          opensAt: new Date(Date.now() - HOUR).toISOString(),
          closesAt: new Date(Date.now() + HOUR).toISOString(),
        },
      });
      expect((await registered(event.slug)).status).toBe('confirmed');
    });

    it('does not know a draft event: 404', async () => {
      const draft = await t.http.post('/api/v1/events', hybridEvent());
      expect(draft.status).toBe(201);
      await expectClosed(draft.body.slug, draft.body.id, 404, 'EVENT_NOT_FOUND');
    });

    it('answers 404 for an unknown event', async () => {
      const res = await register(t.http, uniqueSlug('nowhere'), registrationBody());
      expectProblem(res, 404, 'EVENT_NOT_FOUND');
    });

    it('refuses a cancelled event: 409 REGISTRATION_CLOSED', async () => {
      const event = await publishedEvent(t.http);
      expect((await t.http.post(`/api/v1/events/${event.slug}/cancel`)).status).toBe(200);
      await expectClosed(event.slug, event.id, 409, 'REGISTRATION_CLOSED');
    });
  });

  describe('sessions', () => {
    async function eventWithSessions(capacity: Record<string, unknown> = {}) {
      const shape = hybridEvent({ capacity: { inPerson: 10, online: 10 }, ...capacity });
      const created = await t.http.post('/api/v1/events', shape);
      expect(created.status).toBe(201);
      const small = await t.http.post(
        `/api/v1/events/${shape.slug}/sessions`,
        sessionOf(shape, 10, 11, { title: 'Small room', capacity: { inPerson: 1 } }),
      );
      expect(small.status).toBe(201);
      const open = await t.http.post(
        `/api/v1/events/${shape.slug}/sessions`,
        sessionOf(shape, 12, 13, { title: 'Plenary' }),
      );
      expect(open.status).toBe(201);
      expect((await t.http.post(`/api/v1/events/${shape.slug}/publish`)).status).toBe(200);
      return {
        slug: shape.slug,
        id: created.body.id as string,
        small: small.body,
        open: open.body,
      };
    }

    const sessionSeats = (id: string) =>
      withDatabase(
        async (db) =>
          (await db.query('SELECT seats_taken FROM event_sessions WHERE id = $1', [id])).rows[0]
            .seats_taken as number,
      );

    it('refuses sessions of another event, or unknown ones: 400 naming sessionIds', async () => {
      const event = await eventWithSessions();
      const other = await eventWithSessions();
      for (const sessionIds of [[other.open.id], [event.open.id, randomUUID()]]) {
        const before = await storedFor(event.id);
        const body = registrationBody({ sessionIds });
        const res = await register(t.http, event.slug, body);
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(fieldsOf(res)).toEqual(['sessionIds']);
        expect(await storedFor(event.id)).toEqual(before);
        expect(await storedForAddress(body.email)).toEqual({ registrations: 0, emails: 0 });
      }
      expect(await sessionSeats(other.open.id)).toBe(0);
    });

    it('seats the first in-person registrant in a one-seat session and refuses the second with 409 SESSION_FULL, taking no event seat', async () => {
      const event = await eventWithSessions();
      const first = await registered(event.slug, { sessionIds: [event.small.id, event.open.id] });
      expect(first.status).toBe('confirmed');
      expect(first.sessions.map((s: { id: string }) => s.id)).toEqual([
        event.small.id,
        event.open.id,
      ]);
      expect(first.sessions[0]).toEqual({
        id: event.small.id,
        title: 'Small room',
        startsAt: event.small.startsAt,
        endsAt: event.small.endsAt,
        room: 'Hall B',
      });
      expect(await sessionSeats(event.small.id)).toBe(1);
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 1, online: 0 });

      const before = await storedFor(event.id);
      const body = registrationBody({ sessionIds: [event.open.id, event.small.id] });
      const res = await register(t.http, event.slug, body);
      expectProblem(res, 409, 'SESSION_FULL');
      expect(res.body.sessions).toEqual([{ id: event.small.id, title: 'Small room' }]);
      expect(await storedFor(event.id)).toEqual(before);
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 1, online: 0 });
      expect(await sessionSeats(event.open.id)).toBe(1);
      expect(await storedForAddress(body.email)).toEqual({ registrations: 0, emails: 0 });

      // Without the full session, the same person gets in.
      const again = await register(t.http, event.slug, { ...body, sessionIds: [event.open.id] });
      expect(again.status).toBe(201);
      expect(await sessionSeats(event.open.id)).toBe(2);
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 2, online: 0 });
    });

    it('answers the chosen sessions in agenda order, however they were sent', async () => {
      const event = await eventWithSessions();
      // Added last, but first in the day.
      const early = await t.http.post(`/api/v1/events/${event.slug}/sessions`, {
        ...sessionOf({ startsAt: event.small.startsAt }, 9, 10),
        startsAt: new Date(Date.parse(event.small.startsAt) - HOUR).toISOString(),
        endsAt: event.small.startsAt,
      });
      expect(early.status).toBe(201);
      const res = await registered(event.slug, {
        sessionIds: [event.open.id, early.body.id, event.small.id],
      });
      const agenda = [early.body.id, event.small.id, event.open.id];
      expect(res.sessions.map((s: { id: string }) => s.id)).toEqual(agenda);
      const { manageToken } = await secretsOf(res.id);
      const own = await viewOwn(manageToken);
      expect(own.body.sessions.map((s: { id: string }) => s.id)).toEqual(agenda);
    });

    it('lets online registrants choose a full session without taking its seat', async () => {
      const event = await eventWithSessions();
      await registered(event.slug, { sessionIds: [event.small.id] });
      const online = await registered(event.slug, {
        attendanceMode: 'online',
        sessionIds: [event.small.id],
      });
      expect(online.status).toBe('confirmed');
      expect(online.sessions.map((s: { id: string }) => s.id)).toEqual([event.small.id]);
      expect(await sessionSeats(event.small.id)).toBe(1);
      const staff = await t.http.get(`/api/v1/events/${event.slug}/sessions/${event.small.id}`);
      expect(staff.body.seatsTaken).toBe(1);
      const pub = await t.http.get(`/api/v1/public/events/${event.slug}`, { token: null });
      const small = pub.body.agenda.find((s: { id: string }) => s.id === event.small.id);
      expect(small.availability).toEqual({ inPerson: { capacity: 1, remaining: 0 } });
    });

    it('keeps session seats in step with cancellations and promotions', async () => {
      const event = await eventWithSessions({ capacity: { inPerson: 1, online: 10 } });
      const first = await registered(event.slug, { sessionIds: [event.small.id] });
      // The mode is full, so the second waits (its session choice kept, holding no seat).
      const second = await registered(event.slug, { sessionIds: [event.small.id] });
      expect(second.status).toBe('waitlisted');
      expect(await sessionSeats(event.small.id)).toBe(1);

      const { manageToken } = await secretsOf(first.id);
      expect((await cancelOwn(manageToken)).status).toBe(200);
      expect(await statusOf(second.id)).toBe('confirmed');
      expect(await sessionSeats(event.small.id)).toBe(1);
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 1, online: 0 });
      const promoted = await t.http.get(staffUrl(event.slug, `/${second.id}`));
      expect(promoted.body.sessions.map((s: { id: string }) => s.id)).toEqual([event.small.id]);

      // Switching online gives the session seat back.
      const own = await secretsOf(second.id);
      expect((await switchOwn(own.manageToken, 'online')).status).toBe(200);
      expect(await sessionSeats(event.small.id)).toBe(0);
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 0, online: 1 });
    });

    it('takes the seats of chosen sessions when an online registrant switches into the room', async () => {
      const event = await eventWithSessions();
      const online = await registered(event.slug, {
        attendanceMode: 'online',
        sessionIds: [event.small.id, event.open.id],
      });
      expect(await sessionSeats(event.small.id)).toBe(0);
      const { manageToken } = await secretsOf(online.id);
      const res = await switchOwn(manageToken, 'in_person');
      expect(res.status).toBe(200);
      expect(res.body.sessions.map((s: { id: string }) => s.id)).toEqual([
        event.small.id,
        event.open.id,
      ]);
      expect(await sessionSeats(event.small.id)).toBe(1);
      expect(await sessionSeats(event.open.id)).toBe(1);
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 1, online: 0 });
    });

    it('drops a session that filled up meanwhile when a waiting registrant is promoted, and says so', async () => {
      const event = await eventWithSessions({ capacity: { inPerson: 2, online: 10 } });
      await registered(event.slug, { sessionIds: [event.small.id] });
      const other = await registered(event.slug, { sessionIds: [event.open.id] });
      const waiting = await registered(event.slug, {
        sessionIds: [event.small.id, event.open.id],
      });
      expect(waiting.status).toBe('waitlisted');
      expect((await cancelOwn((await secretsOf(other.id)).manageToken)).status).toBe(200);
      expect(await statusOf(waiting.id)).toBe('confirmed');
      const staff = await t.http.get(staffUrl(event.slug, `/${waiting.id}`));
      expect(staff.body.sessions.map((s: { id: string }) => s.id)).toEqual([event.open.id]);
      expect(await sessionSeats(event.small.id)).toBe(1);
      expect(await sessionSeats(event.open.id)).toBe(1);
      expect((await emailsOf(waiting.id)).at(-1)).toMatchObject({
        kind: 'waitlist_promoted',
        facts: { droppedSessionIds: [event.small.id] },
      });
    });

    it('drops a full session on approval, and holds no session seat while pending', async () => {
      const event = await eventWithSessions();
      const patched = await t.http.patch(`/api/v1/events/${event.slug}`, {
        registration: { requiresApproval: true },
      });
      expect(patched.status).toBe(200);
      const first = await registered(event.slug, { sessionIds: [event.small.id] });
      const second = await registered(event.slug, { sessionIds: [event.small.id] });
      expect([first.status, second.status]).toEqual(['pending', 'pending']);
      expect(await sessionSeats(event.small.id)).toBe(0);
      expect((await t.http.post(staffUrl(event.slug, `/${first.id}/approve`))).status).toBe(200);
      const approved = await t.http.post(staffUrl(event.slug, `/${second.id}/approve`));
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'confirmed', sessions: [] });
      expect(await sessionSeats(event.small.id)).toBe(1);
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 2, online: 0 });
      expect((await emailsOf(second.id)).at(-1)).toMatchObject({
        kind: 'registration_confirmed',
        facts: { droppedSessionIds: [event.small.id] },
      });
    });

    it('refuses to switch into the room when a chosen session is full, changing nothing', async () => {
      const event = await eventWithSessions();
      await registered(event.slug, { sessionIds: [event.small.id] });
      const online = await registered(event.slug, {
        attendanceMode: 'online',
        sessionIds: [event.small.id],
      });
      const { manageToken } = await secretsOf(online.id);
      const before = await storedFor(event.id);
      const res = await switchOwn(manageToken, 'in_person');
      expectProblem(res, 409, 'SESSION_FULL');
      expect(await storedFor(event.id)).toEqual(before);
      expect(await rowOf(online.id)).toMatchObject({
        status: 'confirmed',
        attendance_mode: 'online',
      });
    });
  });

  describe('one active registration per email per event', () => {
    it('answers a second try 409 ALREADY_REGISTERED, revealing nothing, and re-sends the first confirmation', async () => {
      const event = await publishedEvent(t.http);
      const local = `Dup.${randomBytes(4).toString('hex')}`;
      const first = await registered(event.slug, { email: `${local}@Example.KZ` });
      const before = await storedFor(event.id);

      const res = await register(
        t.http,
        event.slug,
        registrationBody({
          email: `${local.toLowerCase()}@example.kz`,
          givenName: 'Someone',
          familyName: 'Else',
          attendanceMode: 'online',
        }),
      );
      expectProblem(res, 409, 'ALREADY_REGISTERED');
      expect(Object.keys(res.body).sort()).toEqual(
        ['code', 'detail', 'requestId', 'status', 'title', 'type'].sort(),
      );
      for (const secret of [
        first.id,
        first.reference,
        first.status,
        'Айгерім',
        'Нұрланқызы',
        ...Object.values(await secretsOf(first.id)),
      ]) {
        expect(res.text).not.toContain(secret);
      }
      const after = await storedFor(event.id);
      expect(after).toEqual({ ...before, emails: before.emails + 1 });
      const emails = await emailsOf(first.id);
      expect(emails).toEqual([
        expect.objectContaining({ kind: 'registration_confirmed', facts: {} }),
        expect.objectContaining({
          kind: 'registration_confirmed',
          to_address: `${local}@Example.KZ`,
          facts: { resent: true },
        }),
      ]);

      // A third try soon after answers the same, but does not flood the mailbox.
      const third = await register(
        t.http,
        event.slug,
        registrationBody({ email: `${local.toUpperCase()}@EXAMPLE.kz` }),
      );
      expectProblem(third, 409, 'ALREADY_REGISTERED');
      expect(await emailsOf(first.id)).toHaveLength(2);
      expect(await storedFor(event.id)).toEqual(after);
    });

    it('re-sends to a duplicate at most once in any 10 minutes (a sliding window)', async () => {
      const event = await publishedEvent(t.http);
      const first = await registered(event.slug);
      const retry = () =>
        register(t.http, event.slug, registrationBody({ email: first.participant.email }));
      /** Moves the re-sent emails back in time, as if the duplicates had come earlier. */
      const resentAgo = (minutes: number) =>
        withDatabase((db) =>
          db.query(
            `UPDATE emails SET created_at = now() - make_interval(mins => $2)
             WHERE registration_id = $1 AND facts->>'resent' = 'true'`,
            [first.id, minutes],
          ),
        );
      const resent = async () =>
        (await emailsOf(first.id)).filter((email) => email.facts.resent === true).length;

      expectProblem(await retry(), 409, 'ALREADY_REGISTERED');
      expect(await resent()).toBe(1);
      await resentAgo(9);
      expectProblem(await retry(), 409, 'ALREADY_REGISTERED');
      expect(await resent()).toBe(1);
      await resentAgo(11);
      expectProblem(await retry(), 409, 'ALREADY_REGISTERED');
      expect(await resent()).toBe(2);
      expectProblem(await retry(), 409, 'ALREADY_REGISTERED');
      expect(await resent()).toBe(2);
    });

    it('does not let a re-sent confirmation of staff hold back the one for a duplicate', async () => {
      const event = await publishedEvent(t.http);
      const first = await registered(event.slug);
      expect(
        (await t.http.post(staffUrl(event.slug, `/${first.id}/resend-confirmation`))).status,
      ).toBe(202);
      expectProblem(
        await register(t.http, event.slug, registrationBody({ email: first.participant.email })),
        409,
        'ALREADY_REGISTERED',
      );
      expect(await kindsOf(first.id)).toEqual([
        'registration_confirmed',
        'registration_confirmed',
        'registration_confirmed',
      ]);
    });

    it('compares addresses case-insensitively in any script', async () => {
      const event = await publishedEvent(t.http);
      const local = `Дубль.${randomBytes(3).toString('hex')}`;
      const first = await registered(event.slug, { email: `${local}@Example.kz` });
      const res = await register(
        t.http,
        event.slug,
        registrationBody({ email: `${local.toLowerCase()}@example.KZ` }),
      );
      expectProblem(res, 409, 'ALREADY_REGISTERED');
      expect(await storedFor(event.id)).toMatchObject({ registrations: 1 });
      expect(await kindsOf(first.id)).toHaveLength(2);
    });

    it('is backed by a partial unique index: a second active row is refused, an inactive one not', async () => {
      const event = await publishedEvent(t.http);
      const first = await registered(event.slug);
      const copy = (status: string) =>
        withDatabase((db) =>
          db.query(
            `INSERT INTO registrations (event_id, reference, status, attendance_mode, email,
               given_name, family_name, organisation, country, stakeholder_type, language,
               consent_data_processing, consent_list_of_participants, manage_token, join_token,
               checkin_code, queued_at)
             SELECT event_id, 'ZZZZZZZZ', $2::varchar, attendance_mode, upper(email), given_name,
               family_name, organisation, country, stakeholder_type, language, true, true,
               md5(random()::text), md5(random()::text), md5(random()::text),
               CASE WHEN $2::varchar = 'waitlisted' THEN now() END
             FROM registrations WHERE id = $1 RETURNING id`,
            [first.id, status],
          ),
        );
      for (const status of ['pending', 'confirmed', 'waitlisted']) {
        await expect(copy(status)).rejects.toMatchObject({
          code: '23505',
          constraint: 'uq_registrations_active_email',
        });
      }
      const cancelled = await copy('cancelled');
      expect(cancelled.rows).toHaveLength(1);
    });

    it('re-sends the email of the current status: pending for a pending registration', async () => {
      const event = await publishedEvent(t.http, { registration: { requiresApproval: true } });
      const first = await registered(event.slug);
      const res = await register(
        t.http,
        event.slug,
        registrationBody({ email: first.participant.email.toUpperCase() }),
      );
      expectProblem(res, 409, 'ALREADY_REGISTERED');
      expect(await emailsOf(first.id)).toEqual([
        expect.objectContaining({ kind: 'registration_pending', facts: {} }),
        expect.objectContaining({ kind: 'registration_pending', facts: { resent: true } }),
      ]);
    });

    it('lets the same address register for another event', async () => {
      const email = uniqueEmail();
      const one = await publishedEvent(t.http);
      const two = await publishedEvent(t.http);
      await registered(one.slug, { email });
      expect((await registered(two.slug, { email })).status).toBe('confirmed');
    });

    it('takes the address again once the first registration is cancelled or declined', async () => {
      const event = await publishedEvent(t.http, { capacity: { inPerson: 1, online: 5 } });
      const email = uniqueEmail();
      const first = await registered(event.slug, { email });
      const { manageToken } = await secretsOf(first.id);
      expect((await cancelOwn(manageToken)).status).toBe(200);
      const again = await registered(event.slug, { email: email.toUpperCase() });
      expect(again.id).not.toBe(first.id);
      expect(again.status).toBe('confirmed');

      const approval = await publishedEvent(t.http, { registration: { requiresApproval: true } });
      const pending = await registered(approval.slug, { email });
      expect((await t.http.post(staffUrl(approval.slug, `/${pending.id}/decline`))).status).toBe(
        200,
      );
      expect((await registered(approval.slug, { email })).status).toBe('pending');
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a retry with the first answer: one registration, one email', async () => {
      const event = await publishedEvent(t.http);
      const body = registrationBody();
      const key = randomUUID();
      const first = await register(t.http, event.slug, body, { 'Idempotency-Key': key });
      expect(first.status).toBe(201);
      const retry = await register(t.http, event.slug, body, { 'Idempotency-Key': key });
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(await storedForAddress(body.email)).toEqual({ registrations: 1, emails: 1 });
      expect(await storedFor(event.id)).toMatchObject({ registrations: 1, emails: 1 });
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 1, online: 0 });
    });

    it('refuses the same key with another body: 422 IDEMPOTENCY_KEY_REUSED, nothing stored', async () => {
      const event = await publishedEvent(t.http);
      const key = randomUUID();
      const first = await register(t.http, event.slug, registrationBody(), {
        'Idempotency-Key': key,
      });
      expect(first.status).toBe(201);
      const before = await storedFor(event.id);
      const other = registrationBody();
      const res = await register(t.http, event.slug, other, { 'Idempotency-Key': key });
      expectProblem(res, 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await storedFor(event.id)).toEqual(before);
      expect(await storedForAddress(other.email)).toEqual({ registrations: 0, emails: 0 });
      // The same key at another event is another request.
      const elsewhere = await publishedEvent(t.http);
      const there = await register(t.http, elsewhere.slug, other, { 'Idempotency-Key': key });
      expect(there.status).toBe(201);
    });

    it('answers a retry sent while the first try is still running with the first answer', async () => {
      const event = await publishedEvent(t.http);
      const body = registrationBody();
      const headers = { 'Idempotency-Key': randomUUID() };
      // Hold the event's row, so both tries get past the first checks and wait for its seats.
      const answers = await withDatabase(async (db) => {
        await db.query('BEGIN');
        await db.query('SELECT 1 FROM events WHERE id = $1 FOR UPDATE', [event.id]);
        const { pid } = (await db.query('SELECT pg_backend_pid() AS pid')).rows[0];
        const tries = [
          register(t.http, event.slug, body, headers),
          register(t.http, event.slug, body, headers),
        ];
        for (let waiting = 0, i = 0; waiting < 2 && i < 200; i++) {
          await new Promise((resolve) => setTimeout(resolve, 25));
          waiting =
            // Waiting for this connection, or for the one that waits for it (the row's queue).
            (
              await db.query(
                `WITH first AS (SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid)))
               SELECT count(*)::int AS n FROM pg_stat_activity
               WHERE pid IN (SELECT pid FROM first)
                  OR pg_blocking_pids(pid) && ARRAY(SELECT pid FROM first)`,
                [pid],
              )
            ).rows[0].n;
        }
        await db.query('COMMIT');
        return Promise.all(tries);
      });
      expect(answers.map((res) => res.status)).toEqual([201, 201]);
      expect(answers[1].body).toEqual(answers[0].body);
      expect(await storedForAddress(body.email)).toEqual({ registrations: 1, emails: 1 });
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 1, online: 0 });
    });

    it.each([
      ['300 characters', 'k'.repeat(300)],
      ['a space inside', 'retry 1'],
      ['an empty value', ''],
    ])('refuses a key of %s: 400 naming Idempotency-Key, nothing stored', async (_, key) => {
      const event = await publishedEvent(t.http);
      const body = registrationBody();
      const res = await register(t.http, event.slug, body, { 'Idempotency-Key': key });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual(['Idempotency-Key']);
      expect(await storedFor(event.id)).toMatchObject({ registrations: 0, emails: 0 });
    });

    it('keeps the answer for at least 24 hours', async () => {
      const event = await publishedEvent(t.http);
      const body = registrationBody();
      const key = randomUUID();
      const first = await register(t.http, event.slug, body, { 'Idempotency-Key': key });
      expect(first.status).toBe(201);
      await withDatabase((db) =>
        db.query(
          `UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`,
          [key],
        ),
      );
      const retry = await register(t.http, event.slug, body, { 'Idempotency-Key': key });
      expect(retry.status).toBe(201);
      expect(retry.body.id).toBe(first.body.id);
      expect(await storedForAddress(body.email)).toEqual({ registrations: 1, emails: 1 });
    });
  });

  describe('the manage link', () => {
    it('shows a confirmed in-person registrant their status, event and check-in code, never the meeting URL', async () => {
      const event = await publishedEvent(t.http);
      const reg = await registered(event.slug);
      const secrets = await secretsOf(reg.id);
      const res = await viewOwn(secrets.manageToken);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: reg.id,
        reference: reg.reference,
        status: 'confirmed',
        attendanceMode: 'in_person',
        participant: reg.participant,
        event: {
          slug: event.slug,
          title: event.title,
          status: 'published',
          timezone: 'Asia/Almaty',
          startsAt: event.startsAt,
          endsAt: event.endsAt,
          format: 'hybrid',
          venue: event.venue,
        },
        joinUrl: null,
        checkinCode: secrets.checkinCode,
      });
      expect(res.text).not.toContain('meet.example.org');
      expect(res.text).not.toContain(secrets.joinToken);
      expect(res.text).not.toContain(secrets.manageToken);
    });

    it('shows a confirmed online registrant their personal join link, no check-in code', async () => {
      const event = await publishedEvent(t.http);
      const reg = await registered(event.slug, { attendanceMode: 'online' });
      const secrets = await secretsOf(reg.id);
      const res = await viewOwn(secrets.manageToken);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'confirmed',
        attendanceMode: 'online',
        joinUrl: `${PUBLIC_URL}/j/${secrets.joinToken}`,
        checkinCode: null,
      });
      expect(res.text).not.toContain('meet.example.org');
      expect(res.text).not.toContain(secrets.checkinCode);
    });

    it('shows neither a join link nor a check-in code to those not confirmed', async () => {
      const event = await publishedEvent(t.http, { capacity: { inPerson: 1, online: 1 } });
      await registered(event.slug);
      await registered(event.slug, { attendanceMode: 'online' });
      const waiting = [
        await registered(event.slug),
        await registered(event.slug, { attendanceMode: 'online' }),
      ];
      const approval = await publishedEvent(t.http, { registration: { requiresApproval: true } });
      const pending = await registered(approval.slug, { attendanceMode: 'online' });
      for (const reg of [...waiting, pending]) {
        const secrets = await secretsOf(reg.id);
        const res = await viewOwn(secrets.manageToken);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ status: reg.status, joinUrl: null, checkinCode: null });
        expect(res.text).not.toContain(secrets.joinToken);
        expect(res.text).not.toContain(secrets.checkinCode);
      }
    });

    it('answers 404 for an unknown token, and for the other tokens of a registration', async () => {
      const event = await publishedEvent(t.http);
      const reg = await registered(event.slug, { attendanceMode: 'online' });
      const { joinToken, checkinCode } = await secretsOf(reg.id);
      for (const token of [
        randomBytes(24).toString('base64url'),
        joinToken,
        checkinCode,
        reg.id,
        reg.reference,
        'x'.repeat(90),
      ]) {
        expectProblem(await viewOwn(token), 404, 'REGISTRATION_NOT_FOUND');
        expectProblem(await switchOwn(token, 'in_person'), 404, 'REGISTRATION_NOT_FOUND');
        expectProblem(await cancelOwn(token), 404, 'REGISTRATION_NOT_FOUND');
      }
      expect(await rowOf(reg.id)).toMatchObject({ status: 'confirmed', attendance_mode: 'online' });
    });

    it('switches a confirmed in-person registrant online: seats move, an email, the freed seat promotes the oldest waiting', async () => {
      const event = await publishedEvent(t.http, { capacity: { inPerson: 1, online: 5 } });
      const mover = await registered(event.slug);
      const oldest = await registered(event.slug);
      const younger = await registered(event.slug);
      expect([oldest.status, younger.status]).toEqual(['waitlisted', 'waitlisted']);
      const secrets = await secretsOf(mover.id);

      const res = await switchOwn(secrets.manageToken, 'online');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: mover.id,
        status: 'confirmed',
        attendanceMode: 'online',
        joinUrl: `${PUBLIC_URL}/j/${secrets.joinToken}`,
        checkinCode: null,
      });
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 1, online: 1 });
      expect(await emailsOf(mover.id)).toEqual([
        expect.objectContaining({ kind: 'registration_confirmed' }),
        expect.objectContaining({
          kind: 'attendance_mode_changed',
          to_address: mover.participant.email,
          facts: { from: 'in_person', to: 'online', status: 'confirmed' },
        }),
      ]);
      expect(await rowOf(oldest.id)).toMatchObject({ status: 'confirmed', queued_at: null });
      expect(await kindsOf(oldest.id)).toEqual(['registration_waitlisted', 'waitlist_promoted']);
      expect(await statusOf(younger.id)).toBe('waitlisted');
      expect(await kindsOf(younger.id)).toEqual(['registration_waitlisted']);

      // And back again, to a room that is now full: refused, nothing changes.
      const before = await storedFor(event.id);
      const back = await switchOwn(secrets.manageToken, 'in_person');
      expectProblem(back, 409, 'MODE_FULL');
      expect(back.body.alternatives).toEqual(['online']);
      expect(await storedFor(event.id)).toEqual(before);
      expect(await rowOf(mover.id)).toMatchObject({
        status: 'confirmed',
        attendance_mode: 'online',
      });
    });

    it('refuses a switch into a full mode without a waitlist, changing nothing', async () => {
      const event = await publishedEvent(t.http, {
        capacity: { inPerson: 2, online: 1 },
        registration: { waitlist: false },
      });
      await registered(event.slug, { attendanceMode: 'online' });
      const reg = await registered(event.slug);
      const { manageToken } = await secretsOf(reg.id);
      const before = await storedFor(event.id);
      const res = await switchOwn(manageToken, 'online');
      expectProblem(res, 409, 'MODE_FULL');
      expect(res.body.alternatives).toEqual(['in_person']);
      expect(await storedFor(event.id)).toEqual(before);
      expect((await viewOwn(manageToken)).body).toMatchObject({
        status: 'confirmed',
        attendanceMode: 'in_person',
      });
    });

    it('refuses a switch to the same mode, to a mode the format lacks, or to no mode', async () => {
      const event = await publishedEvent(t.http);
      const reg = await registered(event.slug);
      const { manageToken } = await secretsOf(reg.id);
      const before = await storedFor(event.id);
      expectProblem(await switchOwn(manageToken, 'in_person'), 409, 'SAME_MODE');
      const invalid = await switchOwn(manageToken, 'hologram');
      expectProblem(invalid, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(invalid)).toEqual(['attendanceMode']);
      const none = await t.http.patch(manageUrl(manageToken), undefined, { token: null });
      expectProblem(none, 400);
      const extra = await t.http.patch(
        manageUrl(manageToken),
        { attendanceMode: 'online', status: 'confirmed' },
        { token: null },
      );
      expectProblem(extra, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(extra)).toEqual(['status']);
      expect(await storedFor(event.id)).toEqual(before);

      const inPerson = await publishedEvent(t.http, {
        format: 'in_person',
        onlineJoinUrl: null,
        capacity: { inPerson: 10 },
      });
      const local = await registered(inPerson.slug);
      const secrets = await secretsOf(local.id);
      const lacking = await switchOwn(secrets.manageToken, 'online');
      expectProblem(lacking, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(lacking)).toEqual(['attendanceMode']);
      expect(await rowOf(local.id)).toMatchObject({ attendance_mode: 'in_person' });
    });

    it('moves a waitlisted registrant into a mode with room, confirmed at once', async () => {
      const event = await publishedEvent(t.http, { capacity: { inPerson: 1, online: 5 } });
      await registered(event.slug);
      const waiting = await registered(event.slug);
      const { manageToken, joinToken } = await secretsOf(waiting.id);
      const res = await switchOwn(manageToken, 'online');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'confirmed',
        attendanceMode: 'online',
        joinUrl: `${PUBLIC_URL}/j/${joinToken}`,
      });
      expect(await rowOf(waiting.id)).toMatchObject({ queued_at: null });
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 1, online: 1 });
      expect(await kindsOf(waiting.id)).toEqual([
        'registration_waitlisted',
        'attendance_mode_changed',
      ]);
    });

    it('cancels: seat freed, the oldest waiting promoted (not a younger one), one email each', async () => {
      const event = await publishedEvent(t.http, { capacity: { inPerson: 1, online: 1 } });
      const holder = await registered(event.slug);
      await registered(event.slug, { attendanceMode: 'online' });
      // Waiting longer than anyone, but online: a seat in the room is not theirs.
      const online = await registered(event.slug, { attendanceMode: 'online' });
      const oldest = await registered(event.slug);
      const younger = await registered(event.slug);
      expect([online.status, oldest.status, younger.status]).toEqual([
        'waitlisted',
        'waitlisted',
        'waitlisted',
      ]);
      const { manageToken } = await secretsOf(holder.id);

      const res = await cancelOwn(manageToken);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: holder.id,
        status: 'cancelled',
        joinUrl: null,
        checkinCode: null,
      });
      expect((await rowOf(holder.id))?.cancelled_at).toBeInstanceOf(Date);
      expect(await kindsOf(holder.id)).toEqual([
        'registration_confirmed',
        'registration_cancelled',
      ]);
      expect(await rowOf(oldest.id)).toMatchObject({ status: 'confirmed', queued_at: null });
      expect(await kindsOf(oldest.id)).toEqual(['registration_waitlisted', 'waitlist_promoted']);
      expect(await rowOf(younger.id)).toMatchObject({ status: 'waitlisted' });
      expect(await kindsOf(younger.id)).toEqual(['registration_waitlisted']);
      expect(await rowOf(online.id)).toMatchObject({
        status: 'waitlisted',
        attendance_mode: 'online',
      });
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 1, online: 1 });
      const promoted = await secretsOf(oldest.id);
      expect((await viewOwn(promoted.manageToken)).body).toMatchObject({
        status: 'confirmed',
        checkinCode: promoted.checkinCode,
      });

      // Cancelling twice is a conflict and changes nothing.
      const before = await storedFor(event.id);
      expectProblem(await cancelOwn(manageToken), 409, 'ALREADY_CANCELLED');
      expect(await storedFor(event.id)).toEqual(before);
      // Nor can a cancelled registration switch mode.
      expectProblem(await switchOwn(manageToken, 'online'), 409, 'NOT_ACTIVE');
      expect(await storedFor(event.id)).toEqual(before);
      expect((await viewOwn(manageToken)).body.status).toBe('cancelled');
    });

    it('promotes in the order people joined the waitlist, one cancellation at a time', async () => {
      const event = await publishedEvent(t.http, { capacity: { inPerson: 2, online: 5 } });
      const holders = [await registered(event.slug), await registered(event.slug)];
      const queue = [];
      for (let i = 0; i < 4; i++) queue.push(await registered(event.slug));
      // The queue is kept in joining order even when the ids sort otherwise.
      for (const [i, holder] of holders.entries()) {
        expect((await cancelOwn((await secretsOf(holder.id)).manageToken)).status).toBe(200);
        const statuses = await Promise.all(queue.map((r) => statusOf(r.id)));
        expect(statuses).toEqual(queue.map((_, j) => (j <= i ? 'confirmed' : 'waitlisted')));
      }
    });

    it('cancels a waitlisted registrant without touching seats or the queue', async () => {
      const event = await publishedEvent(t.http, { capacity: { inPerson: 1, online: 5 } });
      await registered(event.slug);
      const first = await registered(event.slug);
      const second = await registered(event.slug);
      expect((await cancelOwn((await secretsOf(first.id)).manageToken)).status).toBe(200);
      expect(await rowOf(first.id)).toMatchObject({ status: 'cancelled', queued_at: null });
      expect(await statusOf(second.id)).toBe('waitlisted');
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 1, online: 0 });
      expect(await kindsOf(first.id)).toEqual([
        'registration_waitlisted',
        'registration_cancelled',
      ]);
    });
  });

  describe('staff', () => {
    let event: { slug: string; id: string };
    const people: Record<string, any> = {};
    let delegationId: string;
    const tag = randomBytes(3).toString('hex');

    beforeAll(async () => {
      event = await publishedEvent(t.http, { capacity: { inPerson: 2, online: 2 } });
      people.aigerim = await registered(event.slug, {
        givenName: 'Айгерім',
        familyName: 'Нұрланқызы',
        organisation: `Ministry of Health ${tag}`,
      });
      people.ivan = await registered(event.slug, {
        givenName: 'Иван',
        familyName: 'Петров',
        organisation: `Civil Society Hub ${tag}`,
        stakeholderType: 'civil_society',
      });
      people.zoe = await registered(event.slug, {
        givenName: 'Zoë',
        familyName: 'Müller',
        organisation: `UNODC ${tag}`,
        attendanceMode: 'online',
      });
      people.waiting = await registered(event.slug, {
        givenName: 'Ерлан',
        familyName: 'Сейтқали',
        organisation: `Academy 100%_${tag}`,
      });
      people.gone = await registered(event.slug, {
        givenName: 'Gone',
        familyName: 'Away',
        attendanceMode: 'online',
      });
      expect((await cancelOwn((await secretsOf(people.gone.id)).manageToken)).status).toBe(200);
      delegationId = await withDatabase(async (db) => {
        const { rows } = await db.query(
          `INSERT INTO delegations (event_id, name, organisation, stakeholder_type, country, language,
             head_email, head_given_name, head_family_name, manage_token)
           VALUES ($1, 'Delegation', 'Org', 'government', 'KZ', 'en', 'head@example.kz', 'H', 'D', $2)
           RETURNING id`,
          [event.id, randomBytes(24).toString('base64url')],
        );
        await db.query('UPDATE registrations SET delegation_id = $1 WHERE id = $2', [
          rows[0].id,
          people.ivan.id,
        ]);
        return rows[0].id as string;
      });
    });

    const idsOf = (res: TestResponse) => (res.body.items as { id: string }[]).map((r) => r.id);
    const list = (query: string) => t.http.get(staffUrl(event.slug, `?${query}`));

    it('lists every registration of the event in creation order, without private tokens', async () => {
      const res = await list('');
      expect(res.status).toBe(200);
      expect(idsOf(res)).toEqual(
        ['aigerim', 'ivan', 'zoe', 'waiting', 'gone'].map((name) => people[name].id),
      );
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.items[0]).toMatchObject({
        id: people.aigerim.id,
        reference: people.aigerim.reference,
        status: 'confirmed',
        attendanceMode: 'in_person',
        participant: people.aigerim.participant,
        queuedAt: null,
        confirmedAt: expect.stringMatching(ISO),
        cancelledAt: null,
      });
      expect(res.body.items[3].queuedAt).toMatch(ISO);
      expect(res.body.items[4].cancelledAt).toMatch(ISO);
      for (const name of Object.keys(people)) {
        for (const secret of Object.values(await secretsOf(people[name].id))) {
          expect(res.text).not.toContain(secret);
        }
      }
      expect(res.text).not.toMatch(/manageToken|joinToken|checkinCode/);
    });

    it.each([
      ['status=confirmed', ['aigerim', 'ivan', 'zoe']],
      ['status=waitlisted', ['waiting']],
      ['status=cancelled', ['gone']],
      ['status=pending', []],
      ['mode=online', ['zoe', 'gone']],
      ['mode=in_person&status=confirmed', ['aigerim', 'ivan']],
    ])('filters by %s', async (query, names) => {
      const res = await list(query);
      expect(res.status).toBe(200);
      expect(idsOf(res)).toEqual(names.map((name) => people[name].id));
    });

    it('filters by delegation', async () => {
      expect(idsOf(await list(`delegationId=${delegationId}`))).toEqual([people.ivan.id]);
      expect(idsOf(await list(`delegationId=${randomUUID()}`))).toEqual([]);
    });

    it.each([
      ['a Cyrillic name in lower case', 'айгерім', ['aigerim']],
      ['a Cyrillic name in upper case', 'АЙГЕРІМ', ['aigerim']],
      ['part of a Kazakh family name', 'нұрлан', ['aigerim']],
      ['given and family name together', 'иван петров', ['ivan']],
      ['a Latin name with an accent, any case', 'MÜLLER', ['zoe']],
      ['an organisation', `civil society hub ${tag}`, ['ivan']],
      ['a LIKE wildcard taken literally', `100%_${tag}`, ['waiting']],
      ['a percent sign alone', '%', ['waiting']],
    ])('searches %s', async (_, q, names) => {
      const res = await list(`q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(idsOf(res)).toEqual(names.map((name) => people[name].id));
    });

    it('searches part of an email and a reference, in any case', async () => {
      const local = people.zoe.participant.email.split('@')[0].split('.')[1];
      expect(idsOf(await list(`q=${local.toUpperCase()}`))).toEqual([people.zoe.id]);
      expect(idsOf(await list(`q=${people.waiting.reference.toLowerCase()}`))).toEqual([
        people.waiting.id,
      ]);
      expect(idsOf(await list(`q=${people.ivan.reference}&status=confirmed`))).toEqual([
        people.ivan.id,
      ]);
      expect(idsOf(await list(`q=${people.ivan.reference}&status=waitlisted`))).toEqual([]);
    });

    it('searches with an expression the trigram index serves', async () => {
      const plan = await withDatabase(async (db) => {
        await db.query('BEGIN');
        try {
          await db.query('SET LOCAL enable_seqscan = off');
          const { rows } = await db.query(
            `EXPLAIN SELECT r.id FROM registrations r WHERE r.search_text LIKE '%' || convene_fold($1) || '%'`,
            ['Айгер'],
          );
          return rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
        } finally {
          await db.query('ROLLBACK');
        }
      });
      expect(plan).toContain('idx_registrations_search_text');
    });

    it('pages one at a time through everything, in order, without repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: TestResponse = await list(`limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(1);
        seen.push(...idsOf(res));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 50);
      expect(seen).toEqual(
        ['aigerim', 'ivan', 'zoe', 'waiting', 'gone'].map((name) => people[name].id),
      );
      // Paging keeps the filter.
      const first = await list('limit=1&mode=online');
      expect(idsOf(first)).toEqual([people.zoe.id]);
      const second = await list(`limit=1&mode=online&cursor=${first.body.nextCursor}`);
      expect(idsOf(second)).toEqual([people.gone.id]);
      expect(second.body.nextCursor).toBeNull();
    });

    it.each([
      ['an unknown status', 'status=maybe', 'status'],
      ['an unknown mode', 'mode=hologram', 'mode'],
      ['a delegationId that is not an id', 'delegationId=abc', 'delegationId'],
      ['a limit above 500', 'limit=501', 'limit'],
      ['a forged cursor', 'cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['an unknown parameter', 'colour=blue', 'colour'],
    ])('refuses %s: 400', async (_, query, field) => {
      const res = await list(query);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toContain(field);
    });

    it('answers 404 for the registrations of an unknown event', async () => {
      expectProblem(await t.http.get(staffUrl(uniqueSlug('nowhere'))), 404, 'EVENT_NOT_FOUND');
    });

    it('shows one registration, and 404 for an unknown, malformed or other-event id', async () => {
      const res = await t.http.get(staffUrl(event.slug, `/${people.ivan.id}`));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: people.ivan.id,
        reference: people.ivan.reference,
        status: 'confirmed',
        participant: people.ivan.participant,
        delegationId,
      });
      expect(res.text).not.toMatch(/manageToken|joinToken|checkinCode/);
      const other = await publishedEvent(t.http);
      const foreign = await registered(other.slug);
      for (const id of [randomUUID(), 'not-a-uuid', foreign.id]) {
        expectProblem(await t.http.get(staffUrl(event.slug, `/${id}`)), 404);
      }
    });

    describe('decisions', () => {
      it('approves a pending registration: confirmed, seat taken, a confirmation', async () => {
        const approval = await publishedEvent(t.http, {
          capacity: { inPerson: 1, online: 5 },
          registration: { requiresApproval: true },
        });
        const first = await registered(approval.slug);
        const second = await registered(approval.slug);

        const res = await t.http.post(staffUrl(approval.slug, `/${first.id}/approve`));
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          id: first.id,
          status: 'confirmed',
          confirmedAt: expect.stringMatching(ISO),
        });
        expect(await seatsOf(approval.slug)).toEqual({ inPerson: 1, online: 0 });
        expect(await kindsOf(first.id)).toEqual(['registration_pending', 'registration_confirmed']);

        // The room is full now: approval waitlists.
        const full = await t.http.post(staffUrl(approval.slug, `/${second.id}/approve`));
        expect(full.status).toBe(200);
        expect(full.body).toMatchObject({
          status: 'waitlisted',
          queuedAt: expect.stringMatching(ISO),
        });
        expect(await seatsOf(approval.slug)).toEqual({ inPerson: 1, online: 0 });
        expect(await kindsOf(second.id)).toEqual([
          'registration_pending',
          'registration_waitlisted',
        ]);

        // Neither can be approved again.
        const before = await storedFor(approval.id);
        for (const id of [first.id, second.id]) {
          expectProblem(
            await t.http.post(staffUrl(approval.slug, `/${id}/approve`)),
            409,
            'NOT_PENDING',
          );
        }
        expect(await storedFor(approval.id)).toEqual(before);

        // When the first cancels, the approved-but-waiting one is promoted.
        const cancel = await t.http.post(staffUrl(approval.slug, `/${first.id}/cancel`));
        expect(cancel.status).toBe(200);
        expect(await statusOf(second.id)).toBe('confirmed');
      });

      it('declines a pending registration, and refuses to decline a confirmed one', async () => {
        const approval = await publishedEvent(t.http, { registration: { requiresApproval: true } });
        const pending = await registered(approval.slug);
        const res = await t.http.post(staffUrl(approval.slug, `/${pending.id}/decline`));
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: pending.id, status: 'declined' });
        expect(await kindsOf(pending.id)).toEqual([
          'registration_pending',
          'registration_declined',
        ]);
        expect(await seatsOf(approval.slug)).toEqual({ inPerson: 0, online: 0 });
        const before = await storedFor(approval.id);
        expectProblem(
          await t.http.post(staffUrl(approval.slug, `/${pending.id}/decline`)),
          409,
          'NOT_PENDING',
        );
        expectProblem(
          await t.http.post(staffUrl(approval.slug, `/${pending.id}/approve`)),
          409,
          'NOT_PENDING',
        );
        expect(await storedFor(approval.id)).toEqual(before);

        const other = await registered(approval.slug, { attendanceMode: 'online' });
        expect((await t.http.post(staffUrl(approval.slug, `/${other.id}/approve`))).status).toBe(
          200,
        );
        expect(await statusOf(other.id)).toBe('confirmed');
        const confirmed = await storedFor(approval.id);
        const refused = await t.http.post(staffUrl(approval.slug, `/${other.id}/decline`));
        expectProblem(refused, 409, 'NOT_PENDING');
        expect(refused.body.detail).toMatch(/cancel it instead/);
        expect(await storedFor(approval.id)).toEqual(confirmed);
        expect(await statusOf(other.id)).toBe('confirmed');
      });

      it('cancels as staff: seat freed, the oldest waiting promoted, an email each', async () => {
        const own = await publishedEvent(t.http, { capacity: { inPerson: 1, online: 5 } });
        const holder = await registered(own.slug);
        const oldest = await registered(own.slug);
        const younger = await registered(own.slug);
        const res = await t.http.post(staffUrl(own.slug, `/${holder.id}/cancel`));
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          status: 'cancelled',
          cancelledAt: expect.stringMatching(ISO),
        });
        expect(await kindsOf(holder.id)).toEqual([
          'registration_confirmed',
          'registration_cancelled',
        ]);
        expect(await statusOf(oldest.id)).toBe('confirmed');
        expect(await kindsOf(oldest.id)).toEqual(['registration_waitlisted', 'waitlist_promoted']);
        expect(await statusOf(younger.id)).toBe('waitlisted');
        expect(await seatsOf(own.slug)).toEqual({ inPerson: 1, online: 0 });
        const before = await storedFor(own.id);
        expectProblem(
          await t.http.post(staffUrl(own.slug, `/${holder.id}/cancel`)),
          409,
          'ALREADY_CANCELLED',
        );
        expect(await storedFor(own.id)).toEqual(before);
      });

      it('re-sends the confirmation: 202 and one more email each time', async () => {
        const own = await publishedEvent(t.http);
        const reg = await registered(own.slug, { attendanceMode: 'online' });
        const res = await t.http.post(staffUrl(own.slug, `/${reg.id}/resend-confirmation`));
        expect(res.status).toBe(202);
        expect(res.body).toMatchObject({ id: reg.id, status: 'confirmed' });
        expect(await emailsOf(reg.id)).toEqual([
          expect.objectContaining({ kind: 'registration_confirmed', facts: {} }),
          expect.objectContaining({
            kind: 'registration_confirmed',
            to_address: reg.participant.email,
            facts: { resent: true },
          }),
        ]);
        expect(
          (await t.http.post(staffUrl(own.slug, `/${reg.id}/resend-confirmation`))).status,
        ).toBe(202);
        expect(await emailsOf(reg.id)).toHaveLength(3);
      });

      it.each(['approve', 'decline', 'cancel', 'resend-confirmation'])(
        'answers 404 to %s of an unknown, malformed or other-event id, changing nothing',
        async (action) => {
          const approval = await publishedEvent(t.http, {
            registration: { requiresApproval: true },
          });
          const other = await publishedEvent(t.http, { registration: { requiresApproval: true } });
          const foreign = await registered(other.slug);
          const before = await storedFor(other.id);
          for (const id of [randomUUID(), 'not-a-uuid', foreign.id]) {
            expectProblem(await t.http.post(staffUrl(approval.slug, `/${id}/${action}`)), 404);
          }
          expectProblem(
            await t.http.post(staffUrl(uniqueSlug('nowhere'), `/${foreign.id}/${action}`)),
            404,
            'EVENT_NOT_FOUND',
          );
          expect(await storedFor(other.id)).toEqual(before);
          expect(await statusOf(foreign.id)).toBe('pending');
        },
      );
    });
  });

  describe('capacity changes', () => {
    const patchEvent = (slug: string, body: unknown) =>
      t.http.patch(`/api/v1/events/${slug}`, body);

    it('raising a capacity by 2 promotes the 2 oldest waiting at once, with their emails', async () => {
      const event = await publishedEvent(t.http, { capacity: { inPerson: 1, online: 5 } });
      await registered(event.slug);
      const queue = [];
      for (let i = 0; i < 3; i++) queue.push(await registered(event.slug));
      const onlineWaiting = await registered(event.slug, { attendanceMode: 'online' });

      const res = await patchEvent(event.slug, { capacity: { inPerson: 3, online: 5 } });
      expect(res.status).toBe(200);
      expect(res.body.availability.inPerson).toEqual({ capacity: 3, remaining: 0 });
      expect(await seatsOf(event.slug)).toEqual({ inPerson: 3, online: 1 });
      expect(await Promise.all(queue.map((r) => statusOf(r.id)))).toEqual([
        'confirmed',
        'confirmed',
        'waitlisted',
      ]);
      expect(await kindsOf(queue[0].id)).toEqual(['registration_waitlisted', 'waitlist_promoted']);
      expect(await kindsOf(queue[1].id)).toEqual(['registration_waitlisted', 'waitlist_promoted']);
      expect(await kindsOf(queue[2].id)).toEqual(['registration_waitlisted']);
      expect(await statusOf(onlineWaiting.id)).toBe('confirmed');

      // Raising the other mode only leaves this one's queue alone.
      const again = await patchEvent(event.slug, { capacity: { inPerson: 3, online: 9 } });
      expect(again.status).toBe(200);
      expect(await statusOf(queue[2].id)).toBe('waitlisted');
    });

    it('refuses to lower a capacity below the confirmed seats: 409 CAPACITY_BELOW_CONFIRMED', async () => {
      const event = await publishedEvent(t.http, { capacity: { inPerson: 5, online: 5 } });
      for (let i = 0; i < 3; i++) await registered(event.slug);
      const res = await patchEvent(event.slug, { capacity: { inPerson: 2, online: 5 } });
      expectProblem(res, 409, 'CAPACITY_BELOW_CONFIRMED');
      const staff = await t.http.get(`/api/v1/events/${event.slug}`);
      expect(staff.body.capacity).toEqual({ inPerson: 5, online: 5 });
      // Down to exactly the confirmed seats is fine; the next person waits.
      const exact = await patchEvent(event.slug, { capacity: { inPerson: 3, online: 5 } });
      expect(exact.status).toBe(200);
      expect(exact.body.availability.inPerson).toEqual({ capacity: 3, remaining: 0 });
      expect((await registered(event.slug)).status).toBe('waitlisted');
    });

    it('refuses to remove a mode that has confirmed seats: 409', async () => {
      const event = await publishedEvent(t.http);
      await registered(event.slug, { attendanceMode: 'online' });
      const res = await patchEvent(event.slug, {
        format: 'in_person',
        capacity: { inPerson: 80, online: null },
        onlineJoinUrl: null,
      });
      expectProblem(res, 409, 'CAPACITY_BELOW_CONFIRMED');
      const staff = await t.http.get(`/api/v1/events/${event.slug}`);
      expect(staff.body).toMatchObject({
        format: 'hybrid',
        capacity: { inPerson: 80, online: 300 },
      });
    });
  });

  describe('private tokens and references', () => {
    it('are distinct, URL-safe, at least 128 bits and unique', async () => {
      const event = await publishedEvent(t.http);
      const regs = [];
      for (let i = 0; i < 6; i++) {
        regs.push(await registered(event.slug, { attendanceMode: i % 2 ? 'online' : 'in_person' }));
      }
      const all: string[] = [];
      for (const reg of regs) {
        const secrets = await secretsOf(reg.id);
        const values = Object.values(secrets);
        expect(new Set(values).size).toBe(3);
        for (const value of values) {
          expect(value).toMatch(/^[A-Za-z0-9_-]{22,}$/);
          expect(value).not.toContain(reg.id);
          expect(value).not.toContain(reg.reference);
        }
        all.push(...values);
      }
      expect(new Set(all).size).toBe(all.length);
      const references = regs.map((r) => r.reference as string);
      expect(new Set(references).size).toBe(references.length);
      for (const reference of references) expect(reference).toMatch(REFERENCE);
      const stored = await withDatabase(
        async (db) =>
          (
            await db.query(
              `SELECT count(*)::int AS n FROM registrations r
               WHERE r.manage_token = r.join_token OR r.join_token = r.checkin_code
                  OR r.manage_token = r.checkin_code`,
            )
          ).rows[0].n as number,
      );
      expect(stored).toBe(0);
    });
  });

  describe('a cancelled event, and a format that loses a mode', () => {
    it('freezes registrations of a cancelled event but cancellations, and promotes nobody', async () => {
      const event = await publishedEvent(t.http, { capacity: { inPerson: 1, online: 5 } });
      const seated = (await register(t.http, event.slug, registrationBody())).body;
      const waiting = (await register(t.http, event.slug, registrationBody())).body;
      const online = (
        await register(t.http, event.slug, registrationBody({ attendanceMode: 'online' }))
      ).body;
      expect((await t.http.post(`/api/v1/events/${event.slug}/cancel`)).status).toBe(200);

      const onlineLink = (await secretsOf(online.id)).manageToken;
      const view = await t.http.get(`/api/v1/public/registrations/${onlineLink}`, { token: null });
      expect(view.body).toMatchObject({
        status: 'confirmed',
        joinUrl: null,
        event: { status: 'cancelled' },
      });
      const switched = await t.http.patch(
        `/api/v1/public/registrations/${onlineLink}`,
        { attendanceMode: 'in_person' },
        { token: null },
      );
      expect(switched.status).toBe(409);
      expect(switched.body.code).toBe('REGISTRATION_CLOSED');
      const approve = await t.http.post(
        `/api/v1/events/${event.slug}/registrations/${waiting.id}/approve`,
      );
      expect(approve.status).toBe(409);

      const seatedLink = (await secretsOf(seated.id)).manageToken;
      const cancelled = await t.http.post(
        `/api/v1/public/registrations/${seatedLink}/cancel`,
        undefined,
        {
          token: null,
        },
      );
      expect(cancelled.status).toBe(200);
      const stillWaiting = await t.http.get(
        `/api/v1/events/${event.slug}/registrations/${waiting.id}`,
      );
      expect(stillWaiting.body.status).toBe('waitlisted');
    });

    it('refuses a format change that would strand waitlisted or pending people (409)', async () => {
      const event = await publishedEvent(t.http, { capacity: { inPerson: 5, online: 0 } });
      const waiting = await register(
        t.http,
        event.slug,
        registrationBody({ attendanceMode: 'online' }),
      );
      expect(waiting.body.status).toBe('waitlisted');
      const res = await t.http.patch(`/api/v1/events/${event.slug}`, {
        format: 'in_person',
        onlineJoinUrl: null,
        capacity: { online: null },
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'MODE_IN_USE', modes: ['online'], registrations: 1 });
      expect((await t.http.get(`/api/v1/events/${event.slug}`)).body.format).toBe('hybrid');
    });
  });
});
