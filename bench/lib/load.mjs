// The load driver: N concurrent clients over keep-alive HTTP (node:http with one shared Agent),
// each taking the next operation until the count or the time limit runs out; every latency kept.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export function keepAliveAgent(sockets) {
  return new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

/** One HTTP request; resolves with the status, headers and body text. */
export function request({ url, method = 'GET', body, headers = {}, agent, timeoutMs = 30_000 }) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method,
        agent: agent ?? false,
        headers: payload
          ? {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(payload),
              ...headers,
            }
          : headers,
        timeout: timeoutMs,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${url}`)),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Runs `operation(i)` for i = 0..count-1 from `concurrency` clients. `operation` resolves with
 * an outcome label ('201', 'ok', ...); `expected` says which labels count as success. Stops
 * early at `maxMs`. Returns throughput and latency of the operations that finished.
 */
export async function drive({ concurrency, count, maxMs = 300_000, operation, expected }) {
  const latencies = new Float64Array(count);
  const outcomes = {};
  let next = 0;
  let done = 0;
  let firstFailure;
  const start = performance.now();
  const deadline = start + maxMs;
  const client = async () => {
    for (;;) {
      const i = next++;
      if (i >= count || performance.now() > deadline) return;
      const t0 = performance.now();
      let outcome;
      try {
        outcome = String(await operation(i));
      } catch (error) {
        outcome = `error: ${error.code ?? error.message}`;
        firstFailure ??= error.message;
      }
      latencies[done++] = performance.now() - t0;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      if (!expected.includes(outcome)) firstFailure ??= `operation ${i}: ${outcome}`;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - start) / 1000;
  const sorted = latencies.subarray(0, done).sort();
  const failed = Object.entries(outcomes)
    .filter(([outcome]) => !expected.includes(outcome))
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    operations: done,
    seconds,
    opsPerS: done / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    failed,
    outcomes,
    firstFailure,
    complete: done === count,
  };
}

export const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** A plain aligned table. */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map(String));
  const widths = headers.map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  const line = (row) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [
    line(cells[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}

export function resultRow(label, r) {
  return [
    label,
    r.operations,
    round(r.seconds, 2),
    round(r.opsPerS),
    round(r.p50, 2),
    round(r.p99, 2),
    round(r.max, 2),
    r.failed,
  ];
}
export const RESULT_HEADERS = [
  'run',
  'ops',
  'seconds',
  'ops/s',
  'p50 ms',
  'p99 ms',
  'max ms',
  'failed',
];

/**
 * Open-loop load: operation i is due at start + i / rate seconds and is started then, whether
 * or not earlier ones have answered (a queue at the door does not wait for the desk). Latency
 * counts from the due time, so a server that falls behind shows it (no coordinated omission).
 */
export async function drivePaced({ rate, count, operation, expected }) {
  const latencies = new Float64Array(count);
  const outcomes = {};
  let done = 0;
  let firstFailure;
  let maxInFlight = 0;
  let inFlight = 0;
  const start = performance.now();
  const pending = [];
  const run = async (i, due) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let outcome;
    try {
      outcome = String(await operation(i));
    } catch (error) {
      outcome = `error: ${error.code ?? error.message}`;
      firstFailure ??= error.message;
    }
    inFlight--;
    latencies[done++] = performance.now() - due;
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    if (!expected.includes(outcome)) firstFailure ??= `operation ${i}: ${outcome}`;
  };
  let next = 0;
  while (next < count) {
    const now = performance.now();
    while (next < count && start + (next * 1000) / rate <= now) {
      pending.push(run(next, start + (next * 1000) / rate));
      next++;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  const seconds = (performance.now() - start) / 1000;
  const sorted = latencies.subarray(0, done).sort();
  const failed = Object.entries(outcomes)
    .filter(([outcome]) => !expected.includes(outcome))
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    operations: done,
    seconds,
    opsPerS: done / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    failed,
    outcomes,
    firstFailure,
    maxInFlight,
    complete: done === count,
  };
}

/** The p-th percentile of a list of numbers (sorted here). */
export function percentileOf(values, p) {
  return percentile(Float64Array.from(values).sort(), p);
}
