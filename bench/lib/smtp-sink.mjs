// A local SMTP server in the bench process that accepts everything and counts messages by
// Message-ID (duplicates too). Keeps the raw bytes only when asked (for a baseline to resend).
import { SMTPServer } from 'smtp-server';
import { HOST } from './harness.mjs';

export async function startSink({ keepRaw = false } = {}) {
  const seen = new Map();
  const raw = [];
  const state = { accepted: 0, duplicates: 0, keepRaw, waiters: [] };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (chunk) => chunks.push(chunk));
      stream.on('end', () => {
        const message = Buffer.concat(chunks);
        const head = message.subarray(0, Math.max(0, message.indexOf('\r\n\r\n'))).toString();
        const id = /^message-id:\s*(<[^>]+>)/im.exec(head)?.[1] ?? `(none ${state.accepted})`;
        const n = seen.get(id) ?? 0;
        seen.set(id, n + 1);
        if (n > 0) state.duplicates++;
        state.accepted++;
        if (state.keepRaw) {
          raw.push({
            raw: message,
            from: session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
          });
        }
        for (const waiter of state.waiters.splice(0)) waiter();
        callback(null, 'queued');
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, resolve);
  });
  const { port } = server.server.address();
  return {
    port,
    url: `smtp://${HOST}:${port}`,
    seen,
    raw,
    state,
    /** Resolves once `count` messages in all have arrived (or the timeout passes). */
    async waitFor(count, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (state.accepted < count && Date.now() < deadline) {
        await new Promise((resolve) => {
          state.waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
      return state.accepted >= count;
    },
    reset() {
      seen.clear();
      raw.length = 0;
      state.accepted = 0;
      state.duplicates = 0;
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
