import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Email } from '../email.entity';
import { CONTEXT_COLUMNS, type ContextRow } from './email-context.loader';

/** How long a claimed email stays ours; past it, another worker may take it (we crashed). */
const LEASE_SECONDS = 120;
const LEASE_MARGIN_SECONDS = 10;

/** The context columns as a LEFT JOIN returns them: the event's are null when it is gone. */
type NullableContext = Omit<ContextRow, 'slug'> & { slug: string | null };

/** A claimed email: the outbox row as the claim returned it, and our lease on it. */
export interface ClaimedRow extends Pick<
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

export interface SentOutcome {
  claim: ClaimedRow;
  messageId: string;
  response: string;
}

/**
 * The outbox's leases: claiming emails for the worker's slots (FOR UPDATE SKIP LOCKED, never
 * one email twice), with what each needs to be rendered, and giving back claims never begun.
 */
@Injectable()
export class EmailClaims {
  private readonly logger = new Logger('EmailWorker');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async claim(limit: number, sent?: SentOutcome): Promise<ClaimedRow[]> {
    // The claimed rows come back with what they need to be rendered (CONTEXT_COLUMNS), so an
    // email costs no query of its own between its claim and its send. A sent outcome given
    // is recorded by the same statement (fenced like recordSent), and never claimed again.
    const rows: (Omit<ClaimedRow, 'until' | 'context'> & NullableContext)[] =
      await this.dataSource.query(
        `WITH sent AS (
           UPDATE emails e SET status = 'sent', sent_at = now(), locked_until = NULL,
                  last_error = NULL, message_id = $5, smtp_response = $6, updated_at = now()
            WHERE e.id = $3 AND e.status = 'sending' AND e.attempts = $4),
         -- Each kind of due email is read in its own partial index's order. One WHERE with
         -- both (an OR) read and sorted the whole queue to find the first few: 11.7 ms per
         -- claim with 10,000 queued, against 0.5 ms this way.
         expired AS (
           SELECT id, locked_until AS due FROM emails
            WHERE status = 'sending' AND locked_until < now() AND id IS DISTINCT FROM $3
            ORDER BY locked_until LIMIT $1 FOR UPDATE SKIP LOCKED),
         queued AS (
           SELECT id, next_attempt_at AS due FROM emails
            WHERE status = 'queued' AND next_attempt_at <= now()
            ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED),
         claimed AS (
           UPDATE emails SET status = 'sending', attempts = attempts + 1,
                  locked_until = now() + make_interval(secs => $2), updated_at = now()
            WHERE id IN (
              SELECT id FROM (SELECT * FROM expired UNION ALL SELECT * FROM queued) due
               ORDER BY due LIMIT $1)
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
  async unclaim(claims: ClaimedRow[]): Promise<void> {
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
}
