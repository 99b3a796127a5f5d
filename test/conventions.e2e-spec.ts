import { ShutdownState } from '../src/health/shutdown-state';
import { createEmptyDatabase } from './helpers/databases';
import { hybridEvent, uniqueSlug } from './helpers/factories';
import { startTestApp, TestApp, TestResponse, withDatabase } from './helpers/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An RFC 9457 problem document with the given status, carrying the response's request id. */
function expectProblem(res: TestResponse, status: number, code?: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
  });
  expect(res.body.detail.length).toBeGreaterThan(0);
  if (code) expect(res.body.code).toBe(code);
  expect(res.body.requestId).toBe(res.headers.get('x-request-id'));
}

/** Nothing of the implementation leaks: no stack frame, file, SQL or exception name. */
function expectNoInternals(res: TestResponse): void {
  expect(res.body).not.toHaveProperty('stack');
  expect(res.text).not.toMatch(/\bat\s+\S+\s+\(|\.[jt]s:\d+|node_modules|\/src\//);
  expect(res.text).not.toMatch(/QueryFailedError|SyntaxError|TypeError|Exception\b/);
  expect(res.text).not.toMatch(/\b(SELECT|INSERT|UPDATE)\b.*\b(FROM|INTO|SET)\b|relation "/);
}

const countEvents = (slug: string) =>
  withDatabase(
    async (db) => (await db.query('SELECT 1 FROM events WHERE slug = $1', [slug])).rowCount,
  );

describe('conventions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('errors are problem documents', () => {
    it('answers an unknown route with 404 problem+json', async () => {
      const res = await t.http.get(`/api/v1/${uniqueSlug('nowhere')}`);
      expectProblem(res, 404);
      // Unknown routes are 404 before any token is asked for, even without one.
      expectProblem(await t.http.get('/no/such/route', { token: null }), 404);
      expectProblem(await t.http.request('PUT', '/api/v1/events'), 404);
    });

    it('answers malformed JSON with 400 MALFORMED_JSON and no stack trace', async () => {
      const slug = uniqueSlug('malformed');
      const res = await t.http.request('POST', '/api/v1/events', {
        rawBody: `{"slug": "${slug}", "title": `,
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(res, 400, 'MALFORMED_JSON');
      expectNoInternals(res);
      expect(await countEvents(slug)).toBe(0);
    });

    it('answers an empty JSON body with 400 MALFORMED_JSON', async () => {
      const res = await t.http.request('POST', '/api/v1/events', {
        rawBody: '',
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(res, 400, 'MALFORMED_JSON');
    });

    it('answers a body over BODY_LIMIT_BYTES with 413, and still takes one under it', async () => {
      const small = await startTestApp({ BODY_LIMIT_BYTES: '2048' });
      try {
        const big = hybridEvent({ description: 'x'.repeat(4096) });
        const res = await small.http.post('/api/v1/events', big);
        expectProblem(res, 413, 'BODY_TOO_LARGE');
        expectNoInternals(res);
        expect(await countEvents(big.slug)).toBe(0);

        const fits = hybridEvent();
        expect(JSON.stringify(fits).length).toBeLessThan(2048);
        expect((await small.http.post('/api/v1/events', fits)).status).toBe(201);
      } finally {
        await small.close();
      }
    });

    it('refuses a JSON document sent as text/plain (415) and stores nothing', async () => {
      const body = hybridEvent();
      const res = await t.http.request('POST', '/api/v1/events', {
        rawBody: JSON.stringify(body),
        headers: { 'content-type': 'text/plain' },
      });
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectNoInternals(res);
      expect(await countEvents(body.slug)).toBe(0);

      const { body: event } = await t.http.post('/api/v1/events', hybridEvent());
      const patch = await t.http.request('PATCH', `/api/v1/events/${event.slug}`, {
        rawBody: JSON.stringify({ title: 'Sent as text' }),
        headers: { 'content-type': 'text/plain' },
      });
      expectProblem(patch, 415);
      expect((await t.http.get(`/api/v1/events/${event.slug}`)).body.title).toBe(event.title);
    });

    it('answers a media type it has no parser for with 415', async () => {
      const res = await t.http.request('POST', '/api/v1/events', {
        rawBody: '<event><slug>x</slug></event>',
        headers: { 'content-type': 'application/xml' },
      });
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers a malformed or over-long URL as a problem too', async () => {
      const badEncoding = await t.http.get('/api/v1/events/%E0%A4%A', {
        headers: { 'x-request-id': 'bad-url-1' },
      });
      expectProblem(badEncoding, 400);
      expect(badEncoding.headers.get('x-request-id')).toBe('bad-url-1');

      const tooLong = await t.http.get(`/api/v1/events/${'a'.repeat(500)}`);
      expectProblem(tooLong, 414);
      expect(tooLong.text).not.toContain('a'.repeat(500));
    });

    it('answers a NUL character in a path or a body with 400, never 500', async () => {
      const inPath = await t.http.get('/api/v1/events/a%00b');
      expectProblem(inPath, 400);
      expectNoInternals(inPath);
      expectProblem(await t.http.get('/api/v1/public/events/a%00b', { token: null }), 400);

      const body = hybridEvent({ title: 'Dialogue\u0000' });
      const inBody = await t.http.post('/api/v1/events', body);
      expectProblem(inBody, 400);
      expectNoInternals(inBody);
      expect(await countEvents(body.slug)).toBe(0);
    });

    it('answers an impossible calendar date with 400, never 500', async () => {
      const body = hybridEvent({ startsAt: '2026-13-45T09:00:00+05:00' });
      const res = await t.http.post('/api/v1/events', body);
      expectProblem(res, 400);
      expectNoInternals(res);
      expect(await countEvents(body.slug)).toBe(0);
    });

    it('answers an unexpected failure with a bare 500 that reveals nothing', async () => {
      // A real failure, not a mocked one: the events table disappears under a running app.
      const database = await createEmptyDatabase('convene_broken');
      const broken = await startTestApp({ DATABASE_URL: database.url });
      try {
        const { body: event } = await broken.http.post('/api/v1/events', hybridEvent());
        expect((await broken.http.get(`/api/v1/events/${event.slug}`)).status).toBe(200);
        await withDatabase(
          (db) => db.query('ALTER TABLE events RENAME TO events_moved_away'),
          database.url,
        );

        const res = await broken.http.get(`/api/v1/events/${event.slug}`, {
          headers: { 'x-request-id': 'broken-1' },
        });
        expectProblem(res, 500, 'INTERNAL');
        expect(res.body.requestId).toBe('broken-1');
        expect(Object.keys(res.body).sort()).toEqual(
          ['code', 'detail', 'requestId', 'status', 'title', 'type'].sort(),
        );
        expectNoInternals(res);
        expect(res.text).not.toMatch(/events_moved_away|does not exist|42P01/);
        // The process carries on.
        expect((await broken.http.get('/health')).status).toBe(200);
      } finally {
        await broken.close();
        await database.drop();
      }
    });
  });

  describe('request ids', () => {
    it('puts an X-Request-Id on every response, a fresh one each time', async () => {
      const responses = [
        await t.http.get('/health'),
        await t.http.get('/health/ready'),
        await t.http.get('/metrics'),
        await t.http.get('/docs'),
        await t.http.get('/docs/openapi.json'),
        await t.http.post('/api/v1/events', hybridEvent()),
        await t.http.get('/api/v1/events', { token: null }),
        await t.http.get('/api/v1/public/events', { token: null }),
        await t.http.get('/nowhere'),
      ];
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 201, 401, 200, 404]);
      const ids = responses.map((r) => r.headers.get('x-request-id'));
      for (const id of ids) expect(id).toMatch(UUID);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('echoes a well-formed incoming X-Request-Id, also in the problem body', async () => {
      const id = `lb-${uniqueSlug('req')}.1_A`;
      const ok = await t.http.get('/health', { headers: { 'x-request-id': id } });
      expect(ok.headers.get('x-request-id')).toBe(id);

      const problem = await t.http.get('/api/v1/events', {
        token: null,
        headers: { 'x-request-id': id },
      });
      expectProblem(problem, 401);
      expect(problem.headers.get('x-request-id')).toBe(id);
      expect(problem.body.requestId).toBe(id);
    });

    it.each([
      ['holds spaces', 'two words'],
      ['holds markup', '<script>alert(1)</script>'],
      ['is over 100 characters', 'x'.repeat(101)],
    ])('replaces an incoming X-Request-Id that %s', async (_, given) => {
      const res = await t.http.get('/nowhere', { headers: { 'x-request-id': given } });
      expect(res.headers.get('x-request-id')).toMatch(UUID);
      expect(res.body.requestId).toBe(res.headers.get('x-request-id'));
      expect(res.text).not.toContain(given);
    });
  });

  describe('health', () => {
    it('answers GET /health with 200 {status: ok}', async () => {
      const res = await t.http.get('/health', { token: null });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('answers GET /health/ready with 200 when the database is up and migrated', async () => {
      const res = await t.http.get('/health/ready', { token: null });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'ok',
        info: {
          process: { status: 'up' },
          database: { status: 'up' },
          migrations: { status: 'up' },
        },
      });
    });

    it('stops being ready while draining, and stays alive', async () => {
      const draining = await startTestApp();
      try {
        expect((await draining.http.get('/health/ready')).status).toBe(200);
        draining.app.get(ShutdownState).beginDraining();

        const ready = await draining.http.get('/health/ready', { token: null });
        expectProblem(ready, 503, 'UNAVAILABLE');
        expect(ready.body.checks).toMatchObject({
          process: { status: 'down' },
          database: { status: 'up' },
        });
        expect((await draining.http.get('/health', { token: null })).status).toBe(200);
        // Work in flight still gets done while the load balancer moves traffic away.
        expect((await draining.http.post('/api/v1/events', hybridEvent())).status).toBe(201);
      } finally {
        await draining.close();
      }
      // Draining is per instance: this app is still ready.
      expect((await t.http.get('/health/ready')).status).toBe(200);
    });
  });

  describe('metrics', () => {
    const requestsLine = (metrics: string, route: string, status: number) =>
      metrics
        .split('\n')
        .find((line) =>
          line.startsWith(
            `convene_http_requests_total{method="GET",route="${route}",status="${status}"}`,
          ),
        );
    const countOf = (line: string | undefined) => (line ? Number(line.split(' ').pop()) : 0);

    it('serves Prometheus text counting requests by route pattern, never by raw URL', async () => {
      const { body: event } = await t.http.post('/api/v1/events', hybridEvent());
      const missing = uniqueSlug('missing');
      const stray = uniqueSlug('stray');
      const cursor = uniqueSlug('cursor');

      const before = await t.http.get('/metrics', { token: null });
      expect(before.status).toBe(200);
      const seenBefore = countOf(requestsLine(before.text, '/api/v1/events/:slug', 200));

      expect((await t.http.get(`/api/v1/events/${event.slug}`)).status).toBe(200);
      expect((await t.http.get(`/api/v1/events/${event.slug}`)).status).toBe(200);
      expect((await t.http.get(`/api/v1/events/${missing}`)).status).toBe(404);
      expect((await t.http.get(`/${stray}`)).status).toBe(404);
      expect((await t.http.get(`/api/v1/events?cursor=${cursor}`)).status).toBe(400);

      const res = await t.http.get('/metrics', { token: null });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(res.text).toContain('# TYPE convene_http_requests_total counter');
      expect(countOf(requestsLine(res.text, '/api/v1/events/:slug', 200))).toBe(seenBefore + 2);
      expect(requestsLine(res.text, '/api/v1/events/:slug', 404)).toBeDefined();
      expect(requestsLine(res.text, 'unmatched', 404)).toBeDefined();
      expect(requestsLine(res.text, '/api/v1/events', 400)).toBeDefined();
      for (const value of [event.slug, missing, stray, cursor]) {
        expect(res.text).not.toContain(value);
      }
      const routes = [...res.text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]);
      for (const route of routes) expect(route).toMatch(/^(unmatched|\/[a-z0-9/:_.*-]*)$/);
      expect(res.text).toMatch(/^convene_process_cpu_seconds_total /m);
    });
  });

  describe('API documentation', () => {
    let doc: any;
    beforeAll(async () => {
      const res = await t.http.get('/docs/openapi.json', { token: null });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      doc = res.body;
    });

    it('describes every API route', () => {
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.paths).toMatchObject({
        '/api/v1/events': { get: expect.any(Object), post: expect.any(Object) },
        '/api/v1/events/{slug}': { get: expect.any(Object), patch: expect.any(Object) },
        '/api/v1/events/{slug}/publish': { post: expect.any(Object) },
        '/api/v1/events/{slug}/cancel': { post: expect.any(Object) },
        '/api/v1/events/{slug}/sessions': { get: expect.any(Object), post: expect.any(Object) },
        '/api/v1/events/{slug}/sessions/{id}': {
          get: expect.any(Object),
          patch: expect.any(Object),
          delete: expect.any(Object),
        },
        '/api/v1/tokens': { get: expect.any(Object), post: expect.any(Object) },
        '/api/v1/tokens/{id}': { delete: expect.any(Object) },
        '/api/v1/public/events': { get: expect.any(Object) },
        '/api/v1/public/events/{slug}': { get: expect.any(Object) },
      });
      expect(Object.keys(doc.paths).filter((p) => p.includes(':'))).toEqual([]);
    });

    it('declares bearer auth, on staff routes only', () => {
      expect(doc.components.securitySchemes.bearer).toMatchObject({
        type: 'http',
        scheme: 'bearer',
      });
      expect(doc.paths['/api/v1/events'].post.security).toEqual([{ bearer: [] }]);
      expect(doc.paths['/api/v1/tokens'].post.security).toEqual([{ bearer: [] }]);
      expect(doc.paths['/api/v1/public/events'].get.security).toBeUndefined();
    });

    it('describes the body of POST /api/v1/events with CreateEventDto', () => {
      const schema = doc.components.schemas.CreateEventDto;
      expect(Object.keys(schema.properties)).toEqual(
        expect.arrayContaining([
          'slug',
          'title',
          'description',
          'timezone',
          'startsAt',
          'endsAt',
          'format',
          'venue',
          'onlineJoinUrl',
          'capacity',
          'registration',
          'languages',
        ]),
      );
      expect(schema.required).toEqual(
        expect.arrayContaining([
          'slug',
          'title',
          'timezone',
          'startsAt',
          'endsAt',
          'format',
          'capacity',
        ]),
      );
      expect(schema.required).not.toContain('description');
      expect(schema.properties.format.enum).toEqual(['in_person', 'online', 'hybrid']);
      expect(
        doc.paths['/api/v1/events'].post.requestBody.content['application/json'].schema,
      ).toEqual({ $ref: '#/components/schemas/CreateEventDto' });
    });

    it('serves the OpenAPI UI at /docs, with every asset it loads', async () => {
      const res = await t.http.get('/docs', { token: null });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.text).toContain('swagger-ui');
      const assets = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(assets.length).toBeGreaterThan(0);
      for (const asset of assets) {
        const response = await fetch(new URL(asset, `${t.baseUrl}/docs`));
        await response.arrayBuffer();
        expect([asset, response.status]).toEqual([asset, 200]);
      }
    });
  });

  describe('rate limits', () => {
    it('limits public calls per address to PUBLIC_RATE_LIMIT a minute', async () => {
      const limited = await startTestApp({ PUBLIC_RATE_LIMIT: '3' });
      try {
        const statuses = [];
        for (let i = 0; i < 3; i++) {
          statuses.push((await limited.http.get('/api/v1/public/events', { token: null })).status);
        }
        expect(statuses).toEqual([200, 200, 200]);
        const fourth = await limited.http.get('/api/v1/public/events', { token: null });
        expectProblem(fourth, 429, 'RATE_LIMITED');
        expectNoInternals(fourth);
        expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
        // The budget is the address's, across public routes, not one per route.
        expectProblem(
          await limited.http.get('/api/v1/public/events/any-slug', { token: null }),
          429,
        );

        // Liveness, readiness and metrics are never limited.
        for (let i = 0; i < 10; i++) {
          expect((await limited.http.get('/health', { token: null })).status).toBe(200);
        }
        for (let i = 0; i < 5; i++) {
          expect((await limited.http.get('/health/ready', { token: null })).status).toBe(200);
          expect((await limited.http.get('/metrics', { token: null })).status).toBe(200);
        }
        // Staff routes are authenticated, not limited.
        for (let i = 0; i < 10; i++) {
          expect((await limited.http.get('/api/v1/events?limit=1')).status).toBe(200);
        }
        // The public route is still refused.
        expectProblem(await limited.http.get('/api/v1/public/events', { token: null }), 429);
      } finally {
        await limited.close();
      }
    });

    it('does not limit at all with PUBLIC_RATE_LIMIT=0', async () => {
      expect(t.config.publicRateLimit).toBe(0);
      for (let i = 0; i < 10; i++) {
        const res = await t.http.get('/api/v1/public/events', { token: null });
        expect(res.status).toBe(200);
      }
    });
  });
});
