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
import type { Role } from '../common/auth/roles';
import { Event } from '../events/event.entity';

/** A staff token. Only the SHA-256 of its secret is stored; the secret is shown once. */
@Entity('api_tokens')
@Index('uq_api_tokens_secret_hash', ['secretHash'], { unique: true })
@Index('idx_api_tokens_event', ['eventId'])
@Check('chk_api_tokens_role', `"role" IN ('admin', 'organiser', 'checkin')`)
@Check('chk_api_tokens_admin_unscoped', `"role" <> 'admin' OR "event_id" IS NULL`)
export class ApiToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  @Column({ type: 'uuid', nullable: true })
  eventId: string | null;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_api_tokens_event' })
  event?: Relation<Event>;

  @Column({ type: 'char', length: 64 })
  secretHash: string;

  /** The first characters of the secret, so people can tell their tokens apart. */
  @Column({ type: 'varchar', length: 16 })
  secretPrefix: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
