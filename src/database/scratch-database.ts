import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A throwaway PostgreSQL in a temporary directory, for tests and migration tooling. Durability
 * is switched off: nothing here needs to survive a crash, and it makes the suite faster.
 */
export async function startScratchPostgres(database: string): Promise<EmbeddedDatabase> {
  const root = await mkdtemp(join(tmpdir(), 'convene-pg-'));
  const cluster = await startEmbeddedPostgres({
    directory: join(root, 'data'),
    port: await freePort(),
    database,
    persistent: false,
    serverFlags: [
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
    ],
  });
  return {
    ...cluster,
    stop: async () => {
      await cluster.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
