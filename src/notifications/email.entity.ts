import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { LANGUAGES, type Language } from '../common/validation/decorators';
import { Event } from '../events/event.entity';
import { Delegation } from '../participants/delegation.entity';
import { Registration } from '../participants/registration.entity';
import { EMAIL_KINDS, EMAIL_STATUSES, type EmailKind, type EmailStatus } from './email-request';

const sqlList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * One email of the outbox: written in the transaction of the change it tells about, then claimed,
 * rendered and sent by the worker, and kept as the email log.
 *
 * TypeORM's drift check compares CHECKs and indexes by name only: changing the list of kinds,
 * statuses or languages, or an index's columns or predicate, needs a new constraint name (or a
 * hand-written migration), or the database silently keeps the old rule.
 */
@Entity('emails')
@Index('uq_emails_dedupe_key', ['dedupeKey'], { unique: true })
// The email log of an event, newest first; also serves the foreign key to events.
@Index('idx_emails_event_created_at', ['eventId', 'createdAt', 'id'])
// The log filtered by status (the organiser looking for failed emails among thousands).
@Index('idx_emails_event_status_created_at', ['eventId', 'status', 'createdAt', 'id'])
@Index('idx_emails_registration_created_at', ['registrationId', 'createdAt', 'id'])
@Index('idx_emails_delegation', ['delegationId'])
// The worker's claim: status = 'queued' AND next_attempt_at <= now() ORDER BY next_attempt_at
// ... FOR UPDATE SKIP LOCKED. Only rows waiting to be sent are in it, so it stays small.
@Index('idx_emails_queued_next_attempt_at', ['nextAttemptAt'], { where: `"status" = 'queued'` })
// Reclaiming rows whose worker died: status = 'sending' AND locked_until < now().
@Index('idx_emails_sending_locked_until', ['lockedUntil'], { where: `"status" = 'sending'` })
@Check('chk_emails_kind', `"kind" IN (${sqlList(EMAIL_KINDS)})`)
@Check('chk_emails_status', `"status" IN (${sqlList(EMAIL_STATUSES)})`)
@Check('chk_emails_language', `"language" IN (${sqlList(LANGUAGES)})`)
@Check('chk_emails_attempts', `"attempts" >= 0`)
@Check('chk_emails_sent_at', `"status" <> 'sent' OR "sent_at" IS NOT NULL`)
@Check('chk_emails_sending_locked', `"status" <> 'sending' OR "locked_until" IS NOT NULL`)
export class Email {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_emails_event' })
  event?: Relation<Event>;

  @Column({ type: 'uuid', nullable: true })
  registrationId: string | null;

  // Erasing a registration erases what was sent to that person.
  @ManyToOne(() => Registration, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'registration_id', foreignKeyConstraintName: 'fk_emails_registration' })
  registration?: Relation<Registration>;

  @Column({ type: 'uuid', nullable: true })
  delegationId: string | null;

  @ManyToOne(() => Delegation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delegation_id', foreignKeyConstraintName: 'fk_emails_delegation' })
  delegation?: Relation<Delegation>;

  @Column({ type: 'varchar', length: 40 })
  kind: EmailKind;

  /** The longest address RFC 5321 allows: 64 for the local part, @, 255 for the domain. */
  @Column({ type: 'varchar', length: 320 })
  toAddress: string;

  @Column({ type: 'varchar', length: 2 })
  language: Language;

  @Column({ type: 'varchar', length: 16, default: 'queued' })
  status: EmailStatus;

  /** Sending attempts started so far (a claim counts one). */
  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** A queued email is not claimed before this time; retries move it forward (back-off). */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  /** While 'sending': the claim expires at this time, and a crashed worker's row is reclaimed. */
  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** Our deterministic Message-ID, so a resend after a crash is recognisable as the same mail. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  messageId: string | null;

  /** What the SMTP server answered to the last attempt. */
  @Column({ type: 'text', nullable: true })
  smtpResponse: string | null;

  /** One change never yields two emails: see EmailRequest.dedupeKey. */
  @Column({ type: 'varchar', length: 300 })
  dedupeKey: string;

  /** What the change was, frozen at enqueue time (EmailRequest.facts). */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  facts: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
