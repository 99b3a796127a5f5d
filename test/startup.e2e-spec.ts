import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import pino from 'pino';
import { createApp } from '../src/app.factory';
import { createEmptyDatabase } from './helpers/databases';
import { hybridEvent } from './helpers/factories';
import {
  HttpClient,
  startTestApp,
  TestApp,
  testConfig,
  testDatabaseUrl,
  withDatabase,
} from './helpers/test-app';

const MIGRATION_FILES = readdirSync(join(__dirname, '..', 'migrations')).filter((file) =>
  file.endsWith('.ts'),
);

/** Polls `condition` every 20 ms until it holds, failing after `timeoutMs`. */
async function waitFor(
  what: string,
  condition: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface LogLine {
  level: number;
  msg?: string;
  context?: string;
}

/** Like startTestApp, but keeping what the app logs at warn level and above in `logs`. */
async function startLoggedApp(env: NodeJS.ProcessEnv, logs: LogLine[]): Promise<TestApp> {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        logs.push(JSON.parse(line) as LogLine);
      }
      done();
    },
  });
  const config = testConfig(env);
  const app = await createApp(config, pino({ level: 'warn' }, sink));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;
  return { app, config, baseUrl, http: new HttpClient(baseUrl), close: () => app.close() };
}

describe('startup and shutdown', () => {
  it('starts two instances at once on an empty database: both ready, migrations run once', async () => {
    expect(MIGRATION_FILES.length).toBeGreaterThan(0);
    const database = await createEmptyDatabase('convene_startup');
    try {
      const tables = await withDatabase(
        async (db) =>
          (await db.query(`SELECT 1 FROM pg_tables WHERE schemaname = 'public'`)).rowCount,
        database.url,
      );
      expect(tables).toBe(0);

      const logs: LogLine[] = [];
      const apps = await Promise.all([
        startLoggedApp({ DATABASE_URL: database.url }, logs),
        startLoggedApp({ DATABASE_URL: database.url }, logs),
      ]);
      try {
        // Neither instance failed and retried on the way: they took turns at the migrations.
        // (Two apps in one process make @nestjs/typeorm warn about its name registry: that is
        // a warning, not an error, and does not happen with one app per process.)
        expect(logs.filter((line) => line.level >= 50)).toEqual([]);
        for (const app of apps) {
          const ready = await app.http.get('/health/ready', { token: null });
          expect(ready.status).toBe(200);
          expect(ready.body.info).toMatchObject({
            database: { status: 'up' },
            migrations: { status: 'up' },
          });
        }

        const migrations = await withDatabase(
          async (db) =>
            (await db.query<{ name: string; timestamp: string }>('SELECT * FROM migrations')).rows,
          database.url,
        );
        expect(migrations).toHaveLength(MIGRATION_FILES.length);
        const names = migrations.map((m) => m.name);
        expect(new Set(names).size).toBe(names.length);
        // Each file's migration class is named <Name><timestamp>, the file <timestamp>-<Name>.ts.
        const expected = MIGRATION_FILES.map((file) => {
          const [, timestamp, name] = /^(\d+)-(.+)\.ts$/.exec(file) as RegExpExecArray;
          return `${name}${timestamp}`;
        });
        expect(names.sort()).toEqual(expected.sort());

        // Both serve the same data: what one writes, the other reads.
        const created = await apps[0].http.post('/api/v1/events', hybridEvent());
        expect(created.status).toBe(201);
        const read = await apps[1].http.get(`/api/v1/events/${created.body.slug}`);
        expect(read.status).toBe(200);
        expect(read.body.id).toBe(created.body.id);
      } finally {
        await Promise.all(apps.map((app) => app.close()));
      }
    } finally {
      await database.drop();
    }
  });

  it('finishes a request in flight when closed, then stops', async () => {
    const t = await startTestApp();
    const { body: event } = await t.http.post('/api/v1/events', hybridEvent());
    expect(event.slug).toBeDefined();

    // Hold the event's row lock, so the PATCH below waits inside its transaction.
    const locker = new Client({ connectionString: testDatabaseUrl() });
    locker.on('error', () => undefined); // the cluster may stop first if the test fails
    await locker.connect();
    let closed = false;
    let closing: Promise<void> | undefined;
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM events WHERE slug = $1 FOR UPDATE', [event.slug]);
      const lockerPid = (await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
        .rows[0].pid;

      const patch = t.http.patch(`/api/v1/events/${event.slug}`, {
        title: 'Renamed during shutdown',
      });
      await waitFor('the PATCH to wait on the row lock', async () => {
        const { rows } = await withDatabase((db) =>
          db.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
            [lockerPid],
          ),
        );
        return rows[0].n > 0;
      });

      closing = t.close().then(() => {
        closed = true;
      });
      // While the request is in flight the app does not finish closing...
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(closed).toBe(false);
      // ...and takes no new connections.
      const refused = await fetch(`${t.baseUrl}/health`).then(
        (res) => res.status,
        () => 'refused',
      );
      expect([503, 'refused']).toContain(refused);

      await locker.query('COMMIT');
      const res = await patch;
      expect(res.status).toBe(200);
      expect(res.body.title).toBe('Renamed during shutdown');
      // Once the last response is out, close() finishes promptly: the client's keep-alive
      // connection does not hold it open (Fastify's keepAliveTimeout is 72 s).
      await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      expect(closed).toBe(true);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
      if (!closed) {
        t.app.getHttpServer().closeAllConnections();
        await (closing ?? t.close()).catch(() => undefined);
      }
    }

    const stored = await withDatabase((db) =>
      db.query<{ title: string }>('SELECT title FROM events WHERE slug = $1', [event.slug]),
    );
    expect(stored.rows[0].title).toBe('Renamed during shutdown');
  });
});
