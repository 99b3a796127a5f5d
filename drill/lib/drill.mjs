// What every drill shares: a list of checks that pass or fail (each printed as it is made),
// cleanups that run even when the drill throws, and a per-drill time limit.
export class DrillContext {
  passed = 0;
  failed = 0;
  #cleanups = [];
  /** Services whose output is shown when the drill fails. */
  services = [];

  constructor(name) {
    this.name = name;
    this.started = Date.now();
  }

  log(message) {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1).padStart(6);
    console.log(`[${this.name} ${seconds}s] ${message}`);
  }

  /** One assertion against ground truth; `detail` says what was seen. */
  check(ok, what, detail = '') {
    if (ok) this.passed += 1;
    else this.failed += 1;
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} [${this.name}] ${what}${detail ? ` (${detail})` : ''}`);
    return ok;
  }

  cleanup(fn) {
    this.#cleanups.push(fn);
  }

  /** Keeps `service`'s output for the failure report and stops it at the end. */
  own(service) {
    this.services.push(service);
    this.cleanup(() => service.stop());
    return service;
  }

  async runCleanups() {
    for (const fn of this.#cleanups.reverse()) {
      await fn().catch((error) => console.error(`cleanup failed: ${error.message}`));
    }
    this.#cleanups = [];
  }
}

/** Runs one drill module ({ name, run(ctx) }); resolves with its counts. */
export async function runDrill(drill, { limitMs }) {
  const ctx = new DrillContext(drill.name);
  console.log(`\n== ${drill.name}: ${drill.description}`);
  let timer;
  try {
    await Promise.race([
      drill.run(ctx),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`stopped after the drill's time limit of ${limitMs} ms`)),
          limitMs,
        );
      }),
    ]);
  } catch (error) {
    // A drill that cannot finish has found something too: count it as a failure.
    ctx.check(false, 'the drill ran to the end', error?.stack ?? String(error));
  } finally {
    clearTimeout(timer);
  }
  if (ctx.failed > 0 || process.env.DRILL_LOG_LEVEL) {
    for (const service of ctx.services) {
      const lines =
        service.errors.length && !process.env.DRILL_LOG_LEVEL ? service.errors : service.output;
      console.log(`-- ${service.name} ${service.errors.length ? 'errors' : 'output'} (last 20):`);
      for (const line of lines.slice(process.env.DRILL_LOG_LEVEL ? -200 : -20))
        console.log(line.slice(0, 1500));
    }
  }
  await ctx.runCleanups();
  const seconds = ((Date.now() - ctx.started) / 1000).toFixed(1);
  console.log(`${drill.name}: ${ctx.passed} passed, ${ctx.failed} failed (${seconds} s)`);
  return { name: drill.name, passed: ctx.passed, failed: ctx.failed, seconds };
}
