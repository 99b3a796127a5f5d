// email-burst: 10,000 queued confirmations drained by the service's own worker (MAIL_WORKER,
// SMTP_URL pointing at a local smtp-server sink in this process that accepts and counts by
// Message-ID), against a bare pooled nodemailer loop sending the very same messages (the raw
// messages the sink received from the service, parsed back into nodemailer's options) to the
// same sink with the same number of connections, the two alternating in rounds (--rounds,
// default 5) so that both meet the machine in the same states. Then registration throughput
// while a second burst drains, against without one.
// Registrations and their emails are seeded with SQL (40 % in person, with a QR code) after
// creating the event through the API. Flags: --emails N (default 10000), --registrations N,
// --rounds N.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { POOL_SIZE, runBenchmark, startPostgres, startService } from './lib/harness.mjs';
import { eventBody, publishedEvent, seedRegistrations } from './lib/fixtures.mjs';
import {
  drive,
  keepAliveAgent,
  request,
  RESULT_HEADERS,
  resultRow,
  round,
  table,
} from './lib/load.mjs';
import { startSink } from './lib/smtp-sink.mjs';

const NAME = 'email-burst';
const { values: flags } = parseArgs({
  options: {
    emails: { type: 'string', default: '10000' },
    registrations: { type: 'string', default: '1500' },
    rounds: { type: 'string', default: '5' },
  },
});
const EMAILS = Number(flags.emails);
const SECOND_BURST = Math.round(EMAILS / 2);
const REGISTRATIONS = Number(flags.registrations);
const ROUNDS = Number(flags.rounds);
const REG_CONCURRENCY = 50;
/** The service's default MAIL_WORKER_CONCURRENCY, which is also its SMTP pool size. */
const CONNECTIONS = Number(process.env.MAIL_WORKER_CONCURRENCY ?? 4);
const GOAL_RATIO = 0.8;
const GOAL_REG_RATIO = 0.9;

const LANGUAGES = ['en', 'ru', 'kk'];
const modeOf = (i) => (i % 5 < 2 ? 'in_person' : 'online');

/** Confirmed registrations and one queued confirmation each, as a registration leaves them. */
async function queueConfirmations(pool, eventId, count, tag) {
  const rows = await seedRegistrations(pool, eventId, count, (i) => ({
    attendance_mode: modeOf(i),
    language: LANGUAGES[i % 3],
    email: `burst.${tag}.${i}@example.org`,
    given_name: i % 2 ? 'Айгерім' : 'Élodie',
    family_name: i % 2 ? 'Нұрланқызы' : 'Dubois-Müller',
  }));
  await pool.query(
    `INSERT INTO emails (event_id, registration_id, kind, to_address, language, dedupe_key)
     SELECT r.event_id, r.id, 'registration_confirmed', r.email, r.language,
            'registration_confirmed:' || r.id || ':registered'
       FROM registrations r WHERE r.id = ANY($1::uuid[])`,
    [rows.map((r) => r.id)],
  );
  return rows;
}

/** A message as the sink received it, back into nodemailer's options. */
async function mailOptionsOf(m) {
  const parsed = await simpleParser(m.raw);
  return {
    envelope: { from: m.from, to: m.to },
    from: parsed.from?.text,
    to: parsed.to?.text,
    subject: parsed.subject,
    messageId: parsed.messageId,
    text: parsed.text,
    html: parsed.html || undefined,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename,
      content: a.content,
      contentType: a.contentType,
      ...(a.cid ? { cid: a.cid } : {}),
    })),
  };
}

function person(tag, i) {
  return {
    email: `reg.${tag}.${i}@example.kz`,
    givenName: 'Айгерім',
    familyName: 'Нұрланқызы',
    organisation: 'Ministry of Health',
    country: 'KZ',
    stakeholderType: 'government',
    attendanceMode: modeOf(i),
    language: 'kk',
    consent: { dataProcessing: true, listOfParticipants: true, photography: false },
  };
}

await runBenchmark(NAME, async (cleanup) => {
  const sink = await startSink({ keepRaw: true });
  cleanup(() => sink.stop());
  const database = await startPostgres();
  cleanup(() => database.stop());
  const service = await startService(database.url, {
    MAIL_WORKER: 'true',
    SMTP_URL: sink.url,
    MAIL_WORKER_CONCURRENCY: String(CONNECTIONS),
  });
  cleanup(() => service.stop());
  const pool = new pg.Pool({ connectionString: database.url, max: POOL_SIZE });
  cleanup(() => pool.end());
  const agent = keepAliveAgent(REG_CONCURRENCY);
  cleanup(async () => agent.destroy());
  const run = randomBytes(3).toString('hex');
  const big = { inPerson: 100_000, online: 100_000 };
  const burstEvent = await publishedEvent(service, eventBody(`burst-${run}`, { capacity: big }));
  const regEvent = await publishedEvent(service, eventBody(`burst-reg-${run}`, { capacity: big }));

  const countSent = async (eventId) =>
    (
      await pool.query(
        `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*)::int AS total
           FROM emails WHERE event_id = $1`,
        [eventId],
      )
    ).rows[0];
  // The worker records 'sent' after the sink's 250 reaches it, so the last rows of a burst
  // turn 'sent' a few milliseconds after the sink counted them (the clock stops at the sink):
  // wait up to 5 s for them before calling any unsent.
  const sentCount = async (eventId) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const counts = await countSent(eventId);
      if (counts.sent === counts.total || Date.now() > deadline) return counts;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  // Warm-up: a few hundred through the worker (JIT, SMTP pool), then forget them.
  await queueConfirmations(pool, burstEvent.id, 300, `w${run}`);
  await pool.query(`NOTIFY convene_emails`);
  if (!(await sink.waitFor(300, 120_000))) throw new Error('warm-up emails did not arrive');
  sink.reset();

  // 1 and 2, in alternating rounds: a part of the burst drained by the service, then the same
  // messages sent by the bare loop, and again. This machine's speed drifts by up to 2x within
  // minutes; one long run of each side put the two in different states (the ratio of one
  // build moved from 0.52 to 0.96 between runs). Alternating rounds give both the same drift.
  const transporter = nodemailer.createTransport({
    url: sink.url,
    pool: true,
    maxConnections: CONNECTIONS,
  });
  cleanup(async () => transporter.close());
  const worker = { seconds: 0, distinct: 0, duplicates: 0, bytes: 0 };
  const baseline = { seconds: 0, distinct: 0, duplicates: 0 };
  /** Each round's ratio, to show how far the machine drifted between and within them. */
  const roundRatios = [];
  let drained = true;
  for (let r = 0; r < ROUNDS; r++) {
    const size = Math.floor(EMAILS / ROUNDS) + (r < EMAILS % ROUNDS ? 1 : 0);
    sink.state.keepRaw = true;
    await queueConfirmations(pool, burstEvent.id, size, `a${r}.${run}`);
    const t0 = performance.now();
    await pool.query(`NOTIFY convene_emails`);
    drained = (await sink.waitFor(size, 600_000)) && drained;
    const workerSeconds = (performance.now() - t0) / 1000;
    worker.seconds += workerSeconds;
    worker.distinct += sink.seen.size;
    worker.duplicates += sink.state.duplicates;
    const messages = sink.raw.slice();
    worker.bytes += messages.reduce((sum, m) => sum + m.raw.length, 0);
    sink.state.keepRaw = false;
    sink.reset();

    // The same messages (parsed back into nodemailer's options before the clock starts:
    // subject, both parts, the QR attachments, the Message-ID) composed and sent by a bare
    // pooled nodemailer transport with the same number of connections. No database, no
    // rendering: what is left is what any mailer must do.
    const options = await Promise.all(messages.map(mailOptionsOf));
    if (r === 0) {
      // Its warm-up, as the service had one: the pool's connections opened, the code hot.
      await Promise.all(options.slice(0, 100).map((o) => transporter.sendMail(o)));
      sink.reset();
    }
    let next = 0;
    const t1 = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < options.length) await transporter.sendMail(options[next++]);
      }),
    );
    const baselineSeconds = (performance.now() - t1) / 1000;
    baseline.seconds += baselineSeconds;
    roundRatios.push(baselineSeconds / workerSeconds);
    baseline.distinct += sink.seen.size;
    baseline.duplicates += sink.state.duplicates;
    sink.reset();
  }
  transporter.close();
  const burstDb = await sentCount(burstEvent.id);
  const drainSeconds = worker.seconds;
  const baselineSeconds = baseline.seconds;
  const serviceSink = worker;
  const baselineSink = baseline;
  const meanBytes = worker.bytes / Math.max(1, worker.distinct);

  // 3. Registrations without a burst, then 4. while a second burst drains.
  const register = (tag) => async (i) => {
    const res = await request({
      url: `${service.url}/api/v1/public/events/${regEvent.slug}/registrations`,
      method: 'POST',
      body: person(`${tag}.${run}`, i),
      agent,
    });
    return res.status;
  };
  await drive({
    concurrency: REG_CONCURRENCY,
    count: 200,
    operation: register('w'),
    expected: ['201'],
  });
  const quiet = await drive({
    concurrency: REG_CONCURRENCY,
    count: REGISTRATIONS,
    operation: register('q'),
    expected: ['201'],
  });
  await sink.waitFor(REGISTRATIONS + 200, 120_000);
  const beforeSecond = sink.state.accepted;
  await queueConfirmations(pool, burstEvent.id, SECOND_BURST, `b${run}`);
  await pool.query(`NOTIFY convene_emails`);
  const t2 = performance.now();
  const during = await drive({
    concurrency: REG_CONCURRENCY,
    count: REGISTRATIONS,
    operation: register('d'),
    expected: ['201'],
  });
  const duringEnd = performance.now();
  const expectedTotal = beforeSecond + SECOND_BURST + REGISTRATIONS;
  const secondDone = await sink.waitFor(expectedTotal, 600_000);
  const secondSeconds = (performance.now() - t2) / 1000;
  const overlap = Math.min(1, secondSeconds / ((duringEnd - t2) / 1000));
  const finalSink = {
    accepted: sink.state.accepted,
    duplicates: sink.state.duplicates,
    distinct: sink.seen.size,
  };
  const regDb = await sentCount(regEvent.id);
  const burstDb2 = await sentCount(burstEvent.id);

  return () => {
    const opsPerS = EMAILS / drainSeconds;
    const baselineOps = EMAILS / baselineSeconds;
    const ratio = opsPerS / baselineOps;
    const regRatio = during.opsPerS / quiet.opsPerS;
    const problems = [];
    if (!drained || serviceSink.distinct !== EMAILS || serviceSink.duplicates !== 0)
      problems.push(
        `service burst: ${serviceSink.distinct} distinct, ${serviceSink.duplicates} duplicates`,
      );
    if (burstDb.sent !== burstDb.total)
      problems.push(`burst: ${burstDb.sent}/${burstDb.total} sent in the database`);
    if (baselineSink.distinct !== EMAILS || baselineSink.duplicates !== 0)
      problems.push(
        `baseline: ${baselineSink.distinct} distinct, ${baselineSink.duplicates} duplicates`,
      );
    if (!secondDone || finalSink.duplicates !== 0)
      problems.push(
        `second burst: ${finalSink.accepted}/${expectedTotal} arrived, ${finalSink.duplicates} duplicates`,
      );
    if (regDb.sent !== regDb.total || burstDb2.sent !== burstDb2.total)
      problems.push('emails left unsent in the database');
    if (quiet.failed + during.failed > 0) problems.push('registrations failed');
    const correct = problems.length === 0;
    console.log(
      `\n${NAME}: ${EMAILS} queued confirmations (40 % in person with a QR code; en/ru/kk), ` +
        `${CONNECTIONS} SMTP connections on both sides, ${ROUNDS} alternating rounds, mean message ${round(meanBytes / 1024, 1)} KiB; ` +
        `then ${REGISTRATIONS} registrations from ${REG_CONCURRENCY} clients without and during a burst of ${SECOND_BURST}\n`,
    );
    console.log(
      table(
        ['run', 'emails', 'seconds', 'emails/s', 'distinct at sink', 'duplicates'],
        [
          [
            'service worker',
            EMAILS,
            round(drainSeconds, 2),
            round(opsPerS),
            serviceSink.distinct,
            serviceSink.duplicates,
          ],
          [
            'bare nodemailer pool',
            EMAILS,
            round(baselineSeconds, 2),
            round(baselineOps),
            baselineSink.distinct,
            baselineSink.duplicates,
          ],
        ],
      ),
    );
    console.log(`ratio per round: ${roundRatios.map((x) => round(x, 2)).join(', ')}\n`);
    console.log(
      table(RESULT_HEADERS, [
        resultRow('registrations, no burst', quiet),
        resultRow('registrations, during burst', during),
      ]),
    );
    console.log(
      `second burst of ${SECOND_BURST} (+ the registrations' own) drained in ${round(secondSeconds, 1)} s; ` +
        `it outlasted the registration run ${round(overlap * 100, 0)} %${overlap < 1 ? ' (NOT the whole run: the "during" figure is diluted)' : ''}`,
    );
    console.log(
      problems.length
        ? `problems: ${problems.join('; ')}`
        : 'check: ok (every email once at the sink, all sent in the database)',
    );
    console.log();
    console.log(
      table(
        ['goal', 'target', 'measured', 'met'],
        [
          [
            'ratio (worker / bare nodemailer emails/s)',
            `>= ${GOAL_RATIO}`,
            round(ratio, 3),
            ratio >= GOAL_RATIO ? 'yes' : 'NO',
          ],
          [
            'registrations/s during / without a drain',
            `>= ${GOAL_REG_RATIO}`,
            round(regRatio, 3),
            regRatio >= GOAL_REG_RATIO ? 'yes' : 'NO',
          ],
          ['correct', 'true', correct, correct ? 'yes' : 'NO'],
        ],
      ),
    );
    const result = {
      bench: NAME,
      ops_per_s: round(opsPerS),
      p50_ms: round(during.p50, 2),
      p99_ms: round(during.p99, 2),
      baseline_ops_per_s: round(baselineOps),
      ratio: round(ratio, 3),
      correct,
      goal_ratio_met: ratio >= GOAL_RATIO,
      registration_ratio: round(regRatio, 3),
      goal_registration_ratio_met: regRatio >= GOAL_REG_RATIO,
      registrations_per_s_without: round(quiet.opsPerS),
      registrations_per_s_during: round(during.opsPerS),
      emails: EMAILS,
      rounds: ROUNDS,
      round_ratios: roundRatios.map((x) => round(x, 3)),
      smtp_connections: CONNECTIONS,
      mean_message_bytes: Math.round(meanBytes),
    };
    console.log(JSON.stringify(result));
    return result;
  };
});
