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
import { classifyFailure, retryDelayMs } from './delivery-policy';
import { EmailContextLoader } from './email-context.loader';
import { EMAILS_CHANNEL } from './emails-channel';
import { MAIL_TRANSPORT, MailTransport } from './mail-transport';

/** How long a claimed email stays ours; past it, another worker may take it (we crashed). */
const LEASE_SECONDS = 120;
const IDLE_POLL_MS = 2000;
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 30 * 60_000;

interface ClaimedRow {
  id: string;
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
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    this.transport.close();
  }

  /** Sends what is due until nothing is; returns how many emails it handled. For tests too. */
  async drain(): Promise<number> {
    let handled = 0;
    for (;;) {
      const batch = await this.claim(this.config.mailWorkerConcurrency);
      if (batch.length === 0) return handled;
      await Promise.all(batch.map((id) => this.deliver(id)));
      handled += batch.length;
    }
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

  private async claim(limit: number): Promise<string[]> {
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
       RETURNING id`,
      [limit, LEASE_SECONDS],
    );
    return rows.map((row) => row.id);
  }

  private async deliver(id: string): Promise<void> {
    const email = await this.dataSource.manager.findOneByOrFail(Email, { id });
    try {
      const context = await this.contexts.load(email);
      const rendered = await this.renderer.render(context);
      // Deterministic: a copy sent again after a crash carries the same Message-ID.
      const messageId = `<${email.id}@${new URL(this.config.publicUrl).hostname}>`;
      const info = await this.transport.send(
        toMailOptions(rendered, {
          from: this.from,
          to: { name: recipientName(context), address: email.toAddress },
          messageId,
        }),
      );
      // Fenced by the attempt number: a worker whose claim ran out and was taken over by
      // another does not overwrite what the other recorded.
      await this.dataSource.query(
        `UPDATE emails SET status = 'sent', sent_at = now(), locked_until = NULL, last_error = NULL,
                message_id = $2, smtp_response = $3, updated_at = now()
          WHERE id = $1 AND status = 'sending' AND attempts = $4`,
        [id, messageId, info.response.slice(0, 1000), email.attempts],
      );
      this.sent.inc({ kind: email.kind });
    } catch (error) {
      const { permanent, reason } = classifyFailure(error);
      const giveUp = permanent || email.attempts >= this.config.mailMaxAttempts;
      const delay = retryDelayMs(email.attempts, RETRY_BASE_MS, RETRY_MAX_MS);
      await this.dataSource.query(
        `UPDATE emails SET status = $2, last_error = $3, locked_until = NULL,
                next_attempt_at = now() + make_interval(secs => $4), updated_at = now()
          WHERE id = $1 AND status = 'sending' AND attempts = $5`,
        [id, giveUp ? 'failed' : 'queued', reason, delay / 1000, email.attempts],
      );
      this.failed.inc({ permanent: String(permanent) });
      if (giveUp) this.logger.warn(`Email ${id} (${email.kind}) failed for good: ${reason}`);
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
