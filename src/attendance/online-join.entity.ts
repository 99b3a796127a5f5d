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
 * Opens of a personal join link: one row per registration and session key, upserted
 * (INSERT … ON CONFLICT DO UPDATE) so concurrent opens count every time and never make two rows.
 * Online presence is its own record, never the in-person check-in flag.
 */
@Entity('online_joins')
@Index('uq_online_joins_registration_session', ['registrationId', 'sessionKey'], { unique: true })
@Index('idx_online_joins_event_session', ['eventId', 'sessionKey'])
@Index('idx_online_joins_session', ['sessionId'])
@Check('chk_online_joins_session_key', `"session_key" = COALESCE("session_id"::text, 'event')`)
@Check('chk_online_joins_join_count', `"join_count" >= 1`)
@Check('chk_online_joins_order', `"last_joined_at" >= "first_joined_at"`)
export class OnlineJoin {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_online_joins_event' })
  event?: Relation<Event>;

  @Column({ type: 'uuid' })
  registrationId: string;

  @ManyToOne(() => Registration, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'registration_id', foreignKeyConstraintName: 'fk_online_joins_registration' })
  registration?: Relation<Registration>;

  @Column({ type: 'uuid', nullable: true })
  sessionId: string | null;

  @ManyToOne(() => EventSession, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_online_joins_session' })
  session?: Relation<EventSession>;

  @Column({ type: 'varchar', length: 36 })
  sessionKey: string;

  @Column({ type: 'timestamptz' })
  firstJoinedAt: Date;

  @Column({ type: 'timestamptz' })
  lastJoinedAt: Date;

  @Column({ type: 'int', default: 1 })
  joinCount: number;
}
