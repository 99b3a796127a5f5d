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
import { SEARCH_TEXT_EXPRESSION } from './search-text';
import type { Language } from '../common/validation/decorators';
import { Event, type AttendanceMode } from '../events/event.entity';
import { Delegation } from './delegation.entity';

export const REGISTRATION_STATUSES = [
  'pending',
  'confirmed',
  'waitlisted',
  'declined',
  'cancelled',
] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** The statuses that hold a place in the event: one of them per email per event. */
export const ACTIVE_STATUSES: RegistrationStatus[] = ['pending', 'confirmed', 'waitlisted'];

export const STAKEHOLDER_TYPES = [
  'government',
  'international_organisation',
  'civil_society',
  'eu_institution',
  'academia',
  'media',
  'other',
] as const;
export type StakeholderType = (typeof STAKEHOLDER_TYPES)[number];

/**
 * One person's registration for one event, in one attendance mode. The person's details are
 * kept on the registration as they typed them (names in any script), so each event holds its
 * own record and a registration can be erased without touching any other.
 */
@Entity('registrations')
@Index('uq_registrations_event_reference', ['eventId', 'reference'], { unique: true })
@Index('uq_registrations_manage_token', ['manageToken'], { unique: true })
@Index('uq_registrations_join_token', ['joinToken'], { unique: true })
@Index('uq_registrations_checkin_code', ['checkinCode'], { unique: true })
@Index('idx_registrations_event_created', ['eventId', 'createdAt', 'id'])
@Index('idx_registrations_delegation', ['delegationId'])
@Index('idx_registrations_waitlist', ['eventId', 'attendanceMode', 'queuePosition'], {
  where: `"status" = 'waitlisted'`,
})
// Expression indexes, written by hand in the migration (TypeORM cannot declare them):
// one active registration per email per event, compared case-insensitively...
@Index('uq_registrations_active_email', { synchronize: false })
// ...and the trigram index behind the staff and desk search, over search_text below.
@Index('idx_registrations_search_text', { synchronize: false })
@Check(
  'chk_registrations_status',
  `"status" IN ('pending', 'confirmed', 'waitlisted', 'declined', 'cancelled')`,
)
@Check('chk_registrations_attendance_mode', `"attendance_mode" IN ('in_person', 'online')`)
@Check(
  'chk_registrations_stakeholder_type',
  `"stakeholder_type" IN ('government', 'international_organisation', 'civil_society', 'eu_institution', 'academia', 'media', 'other')`,
)
@Check('chk_registrations_language', `"language" IN ('en', 'ru', 'kk')`)
@Check('chk_registrations_country', `"country" ~ '^[A-Z]{2}$'`)
@Check('chk_registrations_reference', `"reference" ~ '^[2-9A-HJ-KM-NP-Z]{8}$'`)
@Check('chk_registrations_consent', `"consent_data_processing"`)
@Check(
  'chk_registrations_waitlist_position',
  `("status" = 'waitlisted') = ("queued_at" IS NOT NULL)`,
)
export class Registration {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_registrations_event' })
  event?: Relation<Event>;

  @Column({ type: 'uuid', nullable: true })
  delegationId: string | null;

  @ManyToOne(() => Delegation, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'delegation_id', foreignKeyConstraintName: 'fk_registrations_delegation' })
  delegation?: Relation<Delegation>;

  /** The head of a delegation who attends has a registration of their own, marked so. */
  @Column({ type: 'boolean', default: false })
  isDelegationHead: boolean;

  /** 8 characters people can read out at the desk; unique per event. */
  @Column({ type: 'char', length: 8 })
  reference: string;

  @Column({ type: 'varchar', length: 16 })
  status: RegistrationStatus;

  @Column({ type: 'varchar', length: 16 })
  attendanceMode: AttendanceMode;

  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 200 })
  givenName: string;

  @Column({ type: 'varchar', length: 200 })
  familyName: string;

  @Column({ type: 'varchar', length: 300 })
  organisation: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  position: string | null;

  @Column({ type: 'char', length: 2 })
  country: string;

  /**
   * What the staff and desk searches look in: name, email, organisation and reference, folded by
   * convene_fold (lower case, Latin accents removed, Kazakh letters to their Russian-keyboard
   * neighbours, ё to е) so «Нурлан» finds «Нұрлан» and «elodie» finds «Élodie». PostgreSQL keeps
   * it (a stored generated column), so no code path can forget to update it.
   */
  @Column({
    type: 'text',
    generatedType: 'STORED',
    asExpression: SEARCH_TEXT_EXPRESSION,
    select: false,
    insert: false,
    update: false,
  })
  searchText?: string;

  @Column({ type: 'varchar', length: 32 })
  stakeholderType: StakeholderType;

  @Column({ type: 'varchar', length: 2 })
  language: Language;

  @Column({ type: 'boolean' })
  consentDataProcessing: boolean;

  @Column({ type: 'boolean' })
  consentListOfParticipants: boolean;

  @Column({ type: 'boolean', default: false })
  consentPhotography: boolean;

  /** Private link secrets, each random and independent: knowing one grants nothing else. */
  @Column({ type: 'varchar', length: 64 })
  manageToken: string;

  @Column({ type: 'varchar', length: 64 })
  joinToken: string;

  /** What the QR code holds, for the check-in desk. */
  @Column({ type: 'varchar', length: 64 })
  checkinCode: string;

  /** When the registration joined its mode's waitlist, for people to read. */
  @Column({ type: 'timestamptz', nullable: true })
  queuedAt: Date | null;

  /**
   * The place in the waitlist: drawn from a database sequence while the event's seat lock is
   * held, so it follows the order in which changes really happened, on any instance, whatever
   * the instances' clocks say. The smallest is promoted first.
   */
  @Column({ type: 'bigint', nullable: true })
  queuePosition: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
