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
import type { EmailContext } from '../rendering/email-context';
import { EmailRenderer } from '../rendering/email-renderer';
import { toMailOptions } from '../rendering/mail-options';
import { isDatabaseUnavailable } from '../../database/postgres-errors';
import { classifyFailure, retryDelayMs } from './delivery-policy';
import { type ClaimedRow, EmailClaims, type SentOutcome } from './email-claims';
import { EmailContextLoader } from './email-context.loader';
import { EMAILS_CHANNEL } from './emails-channel';
import { MAIL_TRANSPORT, MailTransport } from './mail-transport';

const IDLE_POLL_MS = 2000;
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 30 * 60_000;
const SETTLE_RETRY_MS = 1000;

/**
 * Sends the outbox. Any number of instances run it, each with MAIL_WORKER_CONCURRENCY slots
 * that each take the next email as soon as they are free. Emails are claimed several at a time
 * with FOR UPDATE SKIP LOCKED, so no email is claimed twice; a claim is a lease, so the emails of a
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
  /** Sent outcomes waiting to be written in one statement. */
  private sentQueue: (SentOutcome & { done: () => void })[] = [];
  /** A write of sent outcomes is due or under way; outcomes arriving meanwhile wait for it. */
  private recording = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    private readonly contexts: EmailContextLoader,
    private readonly claims: EmailClaims,
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
   * it handled. For tests too. MAIL_WORKER_CONCURRENCY slots each take the next claimed email
   * as soon as they are free (no slot waits for the slowest of a batch); a slot that finds
   * none claimed claims, with one statement, one for each slot then free.
   */
  async drain(): Promise<number> {
    const slots = this.config.mailWorkerConcurrency;
    const ready: ClaimedRow[] = [];
    let claiming: Promise<number> | undefined;
    let handled = 0;
    /** Claimed and not yet recorded (ready, or being delivered). */
    let held = 0;
    /** Records a sent outcome on its own, and frees its place. */
    const recordAlone = async (outcome: SentOutcome) => {
      await this.record(outcome);
      held--;
    };
    /** Sent outcomes being recorded on their own while their slots go on with the next email. */
    const recording = new Set<Promise<void>>();
    const recordMeanwhile = (outcome: SentOutcome) => {
      const written: Promise<void> = recordAlone(outcome).finally(() => recording.delete(written));
      recording.add(written);
    };
    /**
     * The next email for a slot. `sent`, the slot's own outcome not yet recorded, is written
     * by the claim statement itself when this slot is the one to claim (one round trip
     * instead of two); otherwise on its own, while the slot goes on. It keeps its place in
     * `held` until written, so what is claimed or sent-but-unrecorded never exceeds the slots:
     * a crash still leaves at most that many to be sent again.
     */
    const next = async (sent?: SentOutcome): Promise<ClaimedRow | undefined> => {
      let carried = sent;
      while (ready.length === 0) {
        if (this.stopping) break;
        if (carried && claiming) {
          recordMeanwhile(carried);
          carried = undefined;
          continue;
        }
        const own = carried;
        carried = undefined;
        if (!claiming && !own && held >= slots && recording.size > 0) {
          // Every place is held by an outcome being written: wait for one to be free.
          await Promise.race(recording);
          continue;
        }
        // Never more claimed at once than there are slots: a crash strands no more than that.
        // The claim that records `own` may take its place, in the same transaction.
        claiming ??= this.claims.claim(slots - held + (own ? 1 : 0), own).then(
          (rows) => {
            if (own) {
              held--;
              this.sent.inc({ kind: own.claim.kind });
            }
            held += rows.length;
            ready.push(...rows);
            return rows.length;
          },
          async (error: unknown) => {
            claiming = undefined;
            if (own) await recordAlone(own);
            throw error;
          },
        );
        const pending = claiming;
        const got = await pending;
        if (claiming === pending) claiming = undefined;
        if (got === 0 && ready.length === 0) return undefined;
      }
      if (carried) recordMeanwhile(carried);
      return ready.shift();
    };
    const slot = async () => {
      for (let claim = await next(); claim;) {
        const sent = await this.deliver(claim);
        handled++;
        if (!sent) held--;
        claim = await next(sent);
      }
    };
    try {
      // Every slot ends before drain() does, even when a claim failed in one of them.
      const ended = await Promise.allSettled(Array.from({ length: slots }, slot));
      const failed = ended.find((e): e is PromiseRejectedResult => e.status === 'rejected');
      if (failed) throw failed.reason;
    } finally {
      await Promise.all(recording);
      // Claimed but not begun (the worker is stopping): back to the queue, no attempt counted.
      if (ready.length) await this.claims.unclaim(ready.splice(0));
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

  /**
   * Sends one email. A failure is recorded here; a success is returned, to be recorded by the
   * slot's next claim or by record(). Never throws.
   */
  private async deliver(claim: ClaimedRow): Promise<SentOutcome | undefined> {
    const { id, attempts } = claim;
    const email = claim;
    let response: string;
    const messageId = `<${id}@${new URL(this.config.publicUrl).hostname}>`;
    try {
      // Rendering and composing are the worker's CPU; letting the requests that arrived
      // meanwhile run first keeps the API answering during a drain.
      await new Promise((resolve) => setImmediate(resolve));
      const context = await this.contexts.load(email, claim.icsSequence, claim.context);
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
      if (giveUp) this.logger.warn(`Email ${id} (${email.kind}) failed for good: ${reason}`);
      return undefined;
    }
    // Sent: from here on nothing may count as a failed attempt, or the email would go twice.
    // Fenced by the attempt number: a worker whose claim ran out and was taken over by
    // another does not overwrite what the other recorded.
    return { claim, messageId, response: response.slice(0, 1000) };
  }

  /** Records a sent outcome with those of other slots (recordSent); resolves once written. */
  private async record(outcome: SentOutcome): Promise<void> {
    await new Promise<void>((done) => {
      this.sentQueue.push({ ...outcome, done });
      this.scheduleRecord();
    });
    this.sent.inc({ kind: outcome.claim.kind });
  }

  /**
   * Sent outcomes are written as soon as no write is under way, together with those that
   * arrived while one was: a slot waits for its outcome before taking the next email (never
   * more held than slots), so a fixed delay to gather them (5 ms) was time every slot spent
   * idle; one write at a time still groups them under load.
   */
  private scheduleRecord(): void {
    if (this.recording) return;
    this.recording = true;
    setImmediate(() => {
      void this.recordSent().finally(() => {
        this.recording = false;
        if (this.sentQueue.length > 0) this.scheduleRecord();
      });
    });
  }

  /**
   * Writes the sent outcomes gathered meanwhile with one statement, each still fenced by its
   * attempt number. It is retried like any outcome, until the first lease of the group runs out.
   */
  private async recordSent(): Promise<void> {
    const outcomes = this.sentQueue;
    this.sentQueue = [];
    const until = Math.min(...outcomes.map((o) => o.claim.until));
    await this.settle(
      { id: `${outcomes.length} sent emails`, until },
      `UPDATE emails e SET status = 'sent', sent_at = now(), locked_until = NULL,
              last_error = NULL, message_id = s.message_id, smtp_response = s.response,
              updated_at = now()
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[])
              AS s(id, attempts, message_id, response)
        WHERE e.id = s.id AND e.status = 'sending' AND e.attempts = s.attempts`,
      [
        outcomes.map((o) => o.claim.id),
        outcomes.map((o) => o.claim.attempts),
        outcomes.map((o) => o.messageId),
        outcomes.map((o) => o.response),
      ],
    );
    for (const outcome of outcomes) outcome.done();
  }

  /**
   * Records the outcome of an attempt. While the database is unreachable (restarting, a lost
   * connection) it tries again every second until the claim's lease runs out: giving up early
   * would leave a sent email to be taken over and sent a second time, or a failed one idle
   * until its lease ends.
   */
  private async settle(
    claim: Pick<ClaimedRow, 'id' | 'until'>,
    sql: string,
    params: unknown[],
  ): Promise<void> {
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
