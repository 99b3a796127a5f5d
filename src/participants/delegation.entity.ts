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
} from 'typeorm';
import type { Language } from '../common/validation/decorators';
import { Event } from '../events/event.entity';
import type { StakeholderType } from './registration.entity';

/**
 * People sent together by one organisation. Each attending member (the head too, when they
 * attend) has a registration of their own; the head manages the delegation by a private link.
 */
@Entity('delegations')
@Index('idx_delegations_event_created', ['eventId', 'createdAt', 'id'])
@Index('uq_delegations_manage_token', ['manageToken'], { unique: true })
@Check(
  'chk_delegations_stakeholder_type',
  `"stakeholder_type" IN ('government', 'international_organisation', 'civil_society', 'eu_institution', 'academia', 'media', 'other')`,
)
@Check('chk_delegations_language', `"language" IN ('en', 'ru', 'kk')`)
@Check('chk_delegations_country', `"country" ~ '^[A-Z]{2}$'`)
export class Delegation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_delegations_event' })
  event?: Relation<Event>;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ type: 'varchar', length: 300 })
  organisation: string;

  @Column({ type: 'varchar', length: 32 })
  stakeholderType: StakeholderType;

  @Column({ type: 'char', length: 2 })
  country: string;

  @Column({ type: 'varchar', length: 2 })
  language: Language;

  @Column({ type: 'varchar', length: 254 })
  headEmail: string;

  @Column({ type: 'varchar', length: 200 })
  headGivenName: string;

  @Column({ type: 'varchar', length: 200 })
  headFamilyName: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  headPosition: string | null;

  @Column({ type: 'varchar', length: 64 })
  manageToken: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
