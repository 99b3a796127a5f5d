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

/**
 * A person let in at the door, for the event as a whole or for one session. Exactly one per
 * registration and session key: the unique index decides, so two desks scanning the same code
 * at the same moment make one row (INSERT … ON CONFLICT DO NOTHING), never a read-then-write.
 */
@Entity('check_ins')
@Index('uq_check_ins_registration_session', ['registrationId', 'sessionKey'], { unique: true })
// Not (event_id, session_key, registration_id): its random positions cost every check-in at
// the door about 15 % (migration CheckInsEventSessionIndexRestored).
@Index('idx_check_ins_event_session', ['eventId', 'sessionKey'])
@Index('idx_check_ins_session', ['sessionId'])
@Check('chk_check_ins_session_key', `"session_key" = COALESCE("session_id"::text, 'event')`)
export class CheckIn {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_check_ins_event' })
  event?: Relation<Event>;

  @Column({ type: 'uuid' })
  registrationId: string;

  @ManyToOne(() => Registration, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'registration_id', foreignKeyConstraintName: 'fk_check_ins_registration' })
  registration?: Relation<Registration>;

  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  @ManyToOne(() => EventSession, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_check_ins_session' })
  session?: Relation<EventSession>;

  /** The session's id, or 'event' (see session-key.ts). */
  @Column({ type: 'varchar', length: 36 })
  sessionKey: string;

  /** Server time of the scan that let the person in. */
  @Column({ type: 'timestamptz' })
  checkedInAt: Date;

  /** The desk's own clock for that scan, when it sent one (a desk offline sends scans later). */
  @Column({ type: 'timestamptz', nullable: true })
  scannedAt: Date | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  desk: string | null;
}
