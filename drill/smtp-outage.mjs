// The mail server refuses connections for 60 s in the middle of a 2,000-email burst, then
// comes back: every email must arrive, none twice.
import { connect } from 'node:net';
import pg from 'pg';
import { HOST } from '../bench/lib/harness.mjs';
import { keepAliveAgent } from '../bench/lib/load.mjs';
import { DrillPostgres } from './lib/postgres.mjs';
import { ServiceProcess } from './lib/service.mjs';
import { SmtpSink } from './lib/smtp-sink.mjs';
import {
  checkSinkAgainstOutbox,
  emailIds,
  publishedEvent,
  registrationFacts,
  runId,
  rush,
  sleep,
  waitUntil,
} from './lib/workload.mjs';

const EMAILS = Number(process.env.DRILL_OUTAGE_EMAILS ?? 2000);
const CONCURRENCY = 40;
const OUTAGE_MS = Number(process.env.DRILL_OUTAGE_MS ?? 60_000);
/** The outage starts once this many emails have arrived: in the middle of the burst. */
const OUTAGE_AFTER = Math.floor(EMAILS / 4);
/** After the sink is back, how long the retries may take (backoff of up to ~80 s, then the rest). */
const RECOVERY_LIMIT_MS = 240_000;

/** Whether a TCP connection to the port is refused (the outage is real, not a slow server). */
const refused = (port) =>
  new Promise((resolve) => {
    const socket = connect(port, HOST);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error) => resolve(error.code === 'ECONNREFUSED'));
  });

export default {
  name: 'smtp-outage',
  description: `SMTP refuses connections for ${OUTAGE_MS / 1000} s in the middle of a ${EMAILS}-email burst`,
  async run(ctx) {
    const database = await DrillPostgres.start();
    ctx.cleanup(() => database.destroy());
    const sink = await SmtpSink.start();
    ctx.cleanup(() => sink.close());
    const service = ctx.own(
      await ServiceProcess.start({ databaseUrl: database.url, env: { SMTP_URL: sink.url } }),
    );
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    ctx.cleanup(() => pool.end());
    const agent = keepAliveAgent(CONCURRENCY);
    ctx.cleanup(async () => agent.destroy());

    const run = runId();
    // Everyone confirmed: one registration_confirmed email each.
    const event = await publishedEvent(service, {
      slug: `drill-smtp-${run}`,
      inPerson: EMAILS,
      online: EMAILS,
    });
    ctx.log(
      `service pid ${service.pid} up; ${EMAILS} registrations from ${CONCURRENCY} clients, each one email`,
    );
    const rushDone = rush({
      count: EMAILS,
      concurrency: CONCURRENCY,
      run,
      slug: event.slug,
      urlOf: () => service.url,
      agent,
      deadlineMs: 240_000,
    });

    await sink.waitFor(
      () => sink.total >= OUTAGE_AFTER,
      120_000,
      `${OUTAGE_AFTER} emails at the sink`,
    );
    await sink.refuse();
    const downAt = Date.now();
    ctx.log(
      `${sink.total} emails at the sink; the SMTP server goes down for ${OUTAGE_MS / 1000} s`,
    );
    const refusedWhileDown = await refused(sink.port);
    await sleep(OUTAGE_MS / 2);
    const { rows: duringRows } = await pool.query(
      `SELECT count(*) FILTER (WHERE attempts > 1 OR (status = 'queued' AND attempts = 1))::int AS retried
         FROM emails WHERE event_id = $1`,
      [event.id],
    );
    await sleep(downAt + OUTAGE_MS - Date.now());
    const acceptedWhileDown = sink.accepted.filter((m) => m.at > downAt).length;
    await sink.accept();
    const upAt = Date.now();
    const { answers } = await rushDone;
    ctx.log(
      `the SMTP server is back; ${sink.total} at the sink; registrations answered: ${JSON.stringify(answers)}`,
    );

    // Self-checks: the outage was real and the worker met it (or the drill proves nothing).
    ctx.check(refusedWhileDown, 'the SMTP port refused connections during the outage');
    ctx.check(
      acceptedWhileDown === 0,
      'the sink accepted nothing during the outage',
      `${acceptedWhileDown}`,
    );
    ctx.check(
      duringRows[0].retried > 0,
      'the worker met the outage (emails waiting to retry)',
      `${duringRows[0].retried} emails`,
    );

    const facts = await registrationFacts(pool, event.id);
    // Catches registrations that failed because the mail server was down (the outbox decouples them).
    ctx.check(
      facts.registrations === EMAILS && facts.emails === EMAILS,
      `${EMAILS} registrations, each with its email queued`,
      `${facts.registrations} registrations, ${facts.emails} emails`,
    );

    const allSent = await waitUntil(
      async () => {
        const f = await registrationFacts(pool, event.id);
        return f.emails_sent === f.emails && sink.distinct >= f.emails;
      },
      RECOVERY_LIMIT_MS,
      1000,
    );
    const after = await registrationFacts(pool, event.id);
    const { rows } = await pool.query(
      `SELECT count(*) FILTER (WHERE status = 'failed')::int AS failed, max(attempts)::int AS max_attempts
         FROM emails WHERE event_id = $1`,
      [event.id],
    );
    ctx.log(
      `drained ${((Date.now() - upAt) / 1000).toFixed(1)} s after the SMTP server came back; most attempts for one email: ${rows[0].max_attempts}`,
    );
    // Catches emails given up during a transient outage (marked failed, or never retried).
    ctx.check(
      allSent && rows[0].failed === 0,
      'every email sent after the outage, none failed',
      `${after.emails_sent}/${after.emails} sent, ${rows[0].failed} failed`,
    );
    checkSinkAgainstOutbox(ctx, sink, await emailIds(pool, event.id));
  },
};
