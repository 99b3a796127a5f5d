// Two instances against one database for the whole of a rush, both sending email: seat
// decisions and the outbox are shared through PostgreSQL alone.
import { request } from '../bench/lib/load.mjs';
import { observers, startBackends, startOwnedService } from './lib/stage.mjs';
import {
  checkSinkAgainstOutbox,
  emailIds,
  missingRegistrations,
  modeOf,
  publishedEvent,
  registrationFacts,
  runId,
  rush,
  waitUntil,
} from './lib/workload.mjs';

const COUNT = 300;
const CONCURRENCY = 30;
const CAPACITY = { in_person: 50, online: 100 };

/** convene_emails_sent_total of one instance, from its /metrics. */
async function emailsSent(service) {
  const { text } = await request({ url: `${service.url}/metrics` });
  return [...text.matchAll(/^convene_emails_sent_total\{[^}]*\} (\d+)/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

export default {
  name: 'two-instances',
  description: `two instances, one database: ${COUNT} registrations alternating between them for ${CAPACITY.in_person} in-person and ${CAPACITY.online} online seats`,
  async run(ctx) {
    const backends = await startBackends(ctx);
    const { database, sink } = backends;
    // Both start together, as a deployment does: the migrations run once, under the lock.
    const [a, b] = await Promise.all([
      startOwnedService(ctx, backends, { name: 'instance-a' }),
      startOwnedService(ctx, backends, { name: 'instance-b' }),
    ]);
    b.adminToken = a.adminToken;
    const { pool, agent } = observers(ctx, database, CONCURRENCY);

    const run = runId();
    const event = await publishedEvent(a, {
      slug: `drill-two-${run}`,
      inPerson: CAPACITY.in_person,
      online: CAPACITY.online,
    });
    ctx.log(`instances pid ${a.pid} and ${b.pid} up; rush of ${COUNT} from ${CONCURRENCY} clients`);
    const { results, answers, nonRetryable } = await rush({
      count: COUNT,
      concurrency: CONCURRENCY,
      run,
      slug: event.slug,
      urlOf: (i) => (i % 2 === 0 ? a.url : b.url),
      agent,
      deadlineMs: 120_000,
    });
    ctx.log(`rush over; answers seen: ${JSON.stringify(answers)}`);

    const ok = results.filter((r) => r?.status === 201);
    ctx.check(
      ok.length === COUNT && nonRetryable.length === 0,
      'every registration answered 201',
      `${ok.length}/${COUNT}`,
    );
    const missing = await missingRegistrations(
      pool,
      ok.map((r) => r.id),
    );
    // Catches a lost commit on either instance.
    ctx.check(missing.length === 0, 'every 201 is in the database', `${missing.length} missing`);
    const requested = { in_person: 0, online: 0 };
    for (let i = 0; i < COUNT; i++) requested[modeOf(i)] += 1;
    const facts = await registrationFacts(pool, event.id);
    // Catches an overbooking (or a seat left empty) when two instances decide seats at once.
    ctx.check(
      facts.confirmed_in_person === Math.min(CAPACITY.in_person, requested.in_person) &&
        facts.confirmed_online === Math.min(CAPACITY.online, requested.online),
      'confirmed exactly the capacity of each mode',
      `in person ${facts.confirmed_in_person}/${CAPACITY.in_person}, online ${facts.confirmed_online}/${CAPACITY.online}`,
    );
    // Catches someone neither confirmed nor waitlisted (or counted twice).
    ctx.check(
      facts.registrations === COUNT &&
        facts.waitlisted === COUNT - facts.confirmed_in_person - facts.confirmed_online,
      'everyone else waitlisted',
      `${facts.waitlisted} waitlisted`,
    );
    // Catches counters that drift from the rows when two instances write them.
    ctx.check(
      facts.seats_in_person === facts.confirmed_in_person &&
        facts.seats_online === facts.confirmed_online,
      'seat counters equal the confirmed registrations',
      `${facts.seats_in_person}, ${facts.seats_online}`,
    );
    // Catches a registration written without its email, or with two.
    ctx.check(
      facts.without_one_email === 0,
      'every registration has exactly one outbox email',
      `${facts.without_one_email} without`,
    );

    const allSent = await waitUntil(
      async () => {
        const f = await registrationFacts(pool, event.id);
        return f.emails_sent === f.emails && sink.distinct >= f.emails;
      },
      120_000,
      1000,
    );
    const sentBy = [await emailsSent(a), await emailsSent(b)];
    ctx.log(`emails sent by instance a: ${sentBy[0]}, by instance b: ${sentBy[1]}`);
    ctx.check(allSent, 'every outbox email was sent', `${facts.emails} emails`);
    // Self-check: both workers took part, or "once" would prove nothing about two of them.
    ctx.check(sentBy[0] > 0 && sentBy[1] > 0, 'both instances sent emails', sentBy.join(' + '));
    // Catches the two workers claiming the same email (no SKIP LOCKED, a lease too short).
    ctx.check(
      sentBy[0] + sentBy[1] === COUNT,
      'the two workers together sent each email once',
      `${sentBy[0] + sentBy[1]} sends`,
    );
    checkSinkAgainstOutbox(ctx, sink, await emailIds(pool, event.id));
  },
};
