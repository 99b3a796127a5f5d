import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { EntityManager, LessThan, Repository } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { IdempotencyKey } from './idempotency-key.entity';

/** Answers are kept at least this long (the contract asks for 24 hours). */
const KEEP_MS = 48 * 3600 * 1000;

export interface StoredAnswer {
  status: number;
  body: object;
}

export function hashRequest(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(body ?? null))
    .digest('hex');
}

@Injectable()
export class IdempotencyService {
  constructor(
    @InjectRepository(IdempotencyKey) private readonly keys: Repository<IdempotencyKey>,
  ) {}

  /**
   * The first answer for this key, or undefined when the key is new. The same key with another
   * body is a client error (422): it would otherwise silently return an unrelated answer.
   */
  async recall(scope: string, key: string, requestHash: string): Promise<StoredAnswer | undefined> {
    const stored = await this.keys.findOneBy({ scope, key });
    if (!stored) return undefined;
    if (stored.createdAt.getTime() < Date.now() - KEEP_MS) {
      await this.keys.delete({ scope, key });
      return undefined;
    }
    if (stored.requestHash !== requestHash) {
      throw new DomainError(
        'unprocessable',
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used for a different request.',
      );
    }
    return { status: stored.responseStatus, body: stored.responseBody };
  }

  /** Stores the answer in the caller's transaction, so it exists exactly when the work does. */
  async remember(
    manager: EntityManager,
    scope: string,
    key: string,
    requestHash: string,
    answer: StoredAnswer,
  ): Promise<void> {
    await manager.insert(IdempotencyKey, {
      scope,
      key,
      requestHash,
      responseStatus: answer.status,
      responseBody: answer.body,
    });
  }

  async purgeExpired(): Promise<number> {
    const result = await this.keys.delete({ createdAt: LessThan(new Date(Date.now() - KEEP_MS)) });
    return result.affected ?? 0;
  }
}
