import { DomainError, NotFoundError } from '../common/errors/domain-error';

export class EventNotFoundError extends NotFoundError {
  constructor(slug: string) {
    super(`The event ${slug}`, 'EVENT_NOT_FOUND');
  }
}

export type EventConflictCode =
  | 'SLUG_TAKEN'
  | 'EVENT_CANCELLED'
  | 'ALREADY_PUBLISHED'
  | 'EVENT_INCOMPLETE'
  | 'SESSIONS_OUTSIDE_EVENT'
  | 'SESSIONS_DO_NOT_FIT_FORMAT'
  | 'CAPACITY_BELOW_CONFIRMED';

export class EventConflictError extends DomainError {
  constructor(code: EventConflictCode, message: string, extensions: Record<string, unknown> = {}) {
    super('conflict', code, message, extensions);
  }
}
