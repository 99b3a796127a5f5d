// A controllable SMTP sink: a real SMTP server (smtp-server) on a fixed loopback port that
// keeps every message it accepts, counted by Message-ID, and can go down (the port closed, so
// connections are refused) and come back on the same port.
import { SMTPServer } from 'smtp-server';
import { HOST } from '../../bench/lib/harness.mjs';

const MESSAGE_ID = /^message-id:\s*(<[^>\r\n]+>)/im;

export class SmtpSink {
  /** Message-ID -> how many times the sink accepted it. */
  counts = new Map();
  /** Every accepted message, in order: { messageId, to, at }. */
  accepted = [];
  port = 0;
  #server;

  static async start(port = 0) {
    const sink = new SmtpSink();
    await sink.#listen(port);
    return sink;
  }

  get url() {
    return `smtp://${HOST}:${this.port}`;
  }

  get up() {
    return this.#server !== undefined;
  }

  /** Messages accepted, duplicates included. */
  get total() {
    return this.accepted.length;
  }

  /** Distinct Message-IDs accepted. */
  get distinct() {
    return this.counts.size;
  }

  /** Copies beyond the first, summed over every Message-ID. */
  get duplicates() {
    let n = 0;
    for (const count of this.counts.values()) n += count - 1;
    return n;
  }

  async #listen(port) {
    const record = (raw, session) => {
      const head = raw.subarray(0, raw.indexOf('\r\n\r\n') + 2 || raw.length).toString('utf8');
      const messageId = MESSAGE_ID.exec(head)?.[1] ?? '(none)';
      this.counts.set(messageId, (this.counts.get(messageId) ?? 0) + 1);
      this.accepted.push({
        messageId,
        to: session.envelope.rcptTo.map((a) => a.address),
        at: Date.now(),
      });
    };
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      disableReverseLookup: true,
      size: 25 * 1024 * 1024,
      closeTimeout: 100,
      onData(stream, session, callback) {
        const chunks = [];
        stream.on('data', (chunk) => chunks.push(chunk));
        stream.on('error', callback);
        // Recorded and acknowledged in the same tick: the sender learns of every message counted.
        stream.on('end', () => {
          record(Buffer.concat(chunks), session);
          callback();
        });
      },
    });
    server.on('error', () => undefined);
    this.port = await new Promise((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, HOST, () => {
        server.server.removeListener('error', reject);
        resolve(server.server.address().port);
      });
    });
    this.#server = server;
  }

  /**
   * The mail server goes down: the port closes (new connections are refused) and open
   * connections are ended with 421, as smtp-server does when it shuts down.
   */
  async refuse() {
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise((resolve) => server.close(() => resolve()));
  }

  /** Back up, on the same port. */
  async accept() {
    if (!this.#server) await this.#listen(this.port);
  }

  /** Resolves once `predicate()` holds, polling; rejects after `timeoutMs`. */
  async waitFor(predicate, timeoutMs, what = 'the sink') {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`${what}: waited ${timeoutMs} ms in vain`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  close() {
    return this.refuse();
  }
}
