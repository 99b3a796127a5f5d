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
import { EventSession } from '../events/sessions/event-session.entity';
import { Registration } from '../participants/registration.entity';
import type { Platform } from './platform-reports';

/**
 * One row of an imported meeting-platform report, kept as read (raw cells included) for audit.
 * The unique (event, session key, fingerprint) index makes a second import of the same rows a
 * no-op: rows are inserted with ON CONFLICT DO NOTHING. `registration_id` is the registration
 * the latest import matched it to (null: nobody registered fits).
 */
@Entity('online_attendance_rows')
@Index('uq_online_attendance_rows_fingerprint', ['eventId', 'sessionKey', 'fingerprint'], {
  unique: true,
})
@Index('idx_online_attendance_rows_registration', ['registrationId'])
@Index('idx_online_attendance_rows_session', ['sessionId'])
@Check(
  'chk_online_attendance_rows_session_key',
  `"session_key" = COALESCE("session_id"::text, 'event')`,
)
@Check('chk_online_attendance_rows_platform', `"platform" IN ('zoom', 'teams')`)
@Check('chk_online_attendance_rows_order', `"left_at" >= "joined_at"`)
@Check('chk_online_attendance_rows_fingerprint', `"fingerprint" ~ '^[0-9a-f]{64}$'`)
export class OnlineAttendanceRow {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_online_attendance_rows_event' })
  event?: Relation<Event>;

  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  @ManyToOne(() => EventSession, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_online_attendance_rows_session' })
  session?: Relation<EventSession>;

  /** The session's id, or 'event' (see session-key.ts). */
  @Column({ type: 'varchar', length: 36 })
  sessionKey: string;

  @Column({ type: 'varchar', length: 16 })
  platform: Platform;

  /** The line of the file the row ends on, in the import that first stored it. */
  @Column({ type: 'int' })
  rowNumber: number;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'timestamptz' })
  joinedAt: Date;

  @Column({ type: 'timestamptz' })
  leftAt: Date;

  /** Every cell of the row keyed by its header, as the report had it. */
  @Column({ type: 'jsonb' })
  raw: Record<string, string>;

  /** sha256 (hex) of the platform and the normalised cells: see rowFingerprint. */
  @Column({ type: 'char', length: 64 })
  fingerprint: string;

  @Column({ type: 'uuid', nullable: true })
  registrationId: string | null;

  @ManyToOne(() => Registration, { onDelete: 'SET NULL' })
  @JoinColumn({
    name: 'registration_id',
    foreignKeyConstraintName: 'fk_online_attendance_rows_registration',
  })
  registration?: Relation<Registration>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  importedAt: Date;
}
