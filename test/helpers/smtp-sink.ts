import { createServer as createNetServer } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/** One message as the SMTP server received it: the raw bytes and the SMTP envelope. */
export interface SinkMessage {
  raw: Buffer;
  mailFrom: string;
  rcptTo: string[];
}

/** What the sink answers; change it between sends (a server that refuses, then accepts). */
export interface SinkBehaviour {
  /** Addresses (case-insensitive) refused at RCPT TO with a permanent 550. */
  refuse: Set<string>;
  /** Addresses (case-insensitive) answered at RCPT TO with a temporary 450 (try later). */
  defer: Set<string>;
  /** Answer 421 (service not available, try later) to every MAIL FROM. */
  tempFail: boolean;
}

const smtpError = (code: number, text: string) =>
  Object.assign(new Error(text), { responseCode: code });

/** A free loopback port, for a server that is not listening yet. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A real SMTP server in the test process that keeps every message it accepts.
 * No TLS, no authentication: the service under test talks to it as to any SMTP relay.
 */
export class SmtpSink {
  readonly messages: SinkMessage[] = [];
  readonly behaviour: SinkBehaviour = { refuse: new Set(), defer: new Set(), tempFail: false };

  private server!: SMTPServer;
  private boundPort = 0;

  private constructor() {}

  get port(): number {
    return this.boundPort;
  }

  /** Starts listening on 127.0.0.1, on `port` or a free one. */
  static async start(port = 0): Promise<SmtpSink> {
    const sink = new SmtpSink();
    const { messages, behaviour } = sink;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      disableReverseLookup: true,
      size: 25 * 1024 * 1024,
      closeTimeout: 100,
      onMailFrom(_address: SMTPServerAddress, _session, callback) {
        if (behaviour.tempFail) {
          return callback(smtpError(421, '4.3.2 Sink: service not available, try again later'));
        }
        callback();
      },
      onRcptTo(address: SMTPServerAddress, _session, callback) {
        if (behaviour.refuse.has(address.address.toLowerCase())) {
          return callback(smtpError(550, `5.1.1 Sink: mailbox ${address.address} does not exist`));
        }
        if (behaviour.defer.has(address.address.toLowerCase())) {
          return callback(smtpError(450, `4.2.1 Sink: mailbox ${address.address} busy, later`));
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', callback);
        stream.on('end', () => {
          const envelope = session.envelope;
          messages.push({
            raw: Buffer.concat(chunks),
            mailFrom: envelope.mailFrom ? envelope.mailFrom.address : '',
            rcptTo: envelope.rcptTo.map((a) => a.address),
          });
          callback();
        });
      },
    });
    const bound = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.removeListener('error', reject);
        resolve((server.server.address() as { port: number }).port);
      });
    });
    server.on('error', () => undefined);
    sink.server = server;
    sink.boundPort = bound;
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Messages whose envelope has this recipient (case-insensitive). */
  to(address: string): SinkMessage[] {
    const wanted = address.toLowerCase();
    return this.messages.filter((m) => m.rcptTo.some((r) => r.toLowerCase() === wanted));
  }

  /** The one message to this recipient, parsed; fails if there is not exactly one. */
  async only(address: string): Promise<{ message: SinkMessage; parsed: ParsedMail }> {
    const found = this.to(address);
    if (found.length !== 1) {
      throw new Error(`expected one message to ${address}, the sink has ${found.length}`);
    }
    // Keep cid: links in the HTML as sent (mailparser would inline them as data: URLs).
    return {
      message: found[0],
      parsed: await simpleParser(found[0].raw, { skipImageLinks: true }),
    };
  }

  /** Waits until `predicate` holds, polling; rejects after `timeoutMs`. */
  async waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`the sink waited ${timeoutMs} ms in vain`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
