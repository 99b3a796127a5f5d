// What every drill stands on, each part cleaned up when the drill ends (ctx.cleanup/ctx.own).
import pg from 'pg';
import { keepAliveAgent } from '../../bench/lib/load.mjs';
import { DrillPostgres } from './postgres.mjs';
import { ServiceProcess } from './service.mjs';
import { SmtpSink } from './smtp-sink.mjs';

/** A PostgreSQL of its own and an SMTP sink that counts by Message-ID. */
export async function startBackends(ctx) {
  const database = await DrillPostgres.start();
  ctx.cleanup(() => database.destroy());
  const sink = await SmtpSink.start();
  ctx.cleanup(() => sink.close());
  return { database, sink };
}

/** The compiled service as a child process, sending to the sink; the drill owns (kills) it. */
export async function startOwnedService(ctx, { database, sink }, { name, env = {} } = {}) {
  return ctx.own(
    await ServiceProcess.start({
      name,
      databaseUrl: database.url,
      env: { SMTP_URL: sink.url, ...env },
    }),
  );
}

/** The drill's own eyes: a small pool on the database and a keep-alive agent for its clients. */
export function observers(ctx, database, concurrency) {
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  // Its idle connections die with a stopped server; that is the drill, not a failure.
  pool.on('error', () => undefined);
  ctx.cleanup(() => pool.end());
  const agent = keepAliveAgent(concurrency);
  ctx.cleanup(async () => agent.destroy());
  return { pool, agent };
}
