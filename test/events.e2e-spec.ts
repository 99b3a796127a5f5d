import { hybridEvent, sessionOf, uniqueSlug } from './helpers/factories';
import { publishedEvent, register, registrationBody } from './helpers/registrations';
import { startTestApp, TestApp, withDatabase } from './helpers/test-app';

describe('events', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const countEvents = (slug: string) =>
    withDatabase(
      async (db) => (await db.query('SELECT 1 FROM events WHERE slug = $1', [slug])).rowCount,
    );

  it('creates a hybrid event in draft with both modes and full availability', async () => {
    const body = hybridEvent();
    const res = await t.http.post('/api/v1/events', body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      slug: body.slug,
      status: 'draft',
      format: 'hybrid',
      timezone: 'Asia/Almaty',
      startsAt: new Date(body.startsAt).toISOString(),
      venue: body.venue,
      onlineJoinUrl: body.onlineJoinUrl,
      capacity: { inPerson: 80, online: 300 },
      availability: {
        inPerson: { capacity: 80, remaining: 80 },
        online: { capacity: 300, remaining: 300 },
      },
      registration: {
        opensAt: null,
        closesAt: null,
        requiresApproval: false,
        waitlist: true,
        maxDelegationSize: 10,
      },
      languages: ['en', 'ru', 'kk'],
      onlineAttendanceMinMinutes: 15,
    });
    expect(res.body.startsAt).toMatch(/Z$/);
  });

  it('refuses an invented time zone, naming the field, and stores nothing', async () => {
    const body = hybridEvent({ timezone: 'Mars/Olympus' });
    const res = await t.http.post('/api/v1/events', body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: 400,
      title: 'Bad Request',
      code: 'VALIDATION_FAILED',
    });
    expect(res.body.errors).toEqual([
      { field: 'timezone', message: expect.stringMatching(/IANA/) },
    ]);
    expect(await countEvents(body.slug)).toBe(0);
  });

  it('refuses an unknown field instead of dropping it', async () => {
    const body = { ...hybridEvent(), colour: 'blue' };
    const res = await t.http.post('/api/v1/events', body);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'colour', message: 'is not an allowed field' }]);
    expect(await countEvents(body.slug)).toBe(0);
  });

  it('refuses an unknown nested field and a wrongly typed one, each by its path', async () => {
    const res = await t.http.post(
      '/api/v1/events',
      hybridEvent({ capacity: { inPerson: -1, online: 10, vip: 3 } }),
    );
    expect(res.status).toBe(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['capacity.inPerson', 'capacity.vip']);
  });

  it.each([
    ['a local time without offset', { startsAt: '2026-06-07T09:00:00' }, 'startsAt'],
    ['an end before the start', { endsAt: '2020-01-01T00:00:00Z' }, 'endsAt'],
    ['a bad slug', { slug: 'Not A Slug' }, 'slug'],
    ['an unknown format', { format: 'virtual' }, 'format'],
    ['an unknown language', { languages: ['en', 'de'] }, 'languages'],
    ['no language', { languages: [] }, 'languages'],
    ['a join URL that is not a URL', { onlineJoinUrl: 'zoom 123' }, 'onlineJoinUrl'],
    [
      'a registration that closes before it opens',
      { registration: { opensAt: '2026-05-02T00:00:00Z', closesAt: '2026-05-01T00:00:00Z' } },
      'registration.closesAt',
    ],
  ])('refuses %s (400 naming the field)', async (_, overrides, field) => {
    const body = hybridEvent(overrides);
    const res = await t.http.post('/api/v1/events', body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await countEvents(body.slug)).toBe(0);
  });

  describe('the format decides which modes and fields exist', () => {
    it('an in-person event has no online capacity and no join URL', async () => {
      const res = await t.http.post('/api/v1/events', hybridEvent({ format: 'in_person' }));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'capacity.online', message: 'must be absent for an in-person event' },
          { field: 'onlineJoinUrl', message: 'must be absent for an in-person event' },
        ]),
      );
    });

    it('an online event has no venue and no in-person capacity', async () => {
      const res = await t.http.post('/api/v1/events', hybridEvent({ format: 'online' }));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'venue', message: 'must be absent for an online event' },
          { field: 'capacity.inPerson', message: 'must be absent for an online event' },
        ]),
      );
    });

    it('a hybrid event needs a venue and both capacities', async () => {
      const res = await t.http.post(
        '/api/v1/events',
        hybridEvent({ venue: undefined, capacity: { online: 5 } }),
      );
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'capacity.inPerson',
        'venue',
      ]);
    });

    it('an online event shows only online availability', async () => {
      const res = await t.http.post(
        '/api/v1/events',
        hybridEvent({ format: 'online', venue: undefined, capacity: { online: 500 } }),
      );
      expect(res.status).toBe(201);
      expect(res.body.capacity).toEqual({ online: 500 });
      expect(res.body.availability).toEqual({ online: { capacity: 500, remaining: 500 } });
      expect(res.body.venue).toBeNull();
    });
  });

  it('answers 409 for a slug that exists', async () => {
    const body = hybridEvent();
    expect((await t.http.post('/api/v1/events', body)).status).toBe(201);
    const again = await t.http.post('/api/v1/events', { ...body, title: 'Another' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('SLUG_TAKEN');
  });

  it('answers 404 problem+json for an unknown event', async () => {
    const res = await t.http.get(`/api/v1/events/${uniqueSlug('missing')}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 404, code: 'EVENT_NOT_FOUND' });
  });

  it('pages through events with a keyset cursor', async () => {
    const created = [];
    for (let i = 0; i < 3; i++) {
      created.push((await t.http.post('/api/v1/events', hybridEvent())).body.slug);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: {
        status: number;
        body: { items: { slug: string }[]; nextCursor: string | null };
      } = await t.http.get(`/api/v1/events?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((e) => e.slug));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(created));
  });

  it('refuses a limit over 500 and a forged cursor', async () => {
    const tooMany = await t.http.get('/api/v1/events?limit=501');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].field).toBe('limit');
    const forged = await t.http.get('/api/v1/events?cursor=bm90LWEtY3Vyc29y');
    expect(forged.status).toBe(400);
    expect(forged.body.errors[0].field).toBe('cursor');
  });

  describe('PATCH', () => {
    it('changes fields, merges nested objects and keeps the rest', async () => {
      const { body: event } = await t.http.post('/api/v1/events', hybridEvent());
      const res = await t.http.patch(`/api/v1/events/${event.slug}`, {
        title: 'Renamed',
        capacity: { online: 400 },
        registration: { requiresApproval: true },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        title: 'Renamed',
        capacity: { inPerson: 80, online: 400 },
        registration: { requiresApproval: true, waitlist: true },
        venue: event.venue,
      });
    });

    it('switches a hybrid event to in person when the online fields are cleared', async () => {
      const { body: event } = await t.http.post('/api/v1/events', hybridEvent());
      const half = await t.http.patch(`/api/v1/events/${event.slug}`, { format: 'in_person' });
      expect(half.status).toBe(400);
      const res = await t.http.patch(`/api/v1/events/${event.slug}`, {
        format: 'in_person',
        onlineJoinUrl: null,
        capacity: { online: null },
      });
      expect(res.status).toBe(200);
      expect(res.body.capacity).toEqual({ inPerson: 80 });
      expect(res.body.onlineJoinUrl).toBeNull();
    });

    it('refuses to change the slug, and keeps the event unchanged on a bad patch', async () => {
      const { body: event } = await t.http.post('/api/v1/events', hybridEvent());
      const slug = await t.http.patch(`/api/v1/events/${event.slug}`, { slug: 'other' });
      expect(slug.status).toBe(400);
      const bad = await t.http.patch(`/api/v1/events/${event.slug}`, {
        title: 'X',
        endsAt: '2000-01-01T00:00:00Z',
      });
      expect(bad.status).toBe(400);
      expect((await t.http.get(`/api/v1/events/${event.slug}`)).body.title).toBe(event.title);
    });

    it.each([
      ['title'],
      ['timezone'],
      ['description'],
      ['languages'],
      ['onlineAttendanceMinMinutes'],
      ['capacity'],
    ])('refuses null for %s, which cannot be cleared (400, not a 500)', async (field) => {
      const { body: event } = await t.http.post('/api/v1/events', hybridEvent());
      const res = await t.http.patch(`/api/v1/events/${event.slug}`, { [field]: null });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('refuses null for a registration setting with a default', async () => {
      const { body: event } = await t.http.post('/api/v1/events', hybridEvent());
      const res = await t.http.patch(`/api/v1/events/${event.slug}`, {
        registration: { waitlist: null },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('registration.waitlist');
    });

    it('refuses a format whose modes the agenda still uses (409)', async () => {
      const { body: event } = await t.http.post('/api/v1/events', hybridEvent());
      const day = event.startsAt.slice(0, 10);
      await t.http.post(`/api/v1/events/${event.slug}/sessions`, {
        title: 'Workshop',
        startsAt: `${day}T05:00:00Z`,
        endsAt: `${day}T06:00:00Z`,
        capacity: { inPerson: 5 },
      });
      const res = await t.http.patch(`/api/v1/events/${event.slug}`, {
        format: 'online',
        venue: null,
        capacity: { inPerson: null },
      });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('SESSIONS_DO_NOT_FIT_FORMAT');
      expect(res.body.sessions[0].errors).toEqual([
        { field: 'capacity.inPerson', message: 'must be absent for an online event' },
      ]);
      expect((await t.http.get(`/api/v1/events/${event.slug}`)).body.format).toBe('hybrid');
    });

    it('refuses to move the event away from its sessions (409)', async () => {
      const { body: event } = await t.http.post('/api/v1/events', hybridEvent());
      const day = event.startsAt.slice(0, 10);
      await t.http.post(`/api/v1/events/${event.slug}/sessions`, {
        title: 'Afternoon',
        startsAt: `${day}T10:00:00Z`,
        endsAt: `${day}T11:00:00Z`,
      });
      const res = await t.http.patch(`/api/v1/events/${event.slug}`, {
        endsAt: `${day}T09:30:00Z`,
      });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('SESSIONS_OUTSIDE_EVENT');
      expect(res.body.sessions).toEqual([expect.objectContaining({ title: 'Afternoon' })]);
    });
  });

  describe('status', () => {
    it('publishes a draft once, and cancels it once', async () => {
      const { body: event } = await t.http.post('/api/v1/events', hybridEvent());
      const published = await t.http.post(`/api/v1/events/${event.slug}/publish`);
      expect(published.status).toBe(200);
      expect(published.body.status).toBe('published');
      expect(published.body.publishedAt).not.toBeNull();
      expect((await t.http.post(`/api/v1/events/${event.slug}/publish`)).body.code).toBe(
        'ALREADY_PUBLISHED',
      );

      const cancelled = await t.http.post(`/api/v1/events/${event.slug}/cancel`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      const again = await t.http.post(`/api/v1/events/${event.slug}/cancel`);
      expect(again.status).toBe(409);
      const patch = await t.http.patch(`/api/v1/events/${event.slug}`, { title: 'Too late' });
      expect(patch.status).toBe(409);
      expect(patch.body.code).toBe('EVENT_CANCELLED');
      expect((await t.http.post(`/api/v1/events/${event.slug}/publish`)).status).toBe(409);
    });

    it('will not publish an online event without a meeting to join', async () => {
      const { body: event } = await t.http.post(
        '/api/v1/events',
        hybridEvent({ onlineJoinUrl: undefined }),
      );
      const res = await t.http.post(`/api/v1/events/${event.slug}/publish`);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'EVENT_INCOMPLETE',
        errors: [{ field: 'onlineJoinUrl' }],
      });
    });
  });

  describe('public views', () => {
    it('show published events with agenda and availability, and never the meeting URL', async () => {
      const { body: event } = await t.http.post('/api/v1/events', hybridEvent());
      const day = event.startsAt.slice(0, 10);
      await t.http.post(`/api/v1/events/${event.slug}/sessions`, {
        title: 'Opening',
        startsAt: `${day}T04:00:00Z`,
        endsAt: `${day}T05:00:00Z`,
        onlineJoinUrl: 'https://meet.example.org/j/secret-session',
        capacity: { inPerson: 20 },
      });
      expect(
        (await t.http.get(`/api/v1/public/events/${event.slug}`, { token: null })).status,
      ).toBe(404);
      await t.http.post(`/api/v1/events/${event.slug}/publish`);

      const res = await t.http.get(`/api/v1/public/events/${event.slug}`, { token: null });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        slug: event.slug,
        status: 'published',
        availability: {
          inPerson: { capacity: 80, remaining: 80 },
          online: { capacity: 300, remaining: 300 },
        },
        registration: { open: true },
        agenda: [expect.objectContaining({ title: 'Opening', capacity: { inPerson: 20 } })],
      });
      expect(res.text).not.toContain('meet.example.org');
      expect(res.body).not.toHaveProperty('id');

      const list = await t.http.get('/api/v1/public/events?limit=500', { token: null });
      expect(list.status).toBe(200);
      const slugs = list.body.items.map((e: { slug: string }) => e.slug);
      expect(slugs).toContain(event.slug);
      expect(list.text).not.toContain('meet.example.org');
    });

    it('do not list drafts', async () => {
      const { body: event } = await t.http.post('/api/v1/events', hybridEvent());
      const list = await t.http.get('/api/v1/public/events?limit=500', { token: null });
      expect(list.body.items.map((e: { slug: string }) => e.slug)).not.toContain(event.slug);
    });

    it('show every change made through this instance at once, despite the short cache', async () => {
      const event = await publishedEvent(t.http);
      const view = async () =>
        (await t.http.get(`/api/v1/public/events/${event.slug}`, { token: null })).body;
      expect((await view()).availability.inPerson.remaining).toBe(80);
      // Read again while cached, then change seats, the event and its agenda: each shows next read.
      expect((await view()).availability.inPerson.remaining).toBe(80);
      expect((await register(t.http, event.slug, registrationBody())).status).toBe(201);
      expect((await view()).availability.inPerson.remaining).toBe(79);
      await t.http.patch(`/api/v1/events/${event.slug}`, { title: 'Renamed dialogue' });
      expect((await view()).title).toBe('Renamed dialogue');
      await t.http.post(`/api/v1/events/${event.slug}/sessions`, sessionOf(event));
      expect((await view()).agenda).toHaveLength(1);
      await t.http.post(`/api/v1/events/${event.slug}/cancel`);
      expect((await view()).status).toBe('cancelled');
    });

    it('say when registration is not open yet', async () => {
      const opensAt = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
      const { body: event } = await t.http.post(
        '/api/v1/events',
        hybridEvent({ registration: { opensAt } }),
      );
      await t.http.post(`/api/v1/events/${event.slug}/publish`);
      const res = await t.http.get(`/api/v1/public/events/${event.slug}`, { token: null });
      expect(res.body.registration).toMatchObject({ open: false, opensAt });
    });
  });
});
