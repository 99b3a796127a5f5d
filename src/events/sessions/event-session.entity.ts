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
import { Event } from '../event.entity';

/** An agenda item of an event: a panel, a plenary, a side meeting. */
@Entity('event_sessions')
@Index('idx_event_sessions_event_starts_at', ['eventId', 'startsAt', 'id'])
@Check('chk_event_sessions_ends_after_starts', `"ends_at" > "starts_at"`)
@Check('chk_event_sessions_capacity_in_person', `"capacity_in_person" >= 0`)
@Check(
  'chk_event_sessions_seats_taken',
  `"seats_taken" >= 0 AND ("capacity_in_person" IS NULL OR "seats_taken" <= "capacity_in_person")`,
)
export class EventSession {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_event_sessions_event' })
  event?: Relation<Event>;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;

  @Column({ type: 'varchar', length: 200, nullable: true })
  room: string | null;

  @Column({ type: 'varchar', length: 300, array: true, default: () => `'{}'` })
  speakers: string[];

  /** Seats in the room; null means anyone attending the event in person may come. */
  @Column({ type: 'int', nullable: true })
  capacityInPerson: number | null;

  /** Confirmed in-person registrations that chose this session (kept like the event's seats). */
  @Column({ type: 'int', default: 0 })
  seatsTaken: number;

  /** A separate meeting for this session; null means the event's meeting. Never public. */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  onlineJoinUrl: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
