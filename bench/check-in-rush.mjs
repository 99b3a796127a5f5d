// check-in-rush: 20 desks scanning 20,000 confirmed codes with 10 % repeats (22,000 scans),
// through the service over HTTP, as fast as the desks can go (closed loop), and then paced at
// 500 scans/s (open loop, latency from each scan's due time) on a fresh event. Baseline: the
// same work over raw `pg` from a Pool of the service's size at the same concurrency, flat out
// and paced at the same rate (on events of their own): the
// service's own one-statement check-in (the look-up by code, the conditional insert of the
// check-in with ON CONFLICT DO NOTHING, the first time read back on a repeat, the attempt row).
// Registrations are seeded with SQL (codes made as the service makes them) after creating the
// events through the API. Flags: --codes N (default 20000), --paced-scans N (default 10000).
import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { POOL_SIZE, ROOT, runBenchmark, startPostgres, startService } from './lib/harness.mjs';
import { eventBody, publishedEvent, seedRegistrations, staffToken } from './lib/fixtures.mjs';
import {
  drive,
  drivePaced,
  keepAliveAgent,
  request,
  RESULT_HEADERS,
  resultRow,
  round,
  table,
} from './lib/load.mjs';

const NAME = 'check-in-rush';
const { values: flags } = parseArgs({
  options: {
    codes: { type: 'string', default: '20000' },
    'paced-scans': { type: 'string', default: '10000' },
  },
});
const CODES = Number(flags.codes);
const REPEAT_SHARE = 0.1;
const DESKS = 20;
const PACED_RATE = 500;
const PACED_SCANS = Number(flags['paced-scans']);
const GOAL_RATIO = 0.3;
const GOAL_PACED_P99_MS = 20;

/**
 * The order of scans: every code once, and REPEAT_SHARE × codes repeats of codes already
 * scanned (a person scanned twice, a second desk), mixed in at random. Exact counts.
 */
function scanOrder(codes, total) {
  const uniques = Math.round(total / (1 + REPEAT_SHARE));
  let repeats = total - uniques;
  let nextUnique = 0;
  const order = [];
  while (order.length < total) {
    const left = uniques - nextUnique + repeats;
    if (nextUnique > 0 && repeats > 0 && randomInt(left) < repeats) {
      order.push(codes[randomInt(nextUnique)]);
      repeats--;
    } else {
      order.push(codes[nextUnique++]);
    }
  }
  return { order, uniques };
}

// ---- The baseline: exactly what CheckInsService.checkIn sends for a scan of a confirmed code
// of the whole event: one autocommit statement (DIRECT_CHECK_IN_SQL: the event by slug, the
// registration by code, the check-in ON CONFLICT DO NOTHING, the attempt row with its answer),
// imported from dist/ so the two cannot drift apart, with the parameters in the service's order.
const { DIRECT_CHECK_IN_SQL } = createRequire(import.meta.url)(
  join(ROOT, 'dist', 'src', 'attendance', 'check-ins', 'direct-check-in.sql.js'),
);

async function rawScan(pool, slug, scan) {
  // Twice at most, as the service: a repeat racing the first scan of its code does not see that
  // check-in in its snapshot and writes nothing (the service then reads it afresh).
  for (let attempt = 0; attempt < 2; attempt++) {
    const { rows } = await pool.query(DIRECT_CHECK_IN_SQL, [
      slug,
      scan.code,
      null,
      new Date(),
      scan.scannedAt,
      scan.desk,
      scan.nonce,
    ]);
    if (rows.length > 0 && rows[0].recorded) {
      return rows[0].inserted ? 'checked_in' : 'already_checked_in';
    }
  }
  throw new Error(`not checked in: ${scan.code}`);
}

/** The database against the scans sent: one check-in per code scanned, one attempt per scan. */
async function check(pool, eventId, scans, uniques) {
  const [row] = (
    await pool.query(
      `SELECT
         (SELECT count(*)::int FROM check_ins WHERE event_id = $1) AS check_ins,
         (SELECT count(DISTINCT registration_id)::int FROM check_ins WHERE event_id = $1)
           AS people,
         (SELECT count(*)::int FROM check_in_attempts WHERE event_id = $1) AS attempts,
         (SELECT count(*)::int FROM check_in_attempts WHERE event_id = $1
            AND result = 'checked_in') AS first_scans,
         (SELECT count(*)::int FROM check_in_attempts WHERE event_id = $1
            AND result = 'already_checked_in') AS repeat_scans`,
      [eventId],
    )
  ).rows;
  const problems = [];
  if (row.check_ins !== uniques || row.people !== uniques) {
    problems.push(`${row.check_ins} check-ins of ${row.people} people, expected ${uniques}`);
  }
  if (row.attempts !== scans) problems.push(`${row.attempts} attempts, expected ${scans}`);
  if (row.first_scans !== uniques || row.repeat_scans !== scans - uniques) {
    problems.push(`${row.first_scans} first and ${row.repeat_scans} repeated scans recorded`);
  }
  return { ...row, problems };
}

await runBenchmark(NAME, async (cleanup) => {
  const database = await startPostgres();
  cleanup(() => database.stop());
  const service = await startService(database.url);
  cleanup(() => service.stop());
  // The baseline's pool keeps its connections, as the service's does (min = pool size): left
  // to pg.Pool's 10 s idle timeout, a baseline run after an idle spell began by reopening
  // them all (the paced baseline's p99 of 326 ms in two runs was that).
  const pool = new pg.Pool({
    connectionString: database.url,
    max: POOL_SIZE,
    idleTimeoutMillis: 0,
  });
  cleanup(() => pool.end());
  const agent = keepAliveAgent(DESKS);
  cleanup(async () => agent.destroy());

  const run = Date.now().toString(36);
  const sides = {};
  for (const key of ['warmup', 'service', 'baseline', 'paced', 'pacedBaseline']) {
    const slug = `checkin-${key.toLowerCase()}-${run}`;
    const event = await publishedEvent(
      service,
      eventBody(slug, { capacity: { inPerson: CODES, online: 100 } }),
    );
    const seeded = await seedRegistrations(pool, event.id, CODES, () => ({}));
    sides[key] = { slug, id: event.id, codes: seeded.map((r) => r.checkinCode) };
  }
  await pool.query('ANALYZE registrations');
  const deskToken = await staffToken(service, 'checkin');

  const scanOf = (tag, code, i) => ({
    code,
    desk: `Desk ${(i % DESKS) + 1}`,
    nonce: `${tag}-${run}-${i}`,
    scannedAt: new Date().toISOString(),
  });
  const viaService = (side, order, tag) => async (i) => {
    const res = await request({
      url: `${service.url}/api/v1/events/${side.slug}/check-ins`,
      method: 'POST',
      body: scanOf(tag, order[i], i),
      headers: { authorization: `Bearer ${deskToken}` },
      agent,
    });
    return res.status;
  };
  const viaPg = (side, order, tag) => (i) => rawScan(pool, side.slug, scanOf(tag, order[i], i));

  const total = Math.round(CODES * (1 + REPEAT_SHARE));
  const warm = scanOrder(sides.warmup.codes, 2000);
  await drive({
    concurrency: DESKS,
    count: 1000,
    operation: viaService(sides.warmup, warm.order, 'ws'),
    expected: ['201', '200'],
  });
  await drive({
    concurrency: DESKS,
    count: 1000,
    operation: viaPg(sides.warmup, warm.order.slice(1000), 'wb'),
    expected: ['checked_in', 'already_checked_in'],
  });

  const SERVICE_ANSWERS = ['201', '200'];
  const SQL_ANSWERS = ['checked_in', 'already_checked_in'];
  const flatOut = (count, operation, expected) =>
    drive({ concurrency: DESKS, count, operation, expected });
  const paced500 = (operation, expected) =>
    drivePaced({ rate: PACED_RATE, count: PACED_SCANS, operation, expected });

  const serviceOrder = scanOrder(sides.service.codes, total);
  const measured = await flatOut(
    total,
    viaService(sides.service, serviceOrder.order, 's'),
    SERVICE_ANSWERS,
  );
  const baselineOrder = scanOrder(sides.baseline.codes, total);
  const baseline = await flatOut(
    total,
    viaPg(sides.baseline, baselineOrder.order, 'b'),
    SQL_ANSWERS,
  );
  const pacedOrder = scanOrder(sides.paced.codes, PACED_SCANS);
  const paced = await paced500(viaService(sides.paced, pacedOrder.order, 'p'), SERVICE_ANSWERS);
  // The same pace over raw pg: the bare statement's own p99 at 500/s on this machine.
  const pacedBaselineOrder = scanOrder(sides.pacedBaseline.codes, PACED_SCANS);
  const pacedBaseline = await paced500(
    viaPg(sides.pacedBaseline, pacedBaselineOrder.order, 'pb'),
    SQL_ANSWERS,
  );
  const checks = {
    service: await check(pool, sides.service.id, total, serviceOrder.uniques),
    baseline: await check(pool, sides.baseline.id, total, baselineOrder.uniques),
    paced: await check(pool, sides.paced.id, PACED_SCANS, pacedOrder.uniques),
    pacedBaseline: await check(
      pool,
      sides.pacedBaseline.id,
      PACED_SCANS,
      pacedBaselineOrder.uniques,
    ),
  };

  return () => {
    const ratio = measured.opsPerS / baseline.opsPerS;
    const outcomesRight = (r, uniques, count) =>
      r.outcomes['201'] === uniques && r.outcomes['200'] === count - uniques;
    const correct =
      measured.complete &&
      baseline.complete &&
      paced.complete &&
      pacedBaseline.complete &&
      measured.failed + baseline.failed + paced.failed + pacedBaseline.failed === 0 &&
      outcomesRight(measured, serviceOrder.uniques, total) &&
      outcomesRight(paced, pacedOrder.uniques, PACED_SCANS) &&
      Object.values(checks).every((c) => c.problems.length === 0);
    const ratioMet = ratio >= GOAL_RATIO;
    const pacedMet = paced.p99 < GOAL_PACED_P99_MS;
    console.log(
      `\n${NAME}: ${CODES} confirmed codes per event, ${total} scans (${round(REPEAT_SHARE * 100, 0)} % repeats) ` +
        `from ${DESKS} desks; then ${PACED_SCANS} scans paced at ${PACED_RATE}/s; pool ${POOL_SIZE}\n`,
    );
    console.log(
      table(RESULT_HEADERS, [
        resultRow('service, desks flat out', measured),
        resultRow('baseline (raw pg), flat out', baseline),
        resultRow(`service, paced ${PACED_RATE}/s`, paced),
        resultRow(`baseline (raw pg), paced ${PACED_RATE}/s`, pacedBaseline),
      ]),
    );
    console.log(
      `paced run: p95 ${round(paced.p95, 2)} ms, at most ${paced.maxInFlight} scans in flight`,
    );
    console.log();
    console.log(
      table(
        ['event', 'check-ins', 'people', 'attempts', 'first scans', 'repeats', 'check'],
        Object.entries(checks).map(([key, c]) => [
          key,
          c.check_ins,
          c.people,
          c.attempts,
          c.first_scans,
          c.repeat_scans,
          c.problems.join('; ') || 'ok',
        ]),
      ),
    );
    for (const [key, r] of Object.entries({ measured, baseline, paced, pacedBaseline })) {
      if (r.firstFailure) console.log(`first ${key} failure: ${r.firstFailure}`);
    }
    console.log();
    console.log(
      table(
        ['goal', 'target', 'measured', 'met'],
        [
          [
            'ratio (service / baseline scans/s)',
            `>= ${GOAL_RATIO}`,
            round(ratio, 3),
            ratioMet ? 'yes' : 'NO',
          ],
          [
            `service p99 at ${PACED_RATE} scans/s`,
            `< ${GOAL_PACED_P99_MS} ms`,
            `${round(paced.p99, 1)} ms (raw pg ${round(pacedBaseline.p99, 1)})`,
            pacedMet ? 'yes' : 'NO',
          ],
          ['correct', 'true', correct, correct ? 'yes' : 'NO'],
        ],
      ),
    );
    const result = {
      bench: NAME,
      ops_per_s: round(measured.opsPerS),
      p50_ms: round(measured.p50, 2),
      p99_ms: round(measured.p99, 2),
      baseline_ops_per_s: round(baseline.opsPerS),
      baseline_p99_ms: round(baseline.p99, 2),
      ratio: round(ratio, 3),
      correct,
      goal_ratio_met: ratioMet,
      goal_paced_p99_met: pacedMet,
      paced_rate: PACED_RATE,
      paced_ops_per_s: round(paced.opsPerS),
      paced_p50_ms: round(paced.p50, 2),
      paced_p99_ms: round(paced.p99, 2),
      baseline_paced_p50_ms: round(pacedBaseline.p50, 2),
      baseline_paced_p99_ms: round(pacedBaseline.p99, 2),
      codes: CODES,
      scans: total,
      desks: DESKS,
    };
    console.log(JSON.stringify(result));
    return result;
  };
});
