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
 * A registration's time in the meeting for the event as a whole or one session, computed from
 * every stored report row of that event and session key (merged intervals, summed across
 * rejoins). Each import recomputes and replaces these rows, so totals never add up twice.
 */
@Entity('online_attendance')
@Index('uq_online_attendance_registration_session', ['registrationId', 'sessionKey'], {
  unique: true,
})
@Index('idx_online_attendance_event_session', ['eventId', 'sessionKey'])
@Index('idx_online_attendance_session', ['sessionId'])
@Check('chk_online_attendance_session_key', `"session_key" = COALESCE("session_id"::text, 'event')`)
@Check('chk_online_attendance_minutes', `"minutes" >= 0 AND "seconds" >= 0`)
@Check('chk_online_attendance_order', `"last_left_at" >= "first_joined_at"`)
export class OnlineAttendance {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_online_attendance_event' })
  event?: Relation<Event>;

  @Column({ type: 'uuid' })
  registrationId: string;

  @ManyToOne(() => Registration, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'registration_id',
    foreignKeyConstraintName: 'fk_online_attendance_registration',
  })
  registration?: Relation<Registration>;

  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  @ManyToOne(() => EventSession, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_online_attendance_session' })
  session?: Relation<EventSession>;

  @Column({ type: 'varchar', length: 36 })
  sessionKey: string;

  /** Whole minutes, rounded to the nearest. */
  @Column({ type: 'int' })
  minutes: number;

  @Column({ type: 'int' })
  seconds: number;

  /** The merged intervals, `[{start, end}]` as ISO 8601 UTC. */
  @Column({ type: 'jsonb' })
  intervals: { start: string; end: string }[];

  @Column({ type: 'timestamptz' })
  firstJoinedAt: Date;

  @Column({ type: 'timestamptz' })
  lastLeftAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
