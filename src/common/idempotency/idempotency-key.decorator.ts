import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ValidationFailedError } from '../errors/domain-error';

const KEY = /^[\x21-\x7e]{1,200}$/;

/** The optional Idempotency-Key header; when sent it must be 1-200 visible ASCII characters. */
export const IdempotencyKeyHeader = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | undefined => {
    const value = context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !KEY.test(value)) {
      throw ValidationFailedError.field(
        'Idempotency-Key',
        'must be 1 to 200 visible ASCII characters',
      );
    }
    return value;
  },
);
