import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Language } from '../common/validation/decorators';

export const EVENT_FORMATS = ['in_person', 'online', 'hybrid'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];

export const EVENT_STATUSES = ['draft', 'published', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const ATTENDANCE_MODES = ['in_person', 'online'] as const;
export type AttendanceMode = (typeof ATTENDANCE_MODES)[number];

@Entity('events')
@Index('uq_events_slug', ['slug'], { unique: true })
@Index('idx_events_status_starts_at', ['status', 'startsAt', 'id'])
@Check('chk_events_format', `"format" IN ('in_person', 'online', 'hybrid')`)
@Check('chk_events_status', `"status" IN ('draft', 'published', 'cancelled')`)
@Check('chk_events_ends_after_starts', `"ends_at" > "starts_at"`)
@Check(
  'chk_events_registration_window',
  `"registration_opens_at" IS NULL OR "registration_closes_at" IS NULL OR "registration_closes_at" > "registration_opens_at"`,
)
@Check(
  'chk_events_in_person_fields',
  `("format" = 'online') = ("capacity_in_person" IS NULL) AND ("format" <> 'online' OR "venue_name" IS NULL)`,
)
@Check(
  'chk_events_online_fields',
  `("format" = 'in_person') = ("capacity_online" IS NULL) AND ("format" <> 'in_person' OR "online_join_url" IS NULL)`,
)
@Check('chk_events_capacity_in_person', `"capacity_in_person" >= 0`)
@Check('chk_events_capacity_online', `"capacity_online" >= 0`)
@Check('chk_events_max_delegation_size', `"max_delegation_size" >= 1`)
@Check('chk_events_online_min_minutes', `"online_attendance_min_minutes" >= 0`)
@Check('chk_events_languages', `cardinality("languages") >= 1`)
@Check(
  'chk_events_seats_in_person',
  `"seats_taken_in_person" >= 0 AND "seats_taken_in_person" <= COALESCE("capacity_in_person", 0)`,
)
@Check(
  'chk_events_seats_online',
  `"seats_taken_online" >= 0 AND "seats_taken_online" <= COALESCE("capacity_online", 0)`,
)
export class Event {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 100 })
  slug: string;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'varchar', length: 64 })
  timezone: string;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;

  @Column({ type: 'varchar', length: 16 })
  format: EventFormat;

  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status: EventStatus;

  @Column({ type: 'varchar', length: 300, nullable: true })
  venueName: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  venueAddress: string | null;

  /** The meeting URL. Never shown publicly: participants get personal /j/ links instead. */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  onlineJoinUrl: string | null;

  @Column({ type: 'int', nullable: true })
  capacityInPerson: number | null;

  @Column({ type: 'int', nullable: true })
  capacityOnline: number | null;

  /**
   * Confirmed registrations per mode, kept by the participants module in the same transaction
   * as each change. The CHECKs above make an overbooking an error instead of a fact.
   */
  @Column({ type: 'int', default: 0 })
  seatsTakenInPerson: number;

  @Column({ type: 'int', default: 0 })
  seatsTakenOnline: number;

  @Column({ type: 'timestamptz', nullable: true })
  registrationOpensAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  registrationClosesAt: Date | null;

  @Column({ type: 'boolean', default: false })
  requiresApproval: boolean;

  @Column({ type: 'boolean', default: true })
  waitlist: boolean;

  @Column({ type: 'int', default: 10 })
  maxDelegationSize: number;

  @Column({ type: 'varchar', length: 2, array: true, default: () => `'{en}'` })
  languages: Language[];

  @Column({ type: 'int', default: 15 })
  onlineAttendanceMinMinutes: number;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** The attendance modes an event's format offers. */
export function modesOf(format: EventFormat): AttendanceMode[] {
  switch (format) {
    case 'in_person':
      return ['in_person'];
    case 'online':
      return ['online'];
    case 'hybrid':
      return ['in_person', 'online'];
  }
}
