import {
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import { isDatabaseUnavailable } from './postgres-errors';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const failedQuery = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('isDatabaseUnavailable', () => {
  it('is true for a server that refuses connections, restarts or drops them', () => {
    expect(isDatabaseUnavailable(pgError('ECONNREFUSED', 'connect ECONNREFUSED'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(failedQuery(pgError('57P01', 'terminating connection')))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(pgError('57P03', 'the database system is starting up'))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(failedQuery(pgError('08006')))).toBe(true);
    expect(isDatabaseUnavailable(new QueryRunnerAlreadyReleasedError())).toBe(true);
    expect(isDatabaseUnavailable(new QueryRunnerProviderAlreadyReleasedError())).toBe(true);
    expect(
      isDatabaseUnavailable(
        new Error('Connection terminated due to connection timeout', {
          cause: pgError('ETIMEDOUT'),
        }),
      ),
    ).toBe(true);
  });

  it('is false for a statement the database refuses, and for anything else', () => {
    expect(isDatabaseUnavailable(failedQuery(pgError('23505', 'duplicate key')))).toBe(false);
    expect(isDatabaseUnavailable(failedQuery(pgError('22P02', 'invalid input syntax')))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(failedQuery(pgError('40001', 'serialization failure')))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(new TypeError('undefined is not a function'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
