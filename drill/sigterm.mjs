// SIGTERM during a registration rush: the service must stop taking traffic (readiness 503 at
// once), finish what it has started, and exit 0 within 10 s.
import { readiness } from './lib/service.mjs';
import { observers, startBackends, startOwnedService } from './lib/stage.mjs';
import {
  missingRegistrations,
  publishedEvent,
  registrationFacts,
  runId,
  rush,
  sleep,
  waitUntil,
} from './lib/workload.mjs';

const COUNT = 600;
const CONCURRENCY = 30;
/** What a deployment behind a load balancer would set: readiness fails this long first. */
const GRACE_MS = 1500;
const EXIT_LIMIT_MS = 10_000;

export default {
  name: 'sigterm',
  description: `SIGTERM during a rush of ${COUNT} registrations from ${CONCURRENCY} clients (SHUTDOWN_GRACE_MS=${GRACE_MS})`,
  async run(ctx) {
    const { database, sink } = await startBackends(ctx);
    const service = await startOwnedService(
      ctx,
      { database, sink },
      {
        env: { SHUTDOWN_GRACE_MS: String(GRACE_MS) },
      },
    );
    const { pool, agent } = observers(ctx, database, CONCURRENCY);

    const run = runId();
    const event = await publishedEvent(service, {
      slug: `drill-term-${run}`,
      inPerson: 100,
      online: 200,
    });
    ctx.log(`service pid ${service.pid} up; rush of ${COUNT} from ${CONCURRENCY} clients`);

    let signalAt = Infinity;
    let answered = 0;
    const seen = [];
    const rushDone = rush({
      count: COUNT,
      concurrency: CONCURRENCY,
      run,
      slug: event.slug,
      urlOf: () => service.url,
      agent,
      deadlineMs: 60_000,
      stopped: () => !service.running,
      onAnswer: (a) => {
        seen.push(a);
        if (a.status === 201) answered += 1;
      },
    });
    await waitUntil(() => answered >= COUNT / 4, 60_000, 20);
    ctx.log(`${answered} registered; SIGTERM to pid ${service.pid}`);
    signalAt = Date.now();
    service.signal('SIGTERM');
    // Readiness as a load balancer sees it from the signal on, every 50 ms, until the port closes.
    const probes = [];
    while (service.running && Date.now() < signalAt + EXIT_LIMIT_MS) {
      const at = Date.now();
      const status = await readiness(service.url, 500);
      probes.push({ at, status });
      if (status === 0) break;
      await sleep(50);
    }
    const exitTimer = sleep(EXIT_LIMIT_MS + 5000);
    const exit = await Promise.race([service.exited, exitTimer.then(() => undefined)]);
    const exitMs = Date.now() - signalAt;
    await rushDone;
    ctx.log(
      `exit ${JSON.stringify(exit)} after ${exitMs} ms; readiness after the signal: ${summarise(probes)}`,
    );

    const firstProbe = probes.find((p) => p.at >= signalAt + 100);
    // Catches readiness that stays 200 while stopping: the balancer keeps routing to a dying process.
    ctx.check(
      firstProbe?.status === 503 &&
        probes
          .filter((p) => p.at >= signalAt + 100)
          .every((p) => p.status === 503 || p.status === 0),
      'readiness answered 503 from 100 ms after the signal until the port closed',
      summarise(probes),
    );
    // Catches a shutdown that hangs (a worker loop or a pool that never ends) or crashes.
    ctx.check(
      exit?.code === 0 && exit.signal === null && exitMs <= EXIT_LIMIT_MS,
      `the process exited with code 0 within ${EXIT_LIMIT_MS / 1000} s`,
      `${JSON.stringify(exit)} after ${exitMs} ms`,
    );
    const before = seen.filter((a) => a.sentAt < signalAt);
    const beforeBad = before.filter((a) => a.status !== 201);
    // Catches in-flight requests cut off by the shutdown: everything sent before it is answered.
    ctx.check(
      beforeBad.length === 0,
      `every request sent before the signal got its 201 (${before.length})`,
      beforeBad.length
        ? `${beforeBad.length} did not, e.g. ${beforeBad[0].status || beforeBad[0].error}`
        : '',
    );
    const after = seen.filter((a) => a.sentAt >= signalAt);
    const afterBad = after.filter((a) => ![201, 503, 0].includes(a.status));
    const tally = {};
    for (const a of after) tally[a.status || a.error] = (tally[a.status || a.error] ?? 0) + 1;
    // Catches a 500 (or worse) for requests that met the shutdown: they must be retryable.
    ctx.check(
      afterBad.length === 0,
      'requests sent after the signal got 201, 503 or no connection',
      JSON.stringify(tally),
    );

    const ok = seen.filter((a) => a.status === 201).map((a) => JSON.parse(a.text).id);
    const missing = await missingRegistrations(pool, ok);
    // Catches an answered 201 whose transaction was rolled back by the shutdown.
    ctx.check(
      missing.length === 0,
      `every 201 is in the database (${ok.length})`,
      `${missing.length} missing`,
    );
    const facts = await registrationFacts(pool, event.id);
    // Catches a registration half-written by the shutdown (no outbox email, a seat not counted).
    ctx.check(
      facts.registrations === ok.length &&
        facts.without_one_email === 0 &&
        facts.seats_in_person === facts.confirmed_in_person &&
        facts.seats_online === facts.confirmed_online,
      'registrations whole: one per 201, each with its email, seat counters exact',
      JSON.stringify(facts),
    );
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM emails WHERE event_id = $1 AND status = 'sending'`,
      [event.id],
    );
    // Catches a worker stopped mid-send: its emails stay leased ('sending') for the whole lease.
    ctx.check(
      rows[0].n === 0,
      'the stopped worker left no email claimed',
      `${rows[0].n} still 'sending'`,
    );
  },
};

function summarise(probes) {
  const parts = [];
  for (const p of probes) {
    const last = parts[parts.length - 1];
    if (last && last.status === p.status) last.n += 1;
    else parts.push({ status: p.status, n: 1 });
  }
  return parts.map((p) => `${p.status || 'closed'}×${p.n}`).join(' → ');
}
