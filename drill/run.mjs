// Fault drills: `node drill/run.mjs` runs them all, `node drill/run.mjs smtp-outage sigkill`
// the named ones. Each runs the compiled service (run `npm run build` first; `npm run drill`
// does) against its own scratch PostgreSQL and checks the outcome against ground truth.
import { runDrill } from './lib/drill.mjs';
import smtpOutage from './smtp-outage.mjs';
import sigkill from './sigkill.mjs';
import postgresRestart from './postgres-restart.mjs';
import sigterm from './sigterm.mjs';
import twoInstances from './two-instances.mjs';

const DRILLS = [smtpOutage, sigkill, postgresRestart, sigterm, twoInstances];
const LIMIT_MS = Number(process.env.DRILL_TIMEOUT_MS ?? 300_000);

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !DRILLS.some((d) => d.name === name));
if (unknown.length > 0) {
  console.error(
    `Unknown drill ${unknown.join(', ')}; known: ${DRILLS.map((d) => d.name).join(', ')}`,
  );
  process.exit(2);
}
const chosen = wanted.length ? DRILLS.filter((d) => wanted.includes(d.name)) : DRILLS;

const started = Date.now();
// A drill that spends most of its time waiting (the 60 s outage and the retries after it) runs
// beside the others, which run one after another; every line it prints carries its name.
const background = chosen.length > 1 ? chosen.filter((d) => d.waitsMostly) : [];
const pending = background.map((drill) => runDrill(drill, { limitMs: LIMIT_MS }));
const results = [];
for (const drill of chosen.filter((d) => !background.includes(d))) {
  results.push(await runDrill(drill, { limitMs: LIMIT_MS }));
}
results.push(...(await Promise.all(pending)));

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log('\n== fault drills');
for (const r of results) {
  console.log(
    `${r.failed ? 'FAIL' : 'ok  '} ${r.name.padEnd(18)} ${r.passed} passed, ${r.failed} failed, ${r.seconds} s`,
  );
}
console.log(`${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(0)} s)`);
process.exitCode = failed > 0 ? 1 : 0;
