import { hybridEvent, sessionOf, uniqueSlug } from './helpers/factories';
import { startTestApp, TestApp, TestResponse, withDatabase } from './helpers/test-app';

type EventBody = ReturnType<typeof hybridEvent>;

const cursorOf = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
const fieldsOf = (res: TestResponse) => res.body.errors.map((e: { field: string }) => e.field);

describe('sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const sessionsUrl = (event: { slug: string }) => `/api/v1/events/${event.slug}/sessions`;

  async function newEvent(overrides: Record<string, unknown> = {}): Promise<EventBody> {
    const body = hybridEvent(overrides);
    const res = await t.http.post('/api/v1/events', body);
    expect(res.status).toBe(201);
    return body;
  }

  async function newSession(event: EventBody, from = 10, to = 11, overrides = {}) {
    const res = await t.http.post(sessionsUrl(event), sessionOf(event, from, to, overrides));
    expect(res.status).toBe(201);
    return res.body;
  }

  /** The sessions of an event as the database holds them. */
  const storedSessions = (slug: string) =>
    withDatabase(
      async (db) =>
        (
          await db.query(
            `SELECT s.id, s.title, s.starts_at, s.ends_at, s.room, s.capacity_in_person, s.updated_at
               FROM event_sessions s JOIN events e ON e.id = s.event_id
              WHERE e.slug = $1 ORDER BY s.id`,
            [slug],
          )
        ).rows,
    );

  describe('POST', () => {
    it('creates a session inside the event and answers it with every field', async () => {
      const event = await newEvent();
      const body = sessionOf(event, 10, 12, {
        description: 'Харм-редукция: опыт региона',
        capacity: { inPerson: 40 },
        onlineJoinUrl: 'https://meet.example.org/j/panel',
      });
      const res = await t.http.post(sessionsUrl(event), body);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        title: body.title,
        description: 'Харм-редукция: опыт региона',
        startsAt: new Date(body.startsAt).toISOString(),
        endsAt: new Date(body.endsAt).toISOString(),
        room: 'Hall B',
        speakers: ['Dr. A. Seitkali', 'Айгерім Нұрланқызы'],
        capacity: { inPerson: 40 },
        seatsTaken: 0,
        onlineJoinUrl: 'https://meet.example.org/j/panel',
        createdAt: expect.stringMatching(/Z$/),
        updatedAt: expect.stringMatching(/Z$/),
      });
      expect(res.body.startsAt).toMatch(/^\d{4}-\d{2}-\d{2}T05:00:00\.000Z$/);

      const stored = await storedSessions(event.slug);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        id: res.body.id,
        starts_at: new Date(body.startsAt),
        capacity_in_person: 40,
      });
    });

    it('takes only the required fields and defaults the rest', async () => {
      const event = await newEvent();
      const { startsAt, endsAt } = sessionOf(event);
      const res = await t.http.post(sessionsUrl(event), { title: 'Coffee', startsAt, endsAt });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        title: 'Coffee',
        description: null,
        room: null,
        speakers: [],
        capacity: {},
        onlineJoinUrl: null,
      });
    });

    it('accepts a session that fills the event exactly', async () => {
      const event = await newEvent();
      const res = await t.http.post(sessionsUrl(event), {
        title: 'All day',
        startsAt: event.startsAt,
        endsAt: event.endsAt,
      });
      expect(res.status).toBe(201);
    });

    it.each([
      ['starts before the event', 'startsAt', 8, 10],
      ['ends after the event', 'endsAt', 16, 18],
      ['lies wholly after the event', 'endsAt', 18, 19],
    ])(
      'refuses a session that %s (400 naming %s) and stores nothing',
      async (_, field, from, to) => {
        const event = await newEvent();
        const res = await t.http.post(sessionsUrl(event), sessionOf(event, from, to));
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(res.body.errors).toEqual([
          { field, message: expect.stringMatching(/within the event/) },
        ]);
        expect(await storedSessions(event.slug)).toEqual([]);
      },
    );

    it.each([
      ['ends before it starts', 12, 11],
      ['ends when it starts', 11, 11],
    ])('refuses a session that %s (400 naming endsAt)', async (_, from, to) => {
      const event = await newEvent();
      const res = await t.http.post(sessionsUrl(event), sessionOf(event, from, to));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'endsAt', message: 'must be after startsAt' }]);
      expect(await storedSessions(event.slug)).toEqual([]);
    });

    it('refuses an in-person capacity on an online event', async () => {
      const event = await newEvent({
        format: 'online',
        venue: undefined,
        capacity: { online: 500 },
      });
      const res = await t.http.post(
        sessionsUrl(event),
        sessionOf(event, 10, 11, { capacity: { inPerson: 10 } }),
      );
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'capacity.inPerson', message: 'must be absent for an online event' },
      ]);
      expect(await storedSessions(event.slug)).toEqual([]);
      // Without it, the same session is fine.
      expect((await t.http.post(sessionsUrl(event), sessionOf(event))).status).toBe(201);
    });

    it('refuses a meeting URL on an in-person event', async () => {
      const event = await newEvent({
        format: 'in_person',
        onlineJoinUrl: undefined,
        capacity: { inPerson: 80 },
      });
      const res = await t.http.post(
        sessionsUrl(event),
        sessionOf(event, 10, 11, { onlineJoinUrl: 'https://meet.example.org/j/side' }),
      );
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'onlineJoinUrl', message: 'must be absent for an in-person event' },
      ]);
      expect(await storedSessions(event.slug)).toEqual([]);
    });

    it.each([
      ['an unknown field', 'colour', { colour: 'blue' }],
      ['an unknown nested field', 'capacity.vip', { capacity: { inPerson: 5, vip: 2 } }],
      ['no title', 'title', { title: undefined }],
      ['an empty title', 'title', { title: '' }],
      ['a local time without offset', 'startsAt', { startsAt: '2026-06-07T10:00:00' }],
      ['a negative capacity', 'capacity.inPerson', { capacity: { inPerson: -1 } }],
      ['speakers that are not a list', 'speakers', { speakers: 'Dr. A. Seitkali' }],
      ['a join URL that is not a URL', 'onlineJoinUrl', { onlineJoinUrl: 'zoom 123' }],
    ])('refuses %s (400 naming %s)', async (_, field, overrides) => {
      const event = await newEvent();
      const res = await t.http.post(sessionsUrl(event), sessionOf(event, 10, 11, overrides));
      expect(res.status).toBe(400);
      expect(fieldsOf(res)).toEqual([field]);
      expect(await storedSessions(event.slug)).toEqual([]);
    });

    it('answers 404 for an unknown event', async () => {
      const event = hybridEvent();
      const res = await t.http.post(sessionsUrl(event), sessionOf(event));
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('EVENT_NOT_FOUND');
    });

    it('adds sessions to a published event', async () => {
      const event = await newEvent();
      expect((await t.http.post(`/api/v1/events/${event.slug}/publish`)).status).toBe(200);
      expect((await t.http.post(sessionsUrl(event), sessionOf(event))).status).toBe(201);
    });
  });

  describe('a cancelled event', () => {
    it('takes no new session (409 EVENT_CANCELLED), and its agenda no longer changes', async () => {
      const event = await newEvent();
      const session = await newSession(event);
      expect((await t.http.post(`/api/v1/events/${event.slug}/cancel`)).status).toBe(200);
      const before = await storedSessions(event.slug);

      const created = await t.http.post(sessionsUrl(event), sessionOf(event, 12, 13));
      expect(created.status).toBe(409);
      expect(created.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(created.body).toMatchObject({ status: 409, code: 'EVENT_CANCELLED' });

      const patched = await t.http.patch(`${sessionsUrl(event)}/${session.id}`, { title: 'Late' });
      expect(patched.status).toBe(409);
      expect(patched.body.code).toBe('EVENT_CANCELLED');
      const deleted = await t.http.delete(`${sessionsUrl(event)}/${session.id}`);
      expect(deleted.status).toBe(409);

      expect(await storedSessions(event.slug)).toEqual(before);
      const read = await t.http.get(`${sessionsUrl(event)}/${session.id}`);
      expect(read.status).toBe(200);
      expect(read.body.title).toBe(session.title);
    });
  });

  describe('GET', () => {
    it('lists the agenda in time order and walks it with limit=1', async () => {
      const event = await newEvent();
      // Created out of order, two at the same time: the id decides between those.
      const late = await newSession(event, 15, 16, { title: 'Closing' });
      const early = await newSession(event, 9, 10, { title: 'Opening' });
      const parallelA = await newSession(event, 11, 12, { title: 'Track A' });
      const parallelB = await newSession(event, 11, 12, { title: 'Track B' });
      const expected = [early.id, ...[parallelA.id, parallelB.id].sort(), late.id];

      const all = await t.http.get(sessionsUrl(event));
      expect(all.status).toBe(200);
      expect(all.body.nextCursor).toBeNull();
      expect(all.body.items.map((s: { id: string }) => s.id)).toEqual(expected);
      expect(all.body.items[0]).toEqual(early);

      const walked: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: TestResponse = await t.http.get(
          `${sessionsUrl(event)}?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.status).toBe(200);
        expect(res.body.items).toHaveLength(1);
        walked.push(res.body.items[0].id);
        cursor = res.body.nextCursor;
        pages += 1;
      } while (cursor && pages <= expected.length);
      expect(walked).toEqual(expected);
      expect(cursor).toBeNull();
    });

    it('lists only the sessions of that event', async () => {
      const event = await newEvent();
      const other = await newEvent();
      const mine = await newSession(event);
      await newSession(other);
      const res = await t.http.get(sessionsUrl(event));
      expect(res.body.items.map((s: { id: string }) => s.id)).toEqual([mine.id]);
    });

    it('answers an empty page for an event without sessions', async () => {
      const event = await newEvent();
      const res = await t.http.get(sessionsUrl(event));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [], nextCursor: null });
    });

    it.each([
      ['not base64 JSON', 'bm90LWEtY3Vyc29y'],
      ['of the wrong length', cursorOf(['2026-06-07T05:00:00.000Z'])],
      ['with a time that is not one', cursorOf(['x', '00000000-0000-4000-8000-000000000000'])],
      ['with an id that is not one', cursorOf(['2026-06-07T05:00:00.000Z', 'y'])],
      [
        'with a month 13',
        cursorOf(['2026-13-07T05:00:00.000Z', '00000000-0000-4000-8000-000000000000']),
      ],
    ])('refuses a cursor %s (400, not a database error)', async (_, cursor) => {
      const event = await newEvent();
      await newSession(event);
      const res = await t.http.get(`${sessionsUrl(event)}?cursor=${cursor}`);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    });

    it.each(['0', '501', 'ten'])('refuses limit=%s', async (limit) => {
      const event = await newEvent();
      const res = await t.http.get(`${sessionsUrl(event)}?limit=${limit}`);
      expect(res.status).toBe(400);
      expect(fieldsOf(res)).toEqual(['limit']);
    });

    it('answers 404 for the sessions of an unknown event', async () => {
      const res = await t.http.get(`/api/v1/events/${uniqueSlug('missing')}/sessions`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('EVENT_NOT_FOUND');
    });

    it('reads one session as it was created', async () => {
      const event = await newEvent();
      const session = await newSession(event, 10, 11, { capacity: { inPerson: 12 } });
      const res = await t.http.get(`${sessionsUrl(event)}/${session.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(session);
    });
  });

  describe('PATCH', () => {
    it('changes the fields given and keeps the rest', async () => {
      const event = await newEvent();
      const session = await newSession(event, 10, 11, { capacity: { inPerson: 30 } });
      const { startsAt, endsAt } = sessionOf(event, 13, 15);
      const res = await t.http.patch(`${sessionsUrl(event)}/${session.id}`, {
        title: 'Panel: prevention',
        startsAt,
        endsAt,
        speakers: ['Ғалым Әбенов'],
        capacity: { inPerson: 50 },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ...session,
        title: 'Panel: prevention',
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(endsAt).toISOString(),
        speakers: ['Ғалым Әбенов'],
        capacity: { inPerson: 50 },
        updatedAt: expect.any(String),
      });
      expect(new Date(res.body.updatedAt) >= new Date(session.updatedAt)).toBe(true);
      expect((await t.http.get(`${sessionsUrl(event)}/${session.id}`)).body).toEqual(res.body);
    });

    it('clears optional fields with null', async () => {
      const event = await newEvent();
      const session = await newSession(event, 10, 11, {
        description: 'To be dropped',
        capacity: { inPerson: 30 },
        onlineJoinUrl: 'https://meet.example.org/j/x',
      });
      const res = await t.http.patch(`${sessionsUrl(event)}/${session.id}`, {
        description: null,
        room: null,
        capacity: { inPerson: null },
        onlineJoinUrl: null,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        title: session.title,
        description: null,
        room: null,
        capacity: {},
        onlineJoinUrl: null,
      });
    });

    it.each([
      ['moves it before the event', 'startsAt', 7, 9],
      ['moves it past the event', 'endsAt', 16, 18],
      ['ends it before it starts', 'endsAt', 12, 11],
    ])(
      'refuses a change that %s (400 naming %s) and keeps the session',
      async (_, field, from, to) => {
        const event = await newEvent();
        const session = await newSession(event, 10, 11);
        const before = await storedSessions(event.slug);
        const { startsAt, endsAt } = sessionOf(event, from, to);
        const res = await t.http.patch(`${sessionsUrl(event)}/${session.id}`, {
          title: 'Must not stick',
          startsAt,
          endsAt,
        });
        expect(res.status).toBe(400);
        expect(fieldsOf(res)).toEqual([field]);
        expect(await storedSessions(event.slug)).toEqual(before);
        expect((await t.http.get(`${sessionsUrl(event)}/${session.id}`)).body).toEqual(session);
      },
    );

    it.each([
      ['an unknown field', 'colour', { colour: 'blue' }],
      ['a null title', 'title', { title: null }],
      ['a null start', 'startsAt', { startsAt: null }],
      ['a malformed time', 'endsAt', { endsAt: 'tomorrow' }],
    ])('refuses %s (400 naming %s) and keeps the session', async (_, field, body) => {
      const event = await newEvent();
      const session = await newSession(event);
      const before = await storedSessions(event.slug);
      const res = await t.http.patch(`${sessionsUrl(event)}/${session.id}`, body);
      expect(res.status).toBe(400);
      expect(fieldsOf(res)).toEqual([field]);
      expect(await storedSessions(event.slug)).toEqual(before);
    });

    it('refuses an in-person capacity on a session of an online event', async () => {
      const event = await newEvent({ format: 'online', venue: undefined, capacity: { online: 5 } });
      const session = await newSession(event);
      const res = await t.http.patch(`${sessionsUrl(event)}/${session.id}`, {
        capacity: { inPerson: 3 },
      });
      expect(res.status).toBe(400);
      expect(fieldsOf(res)).toEqual(['capacity.inPerson']);
      expect((await t.http.get(`${sessionsUrl(event)}/${session.id}`)).body.capacity).toEqual({});
    });
  });

  describe('DELETE', () => {
    it('removes a session: 204, then 404', async () => {
      const event = await newEvent();
      const session = await newSession(event);
      const keep = await newSession(event, 12, 13);
      const res = await t.http.delete(`${sessionsUrl(event)}/${session.id}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');

      const read = await t.http.get(`${sessionsUrl(event)}/${session.id}`);
      expect(read.status).toBe(404);
      expect(read.body).toMatchObject({ status: 404, code: 'SESSION_NOT_FOUND' });
      expect((await t.http.delete(`${sessionsUrl(event)}/${session.id}`)).status).toBe(404);
      expect((await storedSessions(event.slug)).map((s) => s.id)).toEqual([keep.id]);
    });
  });

  describe('ids that name no session of the event', () => {
    it('answer 404 for a session of another event, and leave it alone', async () => {
      const event = await newEvent();
      const other = await newEvent();
      const theirs = await newSession(other);
      const url = `${sessionsUrl(event)}/${theirs.id}`;
      for (const res of [
        await t.http.get(url),
        await t.http.patch(url, { title: 'Hijacked' }),
        await t.http.delete(url),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('SESSION_NOT_FOUND');
      }
      expect((await t.http.get(`${sessionsUrl(other)}/${theirs.id}`)).body).toEqual(theirs);
    });

    it.each(['not-a-uuid', '12345', '00000000-0000-4000-8000-000000000000'])(
      'answer 404 problem+json for %s',
      async (id) => {
        const event = await newEvent();
        const url = `${sessionsUrl(event)}/${id}`;
        for (const res of [
          await t.http.get(url),
          await t.http.patch(url, { title: 'X' }),
          await t.http.delete(url),
        ]) {
          expect(res.status).toBe(404);
          expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          expect(res.body.status).toBe(404);
        }
      },
    );
  });
});
