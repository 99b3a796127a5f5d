import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DomainError, NotFoundError } from '../common/errors/domain-error';
import { decodeCursor, Page, PageQueryDto, toPage } from '../common/http/paging';
import { EventsService } from '../events/events.service';
import type { EmailLogFilters } from './dto/email-log-query.dto';
import { Email } from './email.entity';
import type { EmailRequest } from './email-request';
import { EMAILS_CHANNEL } from './delivery/emails-channel';

/** Column lengths of the emails table that a request's values must fit. */
const MAX_DEDUPE_KEY = 300;
const MAX_ADDRESS = 320;

/**
 * One statement for any number of emails: the rows travel as eight arrays (eight parameters, so
 * PostgreSQL's limit of 65,535 parameters never splits a broadcast). Rows are inserted in
 * dedupe-key order, so two transactions enqueueing overlapping sets wait on each other in the
 * same order instead of deadlocking. A key seen before (committed, in this transaction, or
 * earlier in the same list) inserts nothing; a key of a concurrent transaction waits for it.
 */
const INSERT_EMAILS = `
  WITH inserted AS (
  INSERT INTO emails
    (event_id, registration_id, delegation_id, kind, to_address, language, dedupe_key, facts)
  SELECT r.event_id, r.registration_id, r.delegation_id, r.kind, r.to_address, r.language,
         r.dedupe_key, r.facts::jsonb
  FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::varchar[], $5::varchar[], $6::varchar[],
              $7::varchar[], $8::text[])
    AS r(event_id, registration_id, delegation_id, kind, to_address, language, dedupe_key, facts)
  ORDER BY r.dedupe_key
  ON CONFLICT (dedupe_key) DO NOTHING
  RETURNING 1)
  -- Wakes idle email workers; PostgreSQL delivers it only when the transaction commits.
  SELECT pg_notify('${EMAILS_CHANNEL}', '') WHERE EXISTS (SELECT 1 FROM inserted)`;

/**
 * The outbox and the email log. Features call `enqueue` inside their own transaction; the
 * worker (delivery/email-worker.service.ts) sends what was committed.
 */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectRepository(Email) private readonly emails: Repository<Email>,
    private readonly events: EventsService,
  ) {}

  /**
   * Writes the email to the outbox in the caller's transaction: it is sent only if that commits.
   * A request whose dedupeKey is already in the outbox is ignored.
   */
  async enqueue(manager: EntityManager, request: EmailRequest): Promise<void> {
    await this.enqueueMany(manager, [request]);
  }

  /** The same for many emails (a broadcast to every registrant), in one statement. */
  async enqueueMany(manager: EntityManager, requests: readonly EmailRequest[]): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      // Outside a transaction the email would be committed even if the change is not.
      throw new Error('Emails are enqueued with the EntityManager of an open transaction.');
    }
    if (requests.length === 0) return;
    requests.forEach(assertStorable);
    await manager.query(INSERT_EMAILS, [
      requests.map((r) => r.eventId),
      requests.map((r) => r.registrationId ?? null),
      requests.map((r) => r.delegationId ?? null),
      requests.map((r) => r.kind),
      requests.map((r) => r.to),
      requests.map((r) => r.language),
      requests.map((r) => r.dedupeKey),
      requests.map((r) => JSON.stringify(r.facts ?? {})),
    ]);
  }

  /**
   * Sends a failed email again: back in the queue, due now, with a fresh budget of attempts.
   * Only a failed one: a queued or sending email is on its way, a sent one arrived.
   */
  async retry(id: string): Promise<Email> {
    const [rows]: [Email[], number] = await this.emails.query(
      `UPDATE emails SET status = 'queued', attempts = 0, next_attempt_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'failed' RETURNING id`,
      [id],
    );
    const email = await this.emails.findOneBy({ id });
    if (!email) throw new NotFoundError(`The email ${id}`, 'EMAIL_NOT_FOUND');
    if (rows.length === 0) {
      throw new DomainError(
        'conflict',
        'EMAIL_NOT_FAILED',
        `The email is ${email.status}; only a failed email is retried.`,
      );
    }
    await this.emails.query(`SELECT pg_notify('${EMAILS_CHANNEL}', '')`);
    return email;
  }

  /** The email log of an event, newest first. */
  async list(slug: string, filters: EmailLogFilters, page: PageQueryDto): Promise<Page<Email>> {
    const event = await this.events.findBySlug(slug);
    const qb = this.emails
      .createQueryBuilder('m')
      .where('m.eventId = :eventId', { eventId: event.id })
      .orderBy('m.createdAt', 'DESC')
      .addOrderBy('m.id', 'DESC');
    if (filters.status) qb.andWhere('m.status = :status', { status: filters.status });
    if (filters.kind) qb.andWhere('m.kind = :kind', { kind: filters.kind });
    if (filters.registrationId) {
      qb.andWhere('m.registrationId = :registrationId', {
        registrationId: filters.registrationId,
      });
    }
    if (page.cursor) {
      // created_at has microseconds, a JS Date only milliseconds: compare with the row itself,
      // not with a rounded copy of its time (which would skip or repeat rows at a page break).
      const [id] = decodeCursor(page.cursor, ['uuid']);
      qb.andWhere(
        '(m.createdAt, m.id) < (SELECT c.created_at, c.id FROM emails c WHERE c.id = :cursorId)',
        { cursorId: id },
      );
    }
    const rows = await qb.limit(page.limit + 1).getMany();
    return toPage(
      rows,
      page.limit,
      (m) => [m.id],
      (m) => m,
    );
  }
}

/**
 * A request that cannot be stored is a bug in the calling feature (its input validation let
 * something through), not bad input to report as a 400: fail loudly with what is wrong.
 */
function assertStorable(request: EmailRequest): void {
  if (request.dedupeKey.length === 0 || request.dedupeKey.length > MAX_DEDUPE_KEY) {
    throw new Error(`An email's dedupeKey must have 1 to ${MAX_DEDUPE_KEY} characters.`);
  }
  if (request.to.length === 0 || request.to.length > MAX_ADDRESS) {
    throw new Error(`An email's address must have 1 to ${MAX_ADDRESS} characters.`);
  }
}
