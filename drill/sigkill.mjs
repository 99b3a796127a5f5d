// SIGKILL three times during a registration rush and the email drain that follows it, each
// time restarted on the same port: nothing half-written, nothing lost, few duplicates.
import { observers, startBackends, startOwnedService } from './lib/stage.mjs';
import {
  checkSinkAgainstOutbox,
  emailIds,
  missingRegistrations,
  publishedEvent,
  registrationFacts,
  runId,
  rush,
  waitUntil,
} from './lib/workload.mjs';

const COUNT = 600;
const CONCURRENCY = 20;
const KILLS = 3;
/** MAIL_WORKER_CONCURRENCY: emails claimed at once, so at most this many in flight at a kill. */
const WORKER_CONCURRENCY = 4;
/** The worker's lease (LEASE_SECONDS): a killed worker's claims are taken over after it. */
const LEASE_S = 120;

export default {
  name: 'sigkill',
  description: `SIGKILL ${KILLS} times during a rush of ${COUNT} registrations and its email drain`,
  async run(ctx) {
    const { database, sink } = await startBackends(ctx);
    const service = await startOwnedService(
      ctx,
      { database, sink },
      {
        env: { MAIL_WORKER_CONCURRENCY: String(WORKER_CONCURRENCY) },
      },
    );
    const { pool, agent } = observers(ctx, database, CONCURRENCY);

    const run = runId();
    const event = await publishedEvent(service, {
      slug: `drill-kill-${run}`,
      inPerson: 150,
      online: 250,
    });
    ctx.log(`service pid ${service.pid} up; rush of ${COUNT} from ${CONCURRENCY} clients`);

    let answered = 0;
    const rushDone = rush({
      count: COUNT,
      concurrency: CONCURRENCY,
      run,
      slug: event.slug,
      urlOf: () => service.url,
      agent,
      deadlineMs: 120_000,
      onAnswer: ({ status }) => {
        if (status === 201) answered += 1;
      },
    });
    let rushOver = false;
    void rushDone.then(() => (rushOver = true));

    const inFlightAtKills = [];
    const claimedBefore = new Set();
    const kill = async (label) => {
      const pid = service.pid;
      await service.kill('SIGKILL');
      // Emails the dead worker had claimed and not recorded: each may have reached the sink
      // already, so each may arrive twice once its lease runs out and it is sent again. Claims
      // of the workers killed before are still leased, so only new ones count.
      const { rows } = await pool.query(
        `SELECT id, status FROM emails WHERE event_id = $1 AND status IN ('sending', 'queued')`,
        [event.id],
      );
      const claimed = rows.filter((r) => r.status === 'sending' && !claimedBefore.has(r.id));
      for (const r of claimed) claimedBefore.add(r.id);
      inFlightAtKills.push(claimed.length);
      const queued = rows.filter((r) => r.status === 'queued').length;
      ctx.log(`SIGKILL pid ${pid} ${label}: ${claimed.length} emails in flight, ${queued} queued`);
      await service.start();
      ctx.log(`restarted as pid ${service.pid}`);
    };
    // Two kills in the registration rush, the third in the email drain after it.
    await waitUntil(() => answered >= COUNT / 4, 60_000, 20);
    await kill(`after ${answered} registrations`);
    await waitUntil(() => answered >= COUNT / 2, 60_000, 20);
    await kill(`after ${answered} registrations`);
    await waitUntil(() => rushOver, 120_000, 20);
    const drained = () => registrationFacts(pool, event.id).then((f) => f.emails - f.emails_sent);
    await waitUntil(
      async () => (await drained()) < COUNT / 4 || sink.total > COUNT / 2,
      60_000,
      20,
    );
    await kill(`in the email drain (${sink.total} at the sink)`);
    const { results, answers, nonRetryable } = await rushDone;
    ctx.log(`rush over; answers seen: ${JSON.stringify(answers)}`);

    const ok = results.filter((r) => r?.status === 201);
    // Catches a registration the client could never complete across the restarts.
    ctx.check(
      ok.length === COUNT,
      'every client got its 201 in the end (retrying with its Idempotency-Key)',
      `${ok.length}/${COUNT}`,
    );
    // Catches a 500 (or another final answer) caused by a kill: clients may only have to retry.
    ctx.check(
      nonRetryable.length === 0,
      'no client got a non-retryable answer',
      nonRetryable[0] ? `${nonRetryable[0].status} ${nonRetryable[0].text}` : '',
    );
    const missing = await missingRegistrations(
      pool,
      ok.map((r) => r.id),
    );
    // Catches a lost commit: a 201 whose registration is not in the database.
    ctx.check(missing.length === 0, 'every 201 is in the database', `${missing.length} missing`);
    const facts = await registrationFacts(pool, event.id);
    // Catches a retry after a kill that registered the same person twice.
    ctx.check(
      facts.registrations === COUNT,
      'exactly one registration per person',
      `${facts.registrations}`,
    );
    // Catches a registration half-written at a kill: committed without its outbox email.
    ctx.check(
      facts.without_one_email === 0,
      'every registration has exactly one outbox email',
      `${facts.without_one_email} without`,
    );
    // Catches a seat taken without its registration (or the reverse) at a kill.
    ctx.check(
      facts.seats_in_person === facts.confirmed_in_person &&
        facts.seats_online === facts.confirmed_online,
      'seat counters equal the confirmed registrations per mode',
      `in person ${facts.seats_in_person}/${facts.confirmed_in_person}, online ${facts.seats_online}/${facts.confirmed_online}`,
    );

    ctx.log(
      `waiting for the outbox to drain (a killed worker's claims wait out the ${LEASE_S} s lease)`,
    );
    const allSent = await waitUntil(
      async () => {
        const f = await registrationFacts(pool, event.id);
        return f.emails_sent === f.emails && sink.distinct >= f.emails;
      },
      (LEASE_S + 60) * 1000,
      1000,
    );
    const after = await registrationFacts(pool, event.id);
    // Catches a committed registration whose email is never sent (a claim lost with its worker).
    ctx.check(allSent, 'every outbox email was sent', `${after.emails_sent}/${after.emails}`);
    const bound = inFlightAtKills.reduce((a, b) => a + b, 0);
    ctx.log(
      `emails in flight at the kills: ${inFlightAtKills.join(' + ')} = ${bound} (at most ${WORKER_CONCURRENCY} × ${KILLS})`,
    );
    // The bound itself: the worker never has more than its concurrency claimed at once.
    ctx.check(
      bound <= WORKER_CONCURRENCY * KILLS,
      `emails in flight at the kills at most ${WORKER_CONCURRENCY} × ${KILLS}`,
      `${bound}`,
    );
    checkSinkAgainstOutbox(ctx, sink, await emailIds(pool, event.id), { allowedDuplicates: bound });
  },
};
