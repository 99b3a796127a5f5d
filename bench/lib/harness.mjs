// The pieces every benchmark shares: a scratch PostgreSQL, the compiled service as a child
// process in production mode, and a run wrapper that stops everything at the end (even on a
// failure, a signal or the time limit). Plain ESM over dist/, so `npm run build` is the only step.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from './load.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

/** Everything listens on the loopback interface only. */
export const HOST = '127.0.0.1';
/** The service's default pool size; the raw baselines use a pool of the same size. */
export const POOL_SIZE = 10;

function dist(path) {
  try {
    return require(join(ROOT, 'dist', path));
  } catch (error) {
    throw new Error(`Cannot load dist/${path}: run \`npm run build\` first (${error.message})`, {
      cause: error,
    });
  }
}

export const freePort = () => dist('src/database/scratch-database.js').freePort();

/** A throwaway PostgreSQL (fsync off, as in the tests) for the whole benchmark. */
export async function startPostgres(database = 'convene_bench') {
  // The embedded-postgres helper logs through Nest's logger: keep only warnings and errors.
  require('@nestjs/common').Logger.overrideLogger(['error', 'warn']);
  return dist('src/database/scratch-database.js').startScratchPostgres(database);
}

/** Keeps the last lines a child wrote, to show when it fails. */
function tail(stream, lines) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
    if (lines.length > 50) lines.splice(0, lines.length - 50);
  });
}

/**
 * Spawns a node script as a child and waits until `readyPath` answers 200. Returns its URL and
 * a `stop()` that sends SIGTERM, then SIGKILL after 15 s.
 */
export async function startChild({ name, args, env, port, readyPath, timeoutMs = 60_000 }) {
  const output = [];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  tail(child.stdout, output);
  tail(child.stderr, output);
  let exited = null;
  const exit = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    }),
  );
  const url = `http://${HOST}:${port}`;
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      throw new Error(
        `${name} exited (${JSON.stringify(exited)}) before it was ready:\n${output.join('\n')}`,
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} was not ready within ${timeoutMs} ms:\n${output.join('\n')}`);
    }
    const status = await request({ url: url + readyPath, timeoutMs: 2000 }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, child, stop, output };
}

/**
 * The service the way a user runs it: `node dist/src/main.js`, production mode, on the given
 * database. BENCH_CPU_PROF=<dir> profiles it (`--cpu-prof`, written when it exits).
 */
export async function startService(databaseUrl, extraEnv = {}) {
  const port = await freePort();
  const adminToken = `bench-${randomBytes(24).toString('hex')}`;
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF]
    : [];
  const service = await startChild({
    name: 'the service',
    args: [...profile, 'dist/src/main.js'],
    port,
    readyPath: '/health/ready',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      ADMIN_TOKEN: adminToken,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      PUBLIC_RATE_LIMIT: '0',
      MAIL_WORKER: 'false',
      LOG_LEVEL: 'warn',
      HOST,
      PORT: String(port),
      PUBLIC_URL: `http://${HOST}:${port}`,
      DATA_DIR: join(ROOT, '.data', 'bench'),
      ...extraEnv,
    },
  });
  return { ...service, adminToken };
}

/**
 * Runs a benchmark: `body(cleanup)` registers what to stop with `cleanup(fn)` and returns a
 * `report()` that prints the table and the JSON line. Cleanups run in reverse order before the
 * report, so the JSON line is the last thing printed. A time limit (BENCH_TIMEOUT_MS, default
 * 10 minutes) and SIGINT/SIGTERM stop everything too.
 */
export async function runBenchmark(name, body) {
  const cleanups = [];
  let cleaning;
  const cleanAll = () =>
    (cleaning ??= (async () => {
      for (const fn of cleanups.reverse()) {
        await fn().catch((error) => console.error(`cleanup failed: ${error.message}`));
      }
    })());
  const fail = async (why) => {
    console.error(`${name}: ${why}`);
    await cleanAll();
    console.log(JSON.stringify({ bench: name, correct: false, error: String(why) }));
    process.exit(1);
  };
  const limitMs = Number(process.env.BENCH_TIMEOUT_MS ?? 600_000);
  const timer = setTimeout(
    () => void fail(`stopped after the time limit of ${limitMs} ms`),
    limitMs,
  );
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => void fail(`interrupted by ${signal}`));
  }
  let report;
  try {
    report = await body((fn) => cleanups.push(fn));
  } catch (error) {
    await fail(error?.stack ?? error);
  } finally {
    await cleanAll();
    clearTimeout(timer);
  }
  const result = report();
  process.exitCode = result.correct ? 0 : 1;
}
