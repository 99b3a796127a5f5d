// http-floor: GET /health and GET /api/v1/public/events/:slug against the service and against a
// bare Fastify server (a separate process too) answering the same JSON bodies verbatim, at the
// same concurrency and count. ratio = service ops/s / bare ops/s.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  runBenchmark,
  startChild,
  startPostgres,
  startService,
  ROOT,
} from './lib/harness.mjs';
import {
  drive,
  keepAliveAgent,
  request,
  RESULT_HEADERS,
  resultRow,
  round,
  table,
} from './lib/load.mjs';

const NAME = 'http-floor';
const CONCURRENCY = Number(process.env.FLOOR_CONCURRENCY ?? 50);
const REQUESTS = Number(process.env.FLOOR_REQUESTS ?? 20_000);
const WARMUP = 2000;
const GOAL_RATIO = 0.5;

function eventBody(slug) {
  const day = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  return {
    slug,
    title: 'National dialogue on drug policy',
    description: 'A day of panels, in Astana and online.',
    timezone: 'Asia/Almaty',
    startsAt: `${day}T09:00:00+05:00`,
    endsAt: `${day}T17:00:00+05:00`,
    format: 'hybrid',
    venue: { name: 'Palace of Independence', address: 'Tauelsizdik Ave 52, Astana' },
    onlineJoinUrl: 'https://meet.example.org/j/123',
    capacity: { inPerson: 300, online: 2000 },
    registration: { requiresApproval: false, waitlist: true, maxDelegationSize: 10 },
    languages: ['en', 'ru', 'kk'],
  };
}

function session(day, from, to, title) {
  return {
    title,
    startsAt: `${day}T${from}:00:00+05:00`,
    endsAt: `${day}T${to}:00:00+05:00`,
    room: 'Hall A',
    speakers: ['Dr. A. Seitkali', 'Айгерім Нұрланқызы'],
  };
}

await runBenchmark(NAME, async (cleanup) => {
  const database = await startPostgres();
  cleanup(() => database.stop());
  const service = await startService(database.url);
  cleanup(() => service.stop());

  // A published event with a small agenda, so the public view reads more than one row.
  const slug = `floor-${randomBytes(3).toString('hex')}`;
  const auth = { authorization: `Bearer ${service.adminToken}` };
  const body = eventBody(slug);
  const created = await request({
    url: `${service.url}/api/v1/events`,
    method: 'POST',
    body,
    headers: auth,
  });
  if (created.status !== 201) throw new Error(`event not created: ${created.text}`);
  const day = body.startsAt.slice(0, 10);
  for (const [from, to, title] of [
    ['09', '10', 'Opening plenary'],
    ['10', '12', 'Panel: harm reduction in Central Asia'],
    ['13', '15', 'Working groups'],
  ]) {
    const s = await request({
      url: `${service.url}/api/v1/events/${slug}/sessions`,
      method: 'POST',
      body: session(day, from, to, title),
      headers: auth,
    });
    if (s.status !== 201) throw new Error(`session not created: ${s.text}`);
  }
  const published = await request({
    url: `${service.url}/api/v1/events/${slug}/publish`,
    method: 'POST',
    headers: auth,
  });
  if (published.status !== 200) throw new Error(`event not published: ${published.text}`);

  // The bodies the bare server serves: fetched once from the service, served verbatim.
  const endpoints = [
    { name: 'GET /health', path: '/health' },
    { name: 'GET /api/v1/public/events/:slug', path: `/api/v1/public/events/${slug}` },
  ];
  for (const endpoint of endpoints) {
    const res = await request({ url: service.url + endpoint.path });
    if (res.status !== 200) throw new Error(`${endpoint.path} answered ${res.status}: ${res.text}`);
    Object.assign(endpoint, { body: res.text, contentType: res.headers['content-type'] });
  }
  const folder = await mkdtemp(join(tmpdir(), 'convene-bench-'));
  cleanup(() => rm(folder, { recursive: true, force: true }));
  const routesFile = join(folder, 'routes.json');
  await writeFile(
    routesFile,
    JSON.stringify(
      endpoints.map((e) => ({
        path: e.path,
        status: 200,
        contentType: e.contentType,
        body: e.body,
      })),
    ),
  );
  const barePort = await freePort();
  const bare = await startChild({
    name: 'the bare Fastify server',
    args: [join(ROOT, 'bench', 'lib', 'bare-server.mjs'), String(barePort), routesFile],
    port: barePort,
    readyPath: '/ready',
    env: { PATH: process.env.PATH, NODE_ENV: 'production' },
  });
  cleanup(() => bare.stop());

  const agent = keepAliveAgent(CONCURRENCY);
  cleanup(async () => agent.destroy());
  const load = (base, endpoint, count) =>
    drive({
      concurrency: CONCURRENCY,
      count,
      operation: async () => {
        const res = await request({ url: base + endpoint.path, agent });
        // Same answer as the one served verbatim, or it does not count.
        return res.status === 200 && res.text === endpoint.body ? 'same' : `status ${res.status}`;
      },
      expected: ['same'],
    });

  const results = [];
  for (const endpoint of endpoints) {
    await load(service.url, endpoint, WARMUP);
    await load(bare.url, endpoint, WARMUP);
    const measured = await load(service.url, endpoint, REQUESTS);
    const baseline = await load(bare.url, endpoint, REQUESTS);
    results.push({ endpoint, measured, baseline, ratio: measured.opsPerS / baseline.opsPerS });
  }

  return () => {
    // Over both endpoints: total requests over total time, for each side.
    const total = (side) =>
      results.reduce((sum, r) => sum + r[side].operations, 0) /
      results.reduce((sum, r) => sum + r[side].seconds, 0);
    const ops = total('measured');
    const bareOps = total('baseline');
    const ratio = ops / bareOps;
    const correct = results.every(
      (r) =>
        r.measured.complete &&
        r.measured.failed === 0 &&
        r.baseline.complete &&
        r.baseline.failed === 0,
    );
    const goalMet = results.every((r) => r.ratio >= GOAL_RATIO);
    console.log(
      `\n${NAME}: ${REQUESTS} requests per endpoint and side, ${CONCURRENCY} concurrent keep-alive clients\n`,
    );
    const rows = [];
    for (const r of results) {
      rows.push(resultRow(`service  ${r.endpoint.name}`, r.measured));
      rows.push(resultRow(`bare     ${r.endpoint.name}`, r.baseline));
    }
    console.log(table(RESULT_HEADERS, rows));
    console.log();
    console.log(
      table(
        ['goal', 'target', 'measured', 'met'],
        [
          ...results.map((r) => [
            `ratio ${r.endpoint.name}`,
            `>= ${GOAL_RATIO}`,
            round(r.ratio, 3),
            r.ratio >= GOAL_RATIO ? 'yes' : 'NO',
          ]),
          [
            'ratio, both endpoints',
            `>= ${GOAL_RATIO}`,
            round(ratio, 3),
            ratio >= GOAL_RATIO ? 'yes' : 'NO',
          ],
          ['correct (identical answers)', 'true', correct, correct ? 'yes' : 'NO'],
        ],
      ),
    );
    const result = {
      bench: NAME,
      ops_per_s: round(ops),
      p50_ms: round(Math.max(...results.map((r) => r.measured.p50)), 2),
      p99_ms: round(Math.max(...results.map((r) => r.measured.p99)), 2),
      baseline_ops_per_s: round(bareOps),
      ratio: round(ratio, 3),
      correct,
      goal_ratio_met: goalMet,
      concurrency: CONCURRENCY,
      requests_per_endpoint: REQUESTS,
      endpoints: Object.fromEntries(
        results.map((r) => [
          r.endpoint.path.startsWith('/health') ? 'health' : 'public_event',
          {
            ops_per_s: round(r.measured.opsPerS),
            p50_ms: round(r.measured.p50, 2),
            p99_ms: round(r.measured.p99, 2),
            baseline_ops_per_s: round(r.baseline.opsPerS),
            baseline_p99_ms: round(r.baseline.p99, 2),
            ratio: round(r.ratio, 3),
          },
        ]),
      ),
    };
    console.log(JSON.stringify(result));
    return result;
  };
});
