import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { Event } from '../events/event.entity';
import { Registration } from '../participants/registration.entity';

export const CHECK_IN_RESULTS = [
  'checked_in',
  'already_checked_in',
  'not_admitted',
  'not_found',
] as const;
export type CheckInResult = (typeof CHECK_IN_RESULTS)[number];

/**
 * Every scan or typed code at a desk, whatever came of it: the audit trail of the door. The
 * answer given is kept (status and body), so a retried request with the same nonce gets the
 * very same answer; the partial unique index makes "the same nonce" one row, even when the
 * retry races the original.
 */
@Entity('check_in_attempts')
@Index('uq_check_in_attempts_event_nonce', ['eventId', 'nonce'], {
  unique: true,
  where: `"nonce" IS NOT NULL`,
})
@Index('idx_check_in_attempts_event_received', ['eventId', 'receivedAt'])
@Index('idx_check_in_attempts_registration', ['registrationId'])
@Check(
  'chk_check_in_attempts_result',
  `"result" IN ('checked_in', 'already_checked_in', 'not_admitted', 'not_found')`,
)
@Check('chk_check_in_attempts_reason', `("result" = 'not_admitted') = ("reason" IS NOT NULL)`)
export class CheckInAttempt {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_check_in_attempts_event' })
  event?: Relation<Event>;

  /** The registration the code named, when it named one (of this event or another). */
  @Column({ type: 'uuid', nullable: true })
  registrationId: string | null;

  @ManyToOne(() => Registration, { onDelete: 'SET NULL' })
  @JoinColumn({
    name: 'registration_id',
    foreignKeyConstraintName: 'fk_check_in_attempts_registration',
  })
  registration?: Relation<Registration>;

  /** No foreign key: the trail outlives a deleted session. */
  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  /** The code as the desk sent it (QR content or a typed reference). */
  @Column({ type: 'varchar', length: 200 })
  code: string;

  @Column({ type: 'varchar', length: 24 })
  result: CheckInResult;

  @Column({ type: 'varchar', length: 32, nullable: true })
  reason: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  desk: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  nonce: string | null;

  /** The desk's clock. */
  @Column({ type: 'timestamptz', nullable: true })
  scannedAt: Date | null;

  /** The server's clock. */
  @Column({ type: 'timestamptz' })
  receivedAt: Date;

  @Column({ type: 'smallint' })
  responseStatus: number;

  /** json, not jsonb: kept byte for byte as first answered. */
  @Column({ type: 'json' })
  responseBody: Record<string, unknown>;
}
