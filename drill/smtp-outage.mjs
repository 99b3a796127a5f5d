// The mail server refuses connections for 60 s in the middle of a 2,000-email burst, then
// comes back: every email must arrive, none twice.
import { connect } from 'node:net';
import { HOST } from '../bench/lib/harness.mjs';
import { request } from '../bench/lib/load.mjs';
import { observers, startBackends, startOwnedService } from './lib/stage.mjs';
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

/** People registering (one confirmation each); each of CHANGES venue changes tells them all. */
const PEOPLE = 500;
const CHANGES = 3;
const EMAILS = PEOPLE * (1 + CHANGES);
const CONCURRENCY = 20;
const OUTAGE_MS = Number(process.env.DRILL_OUTAGE_MS ?? 60_000);
/** The outage starts once this many emails have arrived: in the middle of the burst. */
const OUTAGE_AFTER = Math.floor(EMAILS / 3);
/** After the sink is back, how long the retries may take (backoff of up to ~80 s, then the rest). */
const RECOVERY_LIMIT_MS = 300_000;

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
  // Most of it is the outage and the backoff after it: run.mjs runs it beside the others.
  waitsMostly: true,
  description: `SMTP refuses connections for ${OUTAGE_MS / 1000} s in the middle of a ${EMAILS}-email burst (${PEOPLE} confirmations, then ${CHANGES} venue changes told to all)`,
  async run(ctx) {
    const { database, sink } = await startBackends(ctx);
    const service = await startOwnedService(ctx, { database, sink });
    const { pool, agent } = observers(ctx, database, CONCURRENCY);

    const run = runId();
    const event = await publishedEvent(service, {
      slug: `drill-smtp-${run}`,
      inPerson: PEOPLE,
      online: PEOPLE,
    });
    ctx.log(`service pid ${service.pid} up; ${PEOPLE} registrations from ${CONCURRENCY} clients`);
    const { answers } = await rush({
      count: PEOPLE,
      concurrency: CONCURRENCY,
      run,
      slug: event.slug,
      urlOf: () => service.url,
      agent,
      deadlineMs: 240_000,
    });
    // The burst: each venue change queues one event_updated email per registrant at once.
    for (let change = 1; change <= CHANGES; change++) {
      const res = await request({
        url: `${service.url}/api/v1/events/${event.slug}`,
        method: 'PATCH',
        headers: { authorization: `Bearer ${service.adminToken}` },
        body: { venue: { name: `Hall ${change}` } },
      });
      if (res.status !== 200) throw new Error(`venue change refused: ${res.status} ${res.text}`);
    }
    ctx.log(
      `registrations answered ${JSON.stringify(answers)}; ${CHANGES} venue changes: ${EMAILS} emails queued in all`,
    );

    await sink.waitFor(
      () => sink.total >= OUTAGE_AFTER,
      240_000,
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
    ctx.log(`the SMTP server is back; ${sink.total} at the sink`);

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
    // Catches an email never queued (a registration or a change that did not tell everyone).
    ctx.check(
      facts.registrations === PEOPLE && facts.emails === EMAILS,
      `${PEOPLE} registrations and ${EMAILS} emails queued`,
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
