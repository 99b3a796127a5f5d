import {
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';

interface PgError {
  code?: string;
  constraint?: string;
  message?: string;
}

const pgErrorOf = (error: unknown): PgError | undefined =>
  error instanceof QueryFailedError ? (error.driverError as PgError) : undefined;

/** Whether `error` is PostgreSQL refusing a row because of the named unique index. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const pg = pgErrorOf(error);
  return pg?.code === '23505' && pg.constraint === constraint;
}

// Socket errors met when the server is down, restarting or unreachable.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// SQLSTATEs that say "the server, not the statement": class 08 (connection exception),
// 57P01-57P03 (shut down by an administrator, crashed, starting up or shutting down),
// 53300 (too many connections).
const SERVER_STATES = /^(08...|57P0[123]|53300)$/;
// node-postgres reports a connection lost mid-query with a plain Error and no code.
const LOST_MESSAGES = /^(Connection terminated|Client has encountered a connection error)/;

/**
 * Whether `error` means the database could not be reached or dropped the connection, as
 * opposed to refusing the statement: the request may be retried once it is back. TypeORM
 * passes connection failures through unwrapped and wraps query failures in QueryFailedError.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  // TypeORM releases a transaction's query runner when its connection fails: the statements
  // after it in the transaction meet this instead of the connection error itself.
  if (
    error instanceof QueryRunnerAlreadyReleasedError ||
    error instanceof QueryRunnerProviderAlreadyReleasedError
  ) {
    return true;
  }
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, message } = e as PgError;
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || SERVER_STATES.test(code))) {
      return true;
    }
    if (typeof message === 'string' && LOST_MESSAGES.test(message)) return true;
    e = e instanceof QueryFailedError ? e.driverError : (e as { cause?: unknown }).cause;
  }
  return false;
}
