import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import type { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { MetricsService } from '../../metrics/metrics.service';
import { Email } from '../email.entity';
import type { EmailContext } from '../rendering/email-context';
import { EmailRenderer } from '../rendering/email-renderer';
import { toMailOptions } from '../rendering/mail-options';
import { isDatabaseUnavailable } from '../../database/postgres-errors';
import { classifyFailure, retryDelayMs } from './delivery-policy';
import { EmailContextLoader } from './email-context.loader';
import { EMAILS_CHANNEL } from './emails-channel';
import { MAIL_TRANSPORT, MailTransport } from './mail-transport';

/** How long a claimed email stays ours; past it, another worker may take it (we crashed). */
const LEASE_SECONDS = 120;
const IDLE_POLL_MS = 2000;
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 30 * 60_000;
const LEASE_MARGIN_SECONDS = 10;
const SETTLE_RETRY_MS = 1000;

interface ClaimedRow {
  id: string;
  attempts: number;
  /** When our lease ends (our clock, with a margin): after it the outcome is not ours to write. */
  until: number;
}

/**
 * Sends the outbox. Any number of instances run it: each claims a batch with
 * FOR UPDATE SKIP LOCKED, so no email is claimed twice; a claim is a lease, so the emails of a
 * crashed worker are sent by another once it runs out. Each email has a deterministic
 * Message-ID, so a duplicate sent across a crash is recognisable as such.
 */
@Injectable()
export class EmailWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EmailWorker');
  private running = false;
  private stopping = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private listener?: Client;
  private readonly sent: Counter;
  private readonly failed: Counter;
  private readonly from: { name: string; address: string };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    private readonly contexts: EmailContextLoader,
    private readonly renderer: EmailRenderer,
    metrics: MetricsService,
  ) {
    this.sent = metrics.counter(
      'convene_emails_sent_total',
      'Emails accepted by the SMTP server.',
      ['kind'],
    );
    this.failed = metrics.counter('convene_email_failures_total', 'Failed send attempts.', [
      'permanent',
    ]);
    this.from = parseAddress(config.mailFrom);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.mailWorker) return;
    this.running = true;
    await this.listen();
    this.logger.log(`Sending email through ${this.transport.description}`);
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    // The batch in hand is finished (and recorded); the rest of the outbox waits for the next
    // instance rather than holding the process past its shutdown deadline.
    this.stopping = true;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    this.transport.close();
  }

  /**
   * Sends what is due until nothing is, or until the application stops; returns how many emails
   * it handled. For tests too.
   */
  async drain(): Promise<number> {
    let handled = 0;
    while (!this.stopping) {
      const batch = await this.claim(this.config.mailWorkerConcurrency);
      if (batch.length === 0) return handled;
      await Promise.all(batch.map((claim) => this.deliver(claim)));
      handled += batch.length;
    }
    return handled;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if ((await this.drain()) === 0) await this.sleep(IDLE_POLL_MS);
      } catch (error) {
        this.logger.warn(`Email worker pass failed, retrying: ${String(error)}`);
        await this.sleep(IDLE_POLL_MS);
      }
    }
  }

  private async claim(limit: number): Promise<ClaimedRow[]> {
    const [rows]: [ClaimedRow[], number] = await this.dataSource.query(
      `UPDATE emails SET status = 'sending', attempts = attempts + 1,
              locked_until = now() + make_interval(secs => $2), updated_at = now()
        WHERE id IN (
          SELECT id FROM emails
           WHERE (status = 'queued' AND next_attempt_at <= now())
              OR (status = 'sending' AND locked_until < now())
           ORDER BY next_attempt_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
       RETURNING id, attempts`,
      [limit, LEASE_SECONDS],
    );
    // The lease is counted from here, on our clock, a little short of the database's.
    const until = Date.now() + (LEASE_SECONDS - LEASE_MARGIN_SECONDS) * 1000;
    return rows.map((row) => ({ ...row, until }));
  }

  /** Never throws: every outcome is recorded, or left to the lease when it cannot be. */
  private async deliver(claim: ClaimedRow): Promise<void> {
    const { id, attempts } = claim;
    let email: Email | undefined;
    let response: string;
    const messageId = `<${id}@${new URL(this.config.publicUrl).hostname}>`;
    try {
      email = await this.dataSource.manager.findOneByOrFail(Email, { id });
      const context = await this.contexts.load(email);
      const rendered = await this.renderer.render(context);
      // Deterministic: a copy sent again after a crash carries the same Message-ID.
      const info = await this.transport.send(
        toMailOptions(rendered, {
          from: this.from,
          to: { name: recipientName(context), address: email.toAddress },
          messageId,
        }),
      );
      response = info.response;
    } catch (error) {
      // A database that went away before the send is as transient as a refused connection.
      const { permanent, reason } = isDatabaseUnavailable(error)
        ? { permanent: false, reason: `database unavailable: ${String(error)}` }
        : classifyFailure(error);
      const giveUp = permanent || attempts >= this.config.mailMaxAttempts;
      const delay = retryDelayMs(attempts, RETRY_BASE_MS, RETRY_MAX_MS);
      await this.settle(
        claim,
        `UPDATE emails SET status = $2, last_error = $3, locked_until = NULL,
                next_attempt_at = now() + make_interval(secs => $4), updated_at = now()
          WHERE id = $1 AND status = 'sending' AND attempts = $5`,
        [id, giveUp ? 'failed' : 'queued', reason.slice(0, 1000), delay / 1000, attempts],
      );
      this.failed.inc({ permanent: String(permanent) });
      if (giveUp) this.logger.warn(`Email ${id} (${email?.kind}) failed for good: ${reason}`);
      return;
    }
    // Sent: from here on nothing may count as a failed attempt, or the email would go twice.
    // Fenced by the attempt number: a worker whose claim ran out and was taken over by
    // another does not overwrite what the other recorded.
    await this.settle(
      claim,
      `UPDATE emails SET status = 'sent', sent_at = now(), locked_until = NULL, last_error = NULL,
              message_id = $2, smtp_response = $3, updated_at = now()
        WHERE id = $1 AND status = 'sending' AND attempts = $4`,
      [id, messageId, response.slice(0, 1000), attempts],
    );
    this.sent.inc({ kind: email.kind });
  }

  /**
   * Records the outcome of an attempt. While the database is unreachable (restarting, a lost
   * connection) it tries again every second until the claim's lease runs out: giving up early
   * would leave a sent email to be taken over and sent a second time, or a failed one idle
   * until its lease ends.
   */
  private async settle(claim: ClaimedRow, sql: string, params: unknown[]): Promise<void> {
    for (;;) {
      try {
        await this.dataSource.query(sql, params);
        return;
      } catch (error) {
        const retry =
          isDatabaseUnavailable(error) &&
          this.dataSource.isInitialized &&
          Date.now() + SETTLE_RETRY_MS <= claim.until;
        if (!retry) {
          this.logger.warn(
            `Could not record the outcome of email ${claim.id}; its lease decides: ${String(error)}`,
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, SETTLE_RETRY_MS));
      }
    }
  }

  /** A dedicated connection listening for "new email queued", so idle workers wake at once. */
  private async listen(): Promise<void> {
    const listener = new Client({ connectionString: this.config.databaseUrl });
    this.listener = listener;
    listener.on('notification', () => this.wake?.());
    listener.on('error', (error) => {
      // Until it is back, the worker still polls every IDLE_POLL_MS.
      this.logger.warn(`Email listener lost, reconnecting: ${String(error)}`);
      void listener.end().catch(() => undefined);
      this.reconnectLater();
    });
    await listener.connect();
    await listener.query(`LISTEN ${EMAILS_CHANNEL}`);
  }

  private reconnectLater(): void {
    setTimeout(() => {
      if (this.running) this.listen().catch(() => this.reconnectLater());
    }, 5000).unref();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** "Convene <noreply@example.org>" or a bare address, as MAIL_FROM allows. */
export function parseAddress(value: string): { name: string; address: string } {
  const match = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(value);
  return match
    ? { name: match[1].replace(/^"|"$/g, ''), address: match[2] }
    : { name: '', address: value.trim() };
}

function recipientName(context: EmailContext): string {
  if (context.registration)
    return `${context.registration.givenName} ${context.registration.familyName}`;
  if (context.delegation)
    return `${context.delegation.headGivenName} ${context.delegation.headFamilyName}`;
  return '';
}
