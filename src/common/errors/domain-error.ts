/** What went wrong, as the client must understand it; the problem filter maps each to a status. */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'payload_too_large'
  | 'rate_limited';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * The base of every error a service throws on purpose. Services never throw HTTP exceptions:
 * they say what kind of failure it is and a stable `code`; `extensions` become extra members of
 * the problem document (for example `alternatives` when a mode is full).
 */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
    readonly fieldErrors?: FieldError[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailedError extends DomainError {
  constructor(fieldErrors: FieldError[], message = 'The request is not valid.') {
    super('invalid', 'VALIDATION_FAILED', message, {}, fieldErrors);
  }

  static field(field: string, message: string): ValidationFailedError {
    return new ValidationFailedError([{ field, message }], `${field} ${message}`);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, code = 'NOT_FOUND') {
    super('not_found', code, `${what} was not found.`);
  }
}
