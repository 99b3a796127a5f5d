// The compiled service as a child process, the way a user runs it (`node dist/src/main.js`,
// production mode), that a drill can kill, stop and start again on the same port.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort, HOST, POOL_SIZE, ROOT } from '../../bench/lib/harness.mjs';
import { request } from '../../bench/lib/load.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** GET /health/ready once: its status, or 0 when nothing answers. */
export function readiness(url, timeoutMs = 2000) {
  return request({ url: `${url}/health/ready`, timeoutMs }).then(
    (r) => r.status,
    () => 0,
  );
}

export class ServiceProcess {
  /** What the last run wrote (its last 200 lines), to show when something fails. */
  output = [];
  /** Every error-level line it wrote (pino level 50 and up, or not JSON at all). */
  errors = [];
  child;
  /** Resolves with { code, signal } when the current child exits. */
  exited;
  exitStatus;
  starts = 0;

  /**
   * `env` is added to the production environment below; `name` labels its output.
   * The port is chosen once and kept across restarts, as a load balancer would expect.
   */
  constructor({ name = 'service', databaseUrl, env = {}, port, adminToken }) {
    this.name = name;
    this.databaseUrl = databaseUrl;
    this.extraEnv = env;
    this.port = port;
    this.adminToken = adminToken ?? `drill-${randomBytes(24).toString('hex')}`;
  }

  static async start(options) {
    const service = new ServiceProcess({ ...options, port: options.port ?? (await freePort()) });
    await service.start();
    return service;
  }

  get url() {
    return `http://${HOST}:${this.port}`;
  }

  get running() {
    return this.child !== undefined && this.exitStatus === undefined;
  }

  get pid() {
    return this.child?.pid;
  }

  /** Spawns the service and waits until /health/ready answers 200. */
  async start({ timeoutMs = 60_000 } = {}) {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.starts += 1;
    this.exitStatus = undefined;
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        ADMIN_TOKEN: this.adminToken,
        DATABASE_URL: this.databaseUrl,
        DATABASE_POOL_SIZE: String(POOL_SIZE),
        PUBLIC_RATE_LIMIT: '0',
        LOG_LEVEL: process.env.DRILL_LOG_LEVEL ?? 'warn',
        HOST,
        PORT: String(this.port),
        PUBLIC_URL: `http://${HOST}:${this.port}`,
        DATA_DIR: join(ROOT, '.data', 'drill'),
        ...this.extraEnv,
      },
    });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        const lines = parts.map((line) => `[${this.name}#${this.starts}] ${line}`);
        this.output.push(...lines);
        this.errors.push(...lines.filter((line) => !/"level":[1-4]\d,/.test(line)));
        if (this.output.length > 200) this.output.splice(0, this.output.length - 200);
      });
    }
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitStatus = { code, signal };
        resolve(this.exitStatus);
      }),
    );
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exitStatus) {
        throw new Error(
          `${this.name} exited (${JSON.stringify(this.exitStatus)}) before it was ready:\n` +
            this.output.slice(-30).join('\n'),
        );
      }
      if (Date.now() > deadline) {
        await this.kill('SIGKILL');
        throw new Error(`${this.name} not ready within ${timeoutMs} ms`);
      }
      if ((await readiness(this.url, 1000)) === 200) return;
      await sleep(100);
    }
  }

  /** Sends `signal` and waits for the exit; resolves with { code, signal }. */
  async kill(signal) {
    if (!this.running) return this.exitStatus;
    this.child.kill(signal);
    return this.exited;
  }

  /** Sends a signal without waiting (the drill watches what happens meanwhile). */
  signal(signal) {
    this.child.kill(signal);
  }

  /** For the end of a drill: SIGTERM, and SIGKILL if it has not exited after 15 s. */
  async stop() {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}
