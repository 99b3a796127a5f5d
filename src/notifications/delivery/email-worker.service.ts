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
import { CONTEXT_COLUMNS, type ContextRow, EmailContextLoader } from './email-context.loader';
import { EMAILS_CHANNEL } from './emails-channel';
import { MAIL_TRANSPORT, MailTransport } from './mail-transport';

/** How long a claimed email stays ours; past it, another worker may take it (we crashed). */
const LEASE_SECONDS = 120;
const IDLE_POLL_MS = 2000;
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 30 * 60_000;
const LEASE_MARGIN_SECONDS = 10;
const SETTLE_RETRY_MS = 1000;

/** The context columns as a LEFT JOIN returns them: the event's are null when it is gone. */
type NullableContext = Omit<ContextRow, 'slug'> & { slug: string | null };

/** A claimed email: the outbox row as the claim returned it, and our lease on it. */
interface ClaimedRow extends Pick<
  Email,
  'id' | 'attempts' | 'eventId' | 'registrationId' | 'delegationId' | 'kind' | 'toAddress'
> {
  language: Email['language'];
  facts: Email['facts'];
  /** How many earlier emails about the registration there are (the ICS SEQUENCE). */
  icsSequence: number;
  /** When our lease ends (our clock, with a margin): after it the outcome is not ours to write. */
  until: number;
  /** What the email is about, read by the claim itself (null: the event is gone). */
  context: ContextRow | null;
}

interface SentOutcome {
  claim: ClaimedRow;
  messageId: string;
  response: string;
}

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
    /**
     * The next email for a slot. `sent`, the slot's own outcome not yet recorded, is written
     * by the claim statement itself when this slot is the one to claim (one round trip
     * instead of two); otherwise on its own, before the slot takes another email.
     */
    const next = async (sent?: SentOutcome): Promise<ClaimedRow | undefined> => {
      let carried = sent;
      while (ready.length === 0) {
        if (this.stopping) break;
        if (carried && claiming) {
          await recordAlone(carried);
          carried = undefined;
          continue;
        }
        const own = carried;
        carried = undefined;
        // Never more claimed at once than there are slots: a crash strands no more than that.
        // The claim that records `own` may take its place, in the same transaction.
        claiming ??= this.claim(slots - held + (own ? 1 : 0), own).then(
          (rows) => {
            if (own) held--;
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
      if (carried) await recordAlone(carried);
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
      // Claimed but not begun (the worker is stopping): back to the queue, no attempt counted.
      if (ready.length) await this.unclaim(ready.splice(0));
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

  private async claim(limit: number, sent?: SentOutcome): Promise<ClaimedRow[]> {
    // The claimed rows come back with what they need to be rendered (CONTEXT_COLUMNS), so an
    // email costs no query of its own between its claim and its send. A sent outcome given
    // is recorded by the same statement (fenced like recordSent), and never claimed again.
    const rows: (Omit<ClaimedRow, 'until' | 'context'> & NullableContext)[] =
      await this.dataSource.query(
        `WITH sent AS (
           UPDATE emails e SET status = 'sent', sent_at = now(), locked_until = NULL,
                  last_error = NULL, message_id = $5, smtp_response = $6, updated_at = now()
            WHERE e.id = $3 AND e.status = 'sending' AND e.attempts = $4),
         claimed AS (
           UPDATE emails SET status = 'sending', attempts = attempts + 1,
                  locked_until = now() + make_interval(secs => $2), updated_at = now()
            WHERE id IN (
              SELECT id FROM emails
               WHERE ((status = 'queued' AND next_attempt_at <= now())
                   OR (status = 'sending' AND locked_until < now()))
                 AND id IS DISTINCT FROM $3
               ORDER BY next_attempt_at
               LIMIT $1
               FOR UPDATE SKIP LOCKED)
           RETURNING id, attempts, event_id AS "eventId", registration_id AS "registrationId",
                     delegation_id AS "delegationId", kind, to_address AS "toAddress", language,
                     facts,
                     (SELECT count(*)::int FROM emails earlier
                       WHERE earlier.registration_id = emails.registration_id
                         AND (earlier.created_at, earlier.id) < (emails.created_at, emails.id))
                       AS "icsSequence")
         SELECT claimed.*, ${CONTEXT_COLUMNS}
           FROM claimed
           LEFT JOIN events e ON e.id = claimed."eventId"
           LEFT JOIN registrations r ON r.id = claimed."registrationId"`,
        [
          limit,
          LEASE_SECONDS,
          sent?.claim.id ?? null,
          sent?.claim.attempts ?? null,
          sent?.messageId ?? null,
          sent?.response ?? null,
        ],
      );
    if (sent) this.sent.inc({ kind: sent.claim.kind });
    // The lease is counted from here, on our clock, a little short of the database's.
    const until = Date.now() + (LEASE_SECONDS - LEASE_MARGIN_SECONDS) * 1000;
    return rows.map((row) => {
      const { slug, title, timezone, startsAt, endsAt, format, status, ...rest } = row;
      const { venueName, venueAddress, registration, ...email } = rest;
      const event = { title, timezone, startsAt, endsAt, format, status, venueName, venueAddress };
      return { ...email, until, context: slug === null ? null : { slug, ...event, registration } };
    });
  }

  /** Gives back claims never begun, fenced like every outcome by the attempt number. */
  private async unclaim(claims: ClaimedRow[]): Promise<void> {
    await this.dataSource
      .query(
        `UPDATE emails e SET status = 'queued', attempts = e.attempts - 1, locked_until = NULL,
                updated_at = now()
           FROM unnest($1::uuid[], $2::int[]) AS c(id, attempts)
          WHERE e.id = c.id AND e.status = 'sending' AND e.attempts = c.attempts`,
        [claims.map((c) => c.id), claims.map((c) => c.attempts)],
      )
      .catch((error: unknown) =>
        this.logger.warn(
          `Could not give back ${claims.length} claims; their leases decide: ${String(error)}`,
        ),
      );
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
