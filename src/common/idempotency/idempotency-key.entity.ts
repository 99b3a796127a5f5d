import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The first answer to a request sent with an Idempotency-Key, so a retry gets that answer
 * instead of doing the work twice. Written in the same transaction as the work itself.
 */
@Entity('idempotency_keys')
@Index('idx_idempotency_keys_created', ['createdAt'])
export class IdempotencyKey {
  /** The route and its target, e.g. `POST /api/v1/public/events/x/registrations`. */
  @PrimaryColumn({ type: 'varchar', length: 300 })
  scope: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  key: string;

  /** SHA-256 of the request body: the same key with another body is refused. */
  @Column({ type: 'char', length: 64 })
  requestHash: string;

  @Column({ type: 'int' })
  responseStatus: number;

  @Column({ type: 'jsonb' })
  responseBody: object;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
