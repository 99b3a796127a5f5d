import { createHash } from 'node:crypto';
import { hybridEvent, sessionOf, uniqueSlug } from './helpers/factories';
import { registrationBody } from './helpers/registrations';
import { reportFixture, reportForm } from './helpers/reports';
import { startTestApp, TestApp, TestResponse, withDatabase } from './helpers/test-app';

type Role = 'admin' | 'organiser' | 'checkin';
const RANK: Record<Role, number> = { checkin: 1, organiser: 2, admin: 3 };
const ROLES: Role[] = ['checkin', 'organiser', 'admin'];

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');
const cursorOf = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

/**
 * What the staff routes act on: a published event that requires approval, with one session and
 * one pending registration (made through the public API); a draft event to publish; and one
 * spare checkin token.
 */
interface Fixture {
  event: ReturnType<typeof hybridEvent>;
  slug: string;
  eventId: string;
  sessionId: string;
  registrationId: string;
  /** The pending registration's reference, for the check-in routes. */
  reference: string;
  draftSlug: string;
  draftEventId: string;
  tokenId: string;
  /** The registration's confirmation, marked failed so that retrying it can succeed. */
  emailId: string;
}

interface StaffRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** As the router has it, with :slug, :sessionId, :registrationId or :tokenId from the fixture. */
  path: string;
  /** Acts on the fixture's draft event (publishing needs one) instead of its published one. */
  draft?: boolean;
  /** The least role the route needs. */
  role: Role;
  /** What a good request answers with that role. */
  ok: number;
  body?: (fixture: Fixture) => unknown;
  /** A multipart/form-data body instead of JSON (a file upload). */
  form?: (fixture: Fixture) => FormData;
  /** Appended to the URL. */
  query?: string;
  /** What a request that must succeed needs first (a check-in to undo). */
  prepare?: (t: TestApp, fixture: Fixture) => Promise<void>;
}

/** The desk acts on confirmed people: approve the fixture's pending registration. */
async function approve(t: TestApp, f: Fixture): Promise<void> {
  const res = await t.http.post(
    `/api/v1/events/${f.slug}/registrations/${f.registrationId}/approve`,
  );
  expect(res.body.status).toBe('confirmed');
}

/**
 * Every staff route of the service. A new staff route is one more line here; the first test of
 * the matrix fails until it is added.
 */
const STAFF_ROUTES: StaffRoute[] = [
  { method: 'POST', path: '/api/v1/events', role: 'organiser', ok: 201, body: () => hybridEvent() },
  { method: 'GET', path: '/api/v1/events', role: 'organiser', ok: 200 },
  { method: 'GET', path: '/api/v1/events/:slug', role: 'organiser', ok: 200 },
  {
    method: 'PATCH',
    path: '/api/v1/events/:slug',
    role: 'organiser',
    ok: 200,
    body: () => ({ title: 'Renamed by the matrix' }),
  },
  { method: 'POST', path: '/api/v1/events/:slug/publish', role: 'organiser', ok: 200, draft: true },
  { method: 'POST', path: '/api/v1/events/:slug/cancel', role: 'organiser', ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/events/:slug/sessions',
    role: 'organiser',
    ok: 201,
    body: (f) => sessionOf(f.event, 12, 13, { title: 'Added by the matrix' }),
  },
  { method: 'GET', path: '/api/v1/events/:slug/sessions', role: 'organiser', ok: 200 },
  { method: 'GET', path: '/api/v1/events/:slug/sessions/:sessionId', role: 'organiser', ok: 200 },
  { method: 'GET', path: '/api/v1/events/:slug/emails', role: 'organiser', ok: 200 },
  { method: 'GET', path: '/api/v1/events/:slug/registrations', role: 'organiser', ok: 200 },
  {
    method: 'GET',
    path: '/api/v1/events/:slug/registrations/:registrationId',
    role: 'organiser',
    ok: 200,
  },
  {
    method: 'POST',
    path: '/api/v1/events/:slug/registrations/:registrationId/approve',
    role: 'organiser',
    ok: 200,
  },
  {
    method: 'POST',
    path: '/api/v1/events/:slug/registrations/:registrationId/decline',
    role: 'organiser',
    ok: 200,
  },
  {
    method: 'POST',
    path: '/api/v1/events/:slug/registrations/:registrationId/cancel',
    role: 'organiser',
    ok: 200,
  },
  {
    method: 'POST',
    path: '/api/v1/events/:slug/registrations/:registrationId/resend-confirmation',
    role: 'organiser',
    ok: 202,
  },
  {
    method: 'PATCH',
    path: '/api/v1/events/:slug/sessions/:sessionId',
    role: 'organiser',
    ok: 200,
    body: () => ({ room: 'Moved by the matrix' }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/events/:slug/sessions/:sessionId',
    role: 'organiser',
    ok: 204,
  },
  { method: 'GET', path: '/api/v1/events/:slug/delegations', role: 'organiser', ok: 200 },
  { method: 'POST', path: '/api/v1/emails/:emailId/retry', role: 'organiser', ok: 202 },
  { method: 'GET', path: '/api/v1/events/:slug/registrations.csv', role: 'organiser', ok: 200 },
  {
    method: 'GET',
    path: '/api/v1/events/:slug/list-of-participants.csv',
    role: 'organiser',
    ok: 200,
  },
  {
    method: 'POST',
    path: '/api/v1/events/:slug/online-attendance/import',
    role: 'organiser',
    ok: 200,
    form: () => reportForm(reportFixture('zoom-participants.csv'), 'zoom.csv'),
  },
  { method: 'GET', path: '/api/v1/events/:slug/attendance', role: 'organiser', ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/tokens',
    role: 'admin',
    ok: 201,
    body: () => ({ name: uniqueSlug('matrix-token'), role: 'checkin' }),
  },
  { method: 'GET', path: '/api/v1/tokens', role: 'admin', ok: 200 },
  { method: 'DELETE', path: '/api/v1/tokens/:tokenId', role: 'admin', ok: 204 },
  {
    method: 'POST',
    path: '/api/v1/events/:slug/check-ins',
    role: 'checkin',
    ok: 201,
    body: (f) => ({ code: f.reference, desk: 'matrix' }),
    prepare: approve,
  },
  {
    method: 'GET',
    path: '/api/v1/events/:slug/check-ins/search',
    query: '?q=nur',
    role: 'checkin',
    ok: 200,
  },
  {
    method: 'DELETE',
    path: '/api/v1/events/:slug/check-ins/:registrationId',
    role: 'checkin',
    ok: 204,
    prepare: async (t, f) => {
      await approve(t, f);
      const res = await t.http.post(`/api/v1/events/${f.slug}/check-ins`, { code: f.reference });
      expect(res.status).toBe(201);
    },
  },
];

/**
 * The staff pages (desk and console) authenticate with the staff session cookie, not a bearer
 * token, so they have their own table: every route the router has under /desk and /admin is
 * listed here (the first test of "staff pages" fails otherwise). `open` routes are the sign-in
 * and sign-out forms; the others need a session of `role` that may see the event.
 */
interface StaffPageRoute {
  method: 'GET' | 'POST';
  path: string;
  role: Role | 'open';
  /** What a request without a session gets: the sign-in form (200), 401 JSON, or 303 to it. */
  signedOut: 200 | 303 | 401;
}

const STAFF_PAGE_ROUTES: StaffPageRoute[] = [
  { method: 'GET', path: '/desk/:slug', role: 'checkin', signedOut: 200 },
  { method: 'POST', path: '/desk/:slug/sign-in', role: 'open', signedOut: 200 },
  { method: 'POST', path: '/desk/:slug/sign-out', role: 'open', signedOut: 200 },
  { method: 'POST', path: '/desk/:slug/check-ins', role: 'checkin', signedOut: 401 },
  { method: 'GET', path: '/desk/:slug/search', role: 'checkin', signedOut: 401 },
  { method: 'GET', path: '/desk/:slug/counts', role: 'checkin', signedOut: 401 },
  { method: 'GET', path: '/admin', role: 'organiser', signedOut: 200 },
  { method: 'POST', path: '/admin/sign-in', role: 'open', signedOut: 200 },
  { method: 'POST', path: '/admin/sign-out', role: 'open', signedOut: 200 },
  { method: 'GET', path: '/admin/events/new', role: 'organiser', signedOut: 200 },
  { method: 'POST', path: '/admin/events', role: 'organiser', signedOut: 200 },
  { method: 'GET', path: '/admin/events/:slug', role: 'organiser', signedOut: 303 },
  { method: 'GET', path: '/admin/events/:slug/edit', role: 'organiser', signedOut: 303 },
  { method: 'POST', path: '/admin/events/:slug/edit', role: 'organiser', signedOut: 303 },
  { method: 'POST', path: '/admin/events/:slug/publish', role: 'organiser', signedOut: 303 },
  { method: 'POST', path: '/admin/events/:slug/cancel', role: 'organiser', signedOut: 303 },
  { method: 'POST', path: '/admin/events/:slug/sessions', role: 'organiser', signedOut: 303 },
  {
    method: 'GET',
    path: '/admin/events/:slug/sessions/:sessionId/edit',
    role: 'organiser',
    signedOut: 303,
  },
  {
    method: 'POST',
    path: '/admin/events/:slug/sessions/:sessionId/edit',
    role: 'organiser',
    signedOut: 303,
  },
  {
    method: 'POST',
    path: '/admin/events/:slug/sessions/:sessionId/delete',
    role: 'organiser',
    signedOut: 303,
  },
  { method: 'GET', path: '/admin/events/:slug/registrations', role: 'organiser', signedOut: 303 },
  {
    method: 'POST',
    path: '/admin/events/:slug/registrations/:registrationId/:action',
    role: 'organiser',
    signedOut: 303,
  },
  { method: 'GET', path: '/admin/events/:slug/emails', role: 'organiser', signedOut: 303 },
  {
    method: 'POST',
    path: '/admin/events/:slug/emails/:emailId/retry',
    role: 'organiser',
    signedOut: 303,
  },
  { method: 'GET', path: '/admin/events/:slug/attendance', role: 'organiser', signedOut: 303 },
  {
    method: 'POST',
    path: '/admin/events/:slug/attendance/import',
    role: 'organiser',
    signedOut: 303,
  },
  {
    method: 'GET',
    path: '/admin/events/:slug/registrations.csv',
    role: 'organiser',
    signedOut: 303,
  },
  {
    method: 'GET',
    path: '/admin/events/:slug/list-of-participants.csv',
    role: 'organiser',
    signedOut: 303,
  },
];
const GUARDED_PAGE_ROUTES = STAFF_PAGE_ROUTES.filter((r) => r.role !== 'open');
const EVENT_PAGE_ROUTES = GUARDED_PAGE_ROUTES.filter((r) => r.path.includes(':slug'));
const CONSOLE_PAGE_ROUTES = GUARDED_PAGE_ROUTES.filter((r) => r.role === 'organiser');

const ORGANISER_ROUTES = STAFF_ROUTES.filter((r) => r.role === 'organiser');
const EVENT_ROUTES = ORGANISER_ROUTES.filter((r) => r.path.includes(':slug'));
const CHECKIN_ROUTES = STAFF_ROUTES.filter((r) => r.role === 'checkin');
const UNSCOPED_ROUTES = ORGANISER_ROUTES.filter((r) => !r.path.includes(':slug'));
/** Each route with each role too weak for it. */
const TOO_WEAK = STAFF_ROUTES.flatMap((route) =>
  ROLES.filter((role) => RANK[role] < RANK[route.role]).map((held) => ({ ...route, held })),
);

/** The event a route acts on. */
const slugOf = (route: StaffRoute, f: Fixture) => (route.draft ? f.draftSlug : f.slug);

const urlOf = (route: StaffRoute, f: Fixture) =>
  route.path
    .replace(':slug', slugOf(route, f))
    .replace(':sessionId', f.sessionId)
    .replace(':registrationId', f.registrationId)
    .replace(':tokenId', f.tokenId)
    .replace(':emailId', f.emailId) + (route.query ?? '');

const routeKey = (method: string, path: string) =>
  `${method} ${path.replace(/:[A-Za-z]+/g, ':param')}`;

/** "├── /:slug (GET, HEAD, PATCH)" lines of Fastify's route tree, as full method + path keys. */
function parseRouteTree(tree: string): string[] {
  const keys: string[] = [];
  const prefixes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([\s│├└─]*)(\S+) \(([A-Z, ]+)\)$/.exec(line.trimEnd());
    if (!match) continue;
    const depth = Math.round(match[1].length / 4);
    const path = (prefixes[depth - 1] ?? '') + match[2];
    prefixes[depth] = path;
    prefixes.length = depth + 1;
    for (const method of match[3].split(', ')) {
      if (method !== 'HEAD') keys.push(routeKey(method, path));
    }
  }
  return keys;
}

describe('authentication and roles', () => {
  let t: TestApp;
  /** Secrets of tokens made through the API in beforeAll. */
  const tokens: Record<string, string> = {};
  /** Acted on by requests that must be refused, so it must never change. */
  let shared: Fixture;

  const call = (route: StaffRoute, f: Fixture, token: string | null, body = route.body?.(f)) =>
    t.http.request(route.method, urlOf(route, f), { token, body, form: route.form?.(f) });

  async function createToken(
    body: Record<string, unknown>,
  ): Promise<{ id: string; secret: string }> {
    const res = await t.http.post('/api/v1/tokens', body);
    expect(res.status).toBe(201);
    return res.body;
  }

  /** Every page of GET /api/v1/tokens, as answered. */
  async function listTokenPages(limit = 500): Promise<TestResponse[]> {
    const pages: TestResponse[] = [];
    let cursor: string | null = null;
    do {
      const res: TestResponse = await t.http.get(
        `/api/v1/tokens?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      pages.push(res);
      cursor = res.body.nextCursor;
    } while (cursor && pages.length < 10_000);
    return pages;
  }

  async function makeFixture(): Promise<Fixture> {
    const event = hybridEvent({
      registration: { requiresApproval: true, waitlist: true, maxDelegationSize: 10 },
    });
    const created = await t.http.post('/api/v1/events', event);
    expect(created.status).toBe(201);
    const session = await t.http.post(`/api/v1/events/${event.slug}/sessions`, sessionOf(event));
    expect(session.status).toBe(201);
    expect((await t.http.post(`/api/v1/events/${event.slug}/publish`)).status).toBe(200);
    // Pending, so that approving and declining it can succeed.
    const registration = await t.http.post(
      `/api/v1/public/events/${event.slug}/registrations`,
      registrationBody(),
      { token: null },
    );
    expect(registration.status).toBe(201);
    expect(registration.body.status).toBe('pending');
    const draft = await t.http.post('/api/v1/events', hybridEvent());
    expect(draft.status).toBe(201);
    const token = await createToken({ name: uniqueSlug('spare'), role: 'checkin' });
    const emailId = await withDatabase(async (db) => {
      const { rows } = await db.query(
        `UPDATE emails SET status = 'failed', attempts = 1, last_error = '550 test'
          WHERE registration_id = $1 RETURNING id`,
        [registration.body.id],
      );
      return rows[0].id as string;
    });
    return {
      event,
      slug: event.slug,
      eventId: created.body.id,
      sessionId: session.body.id,
      registrationId: registration.body.id,
      reference: registration.body.reference,
      draftSlug: draft.body.slug,
      draftEventId: draft.body.id,
      tokenId: token.id,
      emailId,
    };
  }

  /** What the staff routes could change about a fixture, and what a request body could create. */
  function stateOf(f: Fixture, body: unknown) {
    const { slug, name } = (body ?? {}) as { slug?: string; name?: string };
    return withDatabase(async (db) => {
      const rows = async (sql: string, params: unknown[]) => (await db.query(sql, params)).rows;
      return {
        event: await rows('SELECT title, status, updated_at FROM events WHERE id = $1', [
          f.eventId,
        ]),
        draftEvent: await rows('SELECT title, status, updated_at FROM events WHERE id = $1', [
          f.draftEventId,
        ]),
        registrations: await rows(
          'SELECT id, status, attendance_mode, updated_at FROM registrations WHERE event_id = $1 ORDER BY id',
          [f.eventId],
        ),
        emails: await rows('SELECT id, kind, status FROM emails WHERE event_id = $1 ORDER BY id', [
          f.eventId,
        ]),
        sessions: await rows(
          'SELECT id, title, room, updated_at FROM event_sessions WHERE event_id = $1 ORDER BY id',
          [f.eventId],
        ),
        token: await rows('SELECT revoked_at FROM api_tokens WHERE id = $1', [f.tokenId]),
        checkIns: await rows('SELECT id FROM check_ins WHERE event_id = $1 ORDER BY id', [
          f.eventId,
        ]),
        checkInAttempts: await rows(
          'SELECT id FROM check_in_attempts WHERE event_id = $1 ORDER BY id',
          [f.eventId],
        ),
        onlineAttendanceRows: await rows(
          'SELECT id FROM online_attendance_rows WHERE event_id = $1 ORDER BY id',
          [f.eventId],
        ),
        eventsWithSlug: await rows('SELECT id FROM events WHERE slug = $1', [slug ?? '']),
        tokensWithName: await rows('SELECT id FROM api_tokens WHERE name = $1', [name ?? '']),
      };
    });
  }

  /** Sends a request that must be refused and checks it changed nothing. */
  async function expectRefused(
    route: StaffRoute,
    token: string | null,
    status: 401 | 403,
  ): Promise<TestResponse> {
    const body = route.body?.(shared);
    const before = await stateOf(shared, body);
    expect(before.event).toHaveLength(1);
    expect(before.draftEvent).toHaveLength(1);
    expect(before.sessions).toHaveLength(1);
    expect(before.registrations).toEqual([
      expect.objectContaining({ id: shared.registrationId, status: 'pending' }),
    ]);
    expect(before.emails).toHaveLength(1);
    const res = await call(route, shared, token, body);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      status,
      title: status === 401 ? 'Unauthorized' : 'Forbidden',
    });
    expect(await stateOf(shared, body)).toEqual(before);
    return res;
  }

  beforeAll(async () => {
    t = await startTestApp();
    shared = await makeFixture();
    const other = await makeFixture();
    for (const role of ROLES) {
      tokens[role] = (await createToken({ name: `matrix ${role}`, role })).secret;
    }
    tokens.organiserOfOther = (
      await createToken({
        name: 'organiser of another event',
        role: 'organiser',
        eventSlug: other.slug,
      })
    ).secret;
    tokens.organiserOfShared = (
      await createToken({
        name: 'organiser of the event',
        role: 'organiser',
        eventSlug: shared.slug,
      })
    ).secret;
    tokens.checkinOfShared = (
      await createToken({ name: 'desk of the event', role: 'checkin', eventSlug: shared.slug })
    ).secret;
    tokens.checkinOfOther = (
      await createToken({ name: 'desk of another event', role: 'checkin', eventSlug: other.slug })
    ).secret;
  });
  afterAll(async () => {
    await t.close();
  });

  describe('staff tokens', () => {
    it('creates a token and shows its secret once; the token works at once', async () => {
      const name = uniqueSlug('desk');
      const res = await t.http.post('/api/v1/tokens', { name, role: 'organiser' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name,
        role: 'organiser',
        eventSlug: null,
        secretPrefix: expect.any(String),
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        secret: expect.stringMatching(/^[A-Za-z0-9_-]{43,}$/),
      });
      expect(res.body.secret.startsWith(res.body.secretPrefix)).toBe(true);
      expect(res.body.secretPrefix.length).toBeLessThan(res.body.secret.length / 2);

      const used = await t.http.get('/api/v1/events?limit=1', { token: res.body.secret });
      expect(used.status).toBe(200);
    });

    it('lists tokens without any secret (nor its hash)', async () => {
      const created = await createToken({ name: uniqueSlug('listed'), role: 'checkin' });
      const pages = await listTokenPages();
      for (const page of pages) {
        expect(page.text).not.toContain(created.secret);
        expect(page.text).not.toContain(sha256(created.secret));
      }
      const seen = pages.flatMap((page) => page.body.items as Record<string, unknown>[]);
      for (const item of seen) {
        expect(Object.keys(item).sort()).toEqual(
          ['createdAt', 'eventSlug', 'id', 'name', 'role', 'secretPrefix'].sort(),
        );
      }
      expect(seen).toContainEqual(
        expect.objectContaining({ id: created.id, role: 'checkin', eventSlug: null }),
      );
    });

    it('stores only the SHA-256 of the secret', async () => {
      const created = await createToken({ name: uniqueSlug('hashed'), role: 'organiser' });
      await withDatabase(async (db) => {
        const { rows } = await db.query('SELECT * FROM api_tokens WHERE id = $1', [created.id]);
        expect(rows).toHaveLength(1);
        expect(rows[0].secret_hash).toBe(sha256(created.secret));
        expect(rows[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);
        for (const value of Object.values(rows[0])) {
          expect(String(value)).not.toContain(created.secret);
        }
        // Nowhere in the table either, in any column of any row.
        const anywhere = await db.query(
          `SELECT count(*)::int AS n FROM api_tokens t WHERE t::text LIKE '%' || $1 || '%'`,
          [created.secret],
        );
        expect(anywhere.rows[0].n).toBe(0);
      });
    });

    it('revokes a token: 204, then the token is refused with 401', async () => {
      const created = await createToken({ name: uniqueSlug('revoked'), role: 'organiser' });
      // Used once before, so a cached answer must not outlive the revocation.
      expect((await t.http.get('/api/v1/events?limit=1', { token: created.secret })).status).toBe(
        200,
      );

      const res = await t.http.delete(`/api/v1/tokens/${created.id}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');

      const refused = await t.http.get('/api/v1/events?limit=1', { token: created.secret });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(refused.body.status).toBe(401);
      const revokedAt = await withDatabase(
        async (db) =>
          (await db.query('SELECT revoked_at FROM api_tokens WHERE id = $1', [created.id])).rows[0]
            .revoked_at,
      );
      expect(revokedAt).toBeInstanceOf(Date);
    });

    it('answers 404 for a token revoked already, an unknown uuid and a non-uuid id', async () => {
      const created = await createToken({ name: uniqueSlug('gone'), role: 'checkin' });
      expect((await t.http.delete(`/api/v1/tokens/${created.id}`)).status).toBe(204);
      for (const id of [created.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
        const res = await t.http.delete(`/api/v1/tokens/${id}`);
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(res.body.status).toBe(404);
      }
    });

    it('pages through tokens one at a time without repeating or losing one', async () => {
      const created: string[] = [];
      for (let i = 0; i < 3; i++) {
        created.push((await createToken({ name: uniqueSlug('paged'), role: 'checkin' })).id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: TestResponse = await t.http.get(
          `/api/v1/tokens?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(1);
        for (const item of res.body.items as { id: string }[]) {
          expect(seen).not.toContain(item.id);
          seen.push(item.id);
        }
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(expect.arrayContaining(created));
      // Created one after the other, they come in that order.
      expect(created.map((id) => seen.indexOf(id))).toEqual(
        [...created.map((id) => seen.indexOf(id))].sort((a, b) => a - b),
      );
    });

    it('refuses a forged cursor with 400, not a database error', async () => {
      for (const cursor of ['bm90LWEtY3Vyc29y', cursorOf(['x']), cursorOf(['x', 'y'])]) {
        const res = await t.http.get(`/api/v1/tokens?cursor=${cursor}`);
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
      }
    });

    it('limits a token to one event when asked, and names that event', async () => {
      const { slug } = (await t.http.post('/api/v1/events', hybridEvent())).body;
      const res = await t.http.post('/api/v1/tokens', {
        name: 'Entrance desk 1',
        role: 'checkin',
        eventSlug: slug,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ role: 'checkin', eventSlug: slug });
      const listed = (await listTokenPages()).flatMap((page) => page.body.items);
      expect(listed).toContainEqual(expect.objectContaining({ id: res.body.id, eventSlug: slug }));
    });

    describe('validation', () => {
      const countNamed = (name: string) =>
        withDatabase(
          async (db) =>
            (await db.query('SELECT 1 FROM api_tokens WHERE name = $1', [name])).rowCount,
        );

      it.each([
        ['an unknown role', { role: 'root' }, 'role'],
        ['no role', { role: undefined }, 'role'],
        ['no name', { name: undefined }, 'name'],
        ['an empty name', { name: '' }, 'name'],
        ['an unknown field', { colour: 'blue' }, 'colour'],
      ])('refuses %s (400 naming the field)', async (_, overrides, field) => {
        const body = { name: uniqueSlug('invalid'), role: 'organiser', ...overrides };
        const res = await t.http.post('/api/v1/tokens', body);
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
        if (body.name) expect(await countNamed(body.name)).toBe(0);
      });

      it('refuses an admin token limited to an event (400 naming eventSlug)', async () => {
        const name = uniqueSlug('limited-admin');
        const res = await t.http.post('/api/v1/tokens', {
          name,
          role: 'admin',
          eventSlug: shared.slug,
        });
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([{ field: 'eventSlug', message: expect.any(String) }]);
        expect(await countNamed(name)).toBe(0);
      });

      it('answers 404 for a token limited to an unknown event', async () => {
        const name = uniqueSlug('nowhere');
        const res = await t.http.post('/api/v1/tokens', {
          name,
          role: 'organiser',
          eventSlug: uniqueSlug('missing'),
        });
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ status: 404, code: 'EVENT_NOT_FOUND' });
        expect(await countNamed(name)).toBe(0);
      });
    });
  });

  describe('role matrix', () => {
    it('covers every staff route the router has', () => {
      const registered = parseRouteTree(
        t.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false }),
      );
      // The parse found the routes at all (a change of Fastify's tree format would show here).
      expect(registered).toEqual(
        expect.arrayContaining(['GET /health', 'GET /health/ready', 'GET /api/v1/public/events']),
      );
      const staff = registered.filter(
        (key) => / \/api\/v1\//.test(key) && !/ \/api\/v1\/public\//.test(key),
      );
      expect(staff.sort()).toEqual(STAFF_ROUTES.map((r) => routeKey(r.method, r.path)).sort());
    });

    it.each(STAFF_ROUTES)(
      '$method $path without a token: 401 with WWW-Authenticate: Bearer',
      async (route) => {
        const res = await expectRefused(route, null, 401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(res.body.code).toBe('TOKEN_MISSING');
      },
    );

    it.each(STAFF_ROUTES)('$method $path with an unknown token: 401', async (route) => {
      const res = await expectRefused(route, `cvn_${'x'.repeat(43)}`, 401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.body.code).toBe('TOKEN_INVALID');
    });

    it.each(STAFF_ROUTES)('$method $path with another scheme than Bearer: 401', async (route) => {
      const res = await t.http.request(route.method, urlOf(route, shared), {
        token: null,
        headers: { authorization: `Basic ${Buffer.from(`x:${tokens.admin}`).toString('base64')}` },
        body: route.body?.(shared),
        form: route.form?.(shared),
      });
      expect(res.status).toBe(401);
    });

    it.each(TOO_WEAK)(
      '$method $path with a $held token: 403 and nothing stored',
      async ({ held, ...route }) => {
        const res = await expectRefused(route, tokens[held], 403);
        expect(res.body.code).toBe('ROLE_TOO_WEAK');
        expect(res.headers.get('www-authenticate')).toBeNull();
      },
    );

    it.each(STAFF_ROUTES)('$method $path with a $role token: $ok', async (route) => {
      const f = await makeFixture();
      await route.prepare?.(t, f);
      const res = await call(route, f, tokens[route.role]);
      expect(res.status).toBe(route.ok);
    });

    it.each(STAFF_ROUTES)('$method $path with an admin token: $ok', async (route) => {
      const f = await makeFixture();
      await route.prepare?.(t, f);
      const res = await call(route, f, tokens.admin);
      expect(res.status).toBe(route.ok);
    });

    it('takes the scheme name in any case', async () => {
      const res = await t.http.get('/api/v1/events?limit=1', {
        token: null,
        headers: { authorization: `bearer ${tokens.organiser}` },
      });
      expect(res.status).toBe(200);
    });
  });

  describe('staff pages (session cookie)', () => {
    const pageUrl = (route: StaffPageRoute, f: Fixture) =>
      route.path
        .replace(':slug', f.slug)
        .replace(':sessionId', f.sessionId)
        .replace(':registrationId', f.registrationId)
        .replace(':action', 'approve')
        .replace(':emailId', f.emailId) + (route.path.endsWith('/search') ? '?q=nur' : '');

    const callPage = (route: StaffPageRoute, cookie: string | null) =>
      t.http.request(route.method, pageUrl(route, shared), {
        token: null,
        headers: {
          ...(cookie ? { cookie: `cvn_staff=${cookie}` } : {}),
          ...(route.method === 'POST'
            ? { 'content-type': 'application/x-www-form-urlencoded' }
            : {}),
        },
        rawBody: route.method === 'POST' ? 'token=x' : undefined,
      });

    it('covers every /desk and /admin route the router has', () => {
      const registered = parseRouteTree(
        t.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false }),
      ).filter((key) => / \/(desk|admin)(\/|$)/.test(key));
      expect(registered.sort()).toEqual(
        STAFF_PAGE_ROUTES.map((r) => routeKey(r.method, r.path)).sort(),
      );
    });

    it.each(GUARDED_PAGE_ROUTES)(
      '$method $path without a session: $signedOut and nothing changed',
      async (route) => {
        const before = await stateOf(shared, undefined);
        const res = await callPage(route, null);
        expect(res.status).toBe(route.signedOut);
        if (route.signedOut === 303) expect(res.headers.get('location')).toBe('/admin');
        if (route.signedOut === 200) expect(res.text).toContain('name="token"');
        expect(await stateOf(shared, undefined)).toEqual(before);
      },
    );

    it.each(CONSOLE_PAGE_ROUTES)(
      '$method $path with a checkin session: 403 and nothing changed',
      async (route) => {
        const before = await stateOf(shared, undefined);
        const res = await callPage(route, tokens.checkin);
        expect(res.status).toBe(403);
        expect(await stateOf(shared, undefined)).toEqual(before);
      },
    );

    it.each(EVENT_PAGE_ROUTES)(
      '$method $path with a session limited to another event: 403',
      async (route) => {
        const token = route.role === 'checkin' ? tokens.checkinOfOther : tokens.organiserOfOther;
        const before = await stateOf(shared, undefined);
        const res = await callPage(route, token);
        expect(res.status).toBe(403);
        expect(await stateOf(shared, undefined)).toEqual(before);
      },
    );

    it('opens the desk and the console to sessions of their own event', async () => {
      const desk = await callPage(STAFF_PAGE_ROUTES[0], tokens.checkinOfShared);
      expect(desk.status).toBe(200);
      expect(desk.text).toContain('id="desk"');
      const console = await callPage(
        CONSOLE_PAGE_ROUTES.find((r) => r.path === '/admin/events/:slug')!,
        tokens.organiserOfShared,
      );
      expect(console.status).toBe(200);
    });
  });

  describe('a token limited to one event', () => {
    it.each(EVENT_ROUTES)('may use $method $path of its event: $ok', async (route) => {
      const f = await makeFixture();
      const own = await createToken({
        name: uniqueSlug('own-event'),
        role: 'organiser',
        eventSlug: slugOf(route, f),
      });
      const res = await call(route, f, own.secret);
      expect(res.status).toBe(route.ok);
    });

    it.each(ORGANISER_ROUTES)(
      'gets 403 on $method $path of another event, or without one, and changes nothing',
      async (route) => {
        const res = await expectRefused(route, tokens.organiserOfOther, 403);
        expect(res.body.code).toBe('TOKEN_LIMITED_TO_EVENT');
      },
    );

    it.each(UNSCOPED_ROUTES)(
      'gets 403 on $method $path even for a token of an existing event',
      async (route) => {
        const res = await expectRefused(route, tokens.organiserOfShared, 403);
        expect(res.body.code).toBe('TOKEN_LIMITED_TO_EVENT');
      },
    );

    it.each(CHECKIN_ROUTES)(
      'as a checkin token of another event, gets 403 on $method $path and changes nothing',
      async (route) => {
        const res = await expectRefused(route, tokens.checkinOfOther, 403);
        expect(res.body.code).toBe('TOKEN_LIMITED_TO_EVENT');
      },
    );

    it.each(CHECKIN_ROUTES)(
      'as a checkin token of its event, may use $method $path: $ok',
      async (route) => {
        const f = await makeFixture();
        await route.prepare?.(t, f);
        const own = await createToken({
          name: uniqueSlug('own-desk'),
          role: 'checkin',
          eventSlug: f.slug,
        });
        expect((await call(route, f, own.secret)).status).toBe(route.ok);
      },
    );

    it('still cannot use admin routes', async () => {
      for (const route of STAFF_ROUTES.filter((r) => r.role === 'admin')) {
        await expectRefused(route, tokens.organiserOfShared, 403);
      }
    });

    it('as a checkin token, cannot use the organiser routes of its own event', async () => {
      for (const route of EVENT_ROUTES) {
        const res = await expectRefused(route, tokens.checkinOfShared, 403);
        expect(res.body.code).toBe('ROLE_TOO_WEAK');
      }
    });

    it("sees its event's sessions but not the event list", async () => {
      const token = tokens.organiserOfShared;
      const one = await t.http.get(`/api/v1/events/${shared.slug}`, { token });
      expect(one.status).toBe(200);
      expect(one.body.slug).toBe(shared.slug);
      const sessions = await t.http.get(`/api/v1/events/${shared.slug}/sessions`, { token });
      expect(sessions.status).toBe(200);
      expect(sessions.body.items.map((s: { id: string }) => s.id)).toEqual([shared.sessionId]);
      expect((await t.http.get('/api/v1/events', { token })).status).toBe(403);
    });
  });

  describe('public routes', () => {
    let published: string;
    beforeAll(async () => {
      published = (await t.http.post('/api/v1/events', hybridEvent())).body.slug;
      expect((await t.http.post(`/api/v1/events/${published}/publish`)).status).toBe(200);
    });

    it.each([
      ['/api/v1/public/events'],
      ['/api/v1/public/events/:slug'],
      ['/health'],
      ['/health/ready'],
      ['/metrics'],
    ])('GET %s needs no token, and a bad one does no harm', async (path) => {
      const url = path.replace(':slug', published);
      const open = await t.http.get(url, { token: null });
      expect(open.status).toBe(200);
      const bad = await t.http.get(url, { token: 'garbage' });
      expect(bad.status).toBe(200);
    });

    it('report health', async () => {
      expect((await t.http.get('/health', { token: null })).body).toEqual({ status: 'ok' });
      const ready = await t.http.get('/health/ready', { token: null });
      expect(ready.body).toMatchObject({
        status: 'ok',
        details: { database: { status: 'up' }, migrations: { status: 'up' } },
      });
    });

    it('list published events', async () => {
      const res = await t.http.get('/api/v1/public/events?limit=500', { token: null });
      expect(res.body.items.map((e: { slug: string }) => e.slug)).toContain(published);
    });
  });
});
