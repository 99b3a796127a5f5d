import { DomainError, type FieldError, NotFoundError } from '../common/errors/domain-error';
import type { AttendanceMode } from '../events/event.entity';

export type RegistrationConflictCode =
  | 'REGISTRATION_CLOSED'
  | 'MODE_FULL'
  | 'SESSION_FULL'
  | 'ALREADY_REGISTERED'
  | 'ALREADY_CANCELLED'
  | 'NOT_PENDING'
  | 'SAME_MODE'
  | 'NOT_ACTIVE'
  | 'MODE_IN_USE';

export class RegistrationConflictError extends DomainError {
  constructor(
    code: RegistrationConflictCode,
    message: string,
    extensions: Record<string, unknown> = {},
  ) {
    super('conflict', code, message, extensions);
  }

  static modeFull(mode: AttendanceMode, alternatives: AttendanceMode[]): RegistrationConflictError {
    return new RegistrationConflictError(
      'MODE_FULL',
      `There are no ${mode === 'in_person' ? 'in-person' : 'online'} places left.`,
      { alternatives },
    );
  }
}

export class RegistrationNotFoundError extends NotFoundError {
  constructor() {
    super('The registration', 'REGISTRATION_NOT_FOUND');
  }
}

export class DelegationNotFoundError extends NotFoundError {
  constructor() {
    super('The delegation', 'DELEGATION_NOT_FOUND');
  }
}

export type DelegationConflictCode = 'DELEGATION_FULL' | 'ALREADY_REGISTERED';

/** A delegation change refused by the state of the event; `fieldErrors` name the people concerned. */
export class DelegationConflictError extends DomainError {
  constructor(
    code: DelegationConflictCode,
    message: string,
    extensions: Record<string, unknown> = {},
    fieldErrors?: FieldError[],
  ) {
    super('conflict', code, message, extensions, fieldErrors);
  }

  /** People of the request who hold an active registration for the event already. */
  static alreadyRegistered(fields: string[]): DelegationConflictError {
    return new DelegationConflictError(
      'ALREADY_REGISTERED',
      'Someone in the request is already registered for this event; nothing was stored.',
      {},
      fields.map((field) => ({ field, message: 'is already registered for this event' })),
    );
  }
}
