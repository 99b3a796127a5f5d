// PostgreSQL restarts during a registration rush: the scratch server is stopped (fast
// shutdown) and started again on the same data directory and port while clients register.
import { readiness } from './lib/service.mjs';
import { observers, startBackends, startOwnedService } from './lib/stage.mjs';
import {
  checkSinkAgainstOutbox,
  emailIds,
  missingRegistrations,
  publishedEvent,
  registrationFacts,
  runId,
  rush,
  sleep,
  waitUntil,
} from './lib/workload.mjs';

const COUNT = 400;
const CONCURRENCY = 20;
const DOWN_MS = 3000;

export default {
  name: 'postgres-restart',
  description: `PostgreSQL stopped for ${DOWN_MS / 1000} s and started again during a rush of ${COUNT} registrations`,
  async run(ctx) {
    const { database, sink } = await startBackends(ctx);
    const service = await startOwnedService(ctx, { database, sink });
    const { pool, agent } = observers(ctx, database, CONCURRENCY);

    const run = runId();
    const event = await publishedEvent(service, {
      slug: `drill-pg-${run}`,
      inPerson: 100,
      online: 150,
    });
    ctx.log(`service pid ${service.pid} up; rush of ${COUNT} from ${CONCURRENCY} clients`);

    // Readiness as a load balancer sees it, every 100 ms, for the whole drill.
    const readySeen = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const at = Date.now();
        readySeen.push({ at, status: await readiness(service.url, 1000) });
        await sleep(100);
      }
    })();

    let answered = 0;
    const not503Problems = [];
    const rushDone = rush({
      count: COUNT,
      concurrency: CONCURRENCY,
      run,
      slug: event.slug,
      urlOf: () => service.url,
      agent,
      deadlineMs: 90_000,
      onAnswer: ({ status, text }) => {
        if (status === 201) answered += 1;
        if (status === 503 && !/^\{"type":"urn:convene:problem:/.test(text))
          not503Problems.push(text);
      },
    });

    await waitUntil(() => answered >= COUNT / 4, 60_000, 20);
    ctx.log(`${answered} registered; stopping PostgreSQL`);
    await database.stopServer();
    const downAt = Date.now();
    await sleep(DOWN_MS);
    ctx.log('starting PostgreSQL again on the same data directory and port');
    await database.startAgain();
    const upAt = Date.now();
    const back = await waitUntil(
      () => readySeen.some((r) => r.at > upAt && r.status === 200),
      30_000,
      100,
    );
    const backAt = readySeen.find((r) => r.at > upAt && r.status === 200)?.at;
    const { results, answers, nonRetryable } = await rushDone;
    ctx.log(`rush over; answers seen: ${JSON.stringify(answers)}`);

    const whileDown = readySeen.filter((r) => r.at > downAt && r.at < upAt - DOWN_MS / 2);
    // Catches a readiness probe that ignores the database: a load balancer keeps sending traffic.
    ctx.check(
      whileDown.length > 0 && whileDown.every((r) => r.status === 503),
      'readiness answered 503 while PostgreSQL was down',
      `${whileDown.length} probes: ${[...new Set(whileDown.map((r) => r.status))].join(', ')}`,
    );
    // Catches a service that needs a restart to reconnect (a dead pool, a stuck worker).
    ctx.check(
      back,
      'readiness back to 200 by itself after PostgreSQL came back',
      backAt ? `${backAt - upAt} ms after PostgreSQL was up` : 'never',
    );
    // Catches a crash on a lost connection (an unhandled error event kills the process).
    ctx.check(
      service.running && service.starts === 1,
      'the service process never exited',
      `pid ${service.pid}`,
    );
    // Catches a 500 (or any other non-retryable answer) where the client should have retried.
    ctx.check(
      nonRetryable.length === 0,
      'clients saw only 201, 503 or connection errors',
      nonRetryable.length
        ? `${nonRetryable.length} others, e.g. ${nonRetryable[0].status} ${nonRetryable[0].text}`
        : '',
    );
    // Catches a 503 that is not a problem document (a client cannot tell what went wrong).
    ctx.check(
      not503Problems.length === 0,
      'every 503 was a problem+json document',
      not503Problems.length
        ? `${not503Problems.length} not, e.g. ${not503Problems[0].slice(0, 200)}`
        : '',
    );
    const ok = results.filter((r) => r?.status === 201);
    // Catches a service that stays broken for clients after the database is back.
    ctx.check(
      ok.length === COUNT,
      'every client got its 201 in the end (retrying 503s)',
      `${ok.length}/${COUNT}`,
    );
    const missing = await missingRegistrations(
      pool,
      ok.map((r) => r.id),
    );
    // Catches a lost commit: an answered 201 whose registration is not in the database.
    ctx.check(
      missing.length === 0,
      'every 201 the clients got is in the database',
      `${missing.length} missing`,
    );

    const facts = await registrationFacts(pool, event.id);
    // Catches a retry that registered twice, or a registration lost between answer and commit.
    ctx.check(
      facts.registrations === ok.length,
      'one registration per person',
      `${facts.registrations} rows`,
    );
    // Catches a registration half-written: committed without its outbox email.
    ctx.check(
      facts.without_one_email === 0,
      'every registration has exactly one outbox email',
      `${facts.without_one_email} without`,
    );
    // Catches a seat counter that moved without its registration (or the reverse).
    ctx.check(
      facts.seats_in_person === facts.confirmed_in_person &&
        facts.seats_online === facts.confirmed_online,
      'seat counters equal the confirmed registrations per mode',
      `in person ${facts.seats_in_person}/${facts.confirmed_in_person}, online ${facts.seats_online}/${facts.confirmed_online}`,
    );
    // Catches a LISTEN connection that died with the old server and was never re-established.
    const listening = await waitUntil(async () => {
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'LISTEN convene_emails'`,
      );
      return rows[0].n > 0;
    }, 15_000);
    ctx.check(listening, "the email worker's LISTEN connection is back");

    // Catches a worker that stopped (or lost emails) after the restart.
    const delivered = await waitUntil(async () => {
      const f = await registrationFacts(pool, event.id);
      return f.emails_sent === f.emails && sink.distinct >= f.emails;
    }, 60_000);
    const after = await registrationFacts(pool, event.id);
    ctx.check(
      delivered,
      'every outbox email was sent',
      `${after.emails_sent}/${after.emails} sent`,
    );
    checkSinkAgainstOutbox(ctx, sink, await emailIds(pool, event.id));

    watching = false;
    await watcher;
  },
};
