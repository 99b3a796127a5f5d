// A scratch PostgreSQL that a drill can stop and start again on the same data directory and
// port, as a database server restart looks to its clients (a fast shutdown: sessions are ended
// with "terminating connection due to administrator command", then connections are refused).
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT } from '../../bench/lib/harness.mjs';

const require = createRequire(import.meta.url);
const FLAGS = [
  '-c',
  'fsync=off',
  '-c',
  'synchronous_commit=off',
  '-c',
  'full_page_writes=off',
  '-c',
  'max_connections=300',
];

export class DrillPostgres {
  #cluster;

  static async start(database = 'convene_drill') {
    // The embedded-postgres helper logs through Nest's logger: keep only warnings and errors.
    require('@nestjs/common').Logger.overrideLogger(['error', 'warn']);
    const pg = new DrillPostgres();
    pg.database = database;
    pg.root = await mkdtemp(join(tmpdir(), 'convene-drill-pg-'));
    pg.port = await freePort();
    await pg.startAgain();
    return pg;
  }

  get running() {
    return this.#cluster !== undefined;
  }

  /** Starts the server on the same data directory and port (initialising it the first time). */
  async startAgain() {
    const { startEmbeddedPostgres } = require(
      join(ROOT, 'dist', 'src', 'database', 'embedded-postgres.js'),
    );
    this.#cluster = await startEmbeddedPostgres({
      directory: join(this.root, 'data'),
      port: this.port,
      database: this.database,
      persistent: true,
      serverFlags: FLAGS,
    });
    this.url = this.#cluster.url;
  }

  /** Fast shutdown (SIGINT to the postmaster); the data directory stays. */
  async stopServer() {
    const cluster = this.#cluster;
    this.#cluster = undefined;
    await cluster?.stop();
  }

  /** Stops the server and removes its data directory. */
  async destroy() {
    await this.stopServer();
    await rm(this.root, { recursive: true, force: true });
  }
}
