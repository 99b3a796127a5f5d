import { ArgumentsHost, Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ProblemDetailsFilter } from './problem-details.filter';

/** Runs the filter on `exception`; returns what it answered. */
function answer(exception: unknown) {
  const sent: { status?: number; headers: Record<string, string>; body?: any } = { headers: {} };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return Promise.resolve(reply);
    },
  };
  const request = { id: 'req-1', method: 'POST', url: '/x', routeOptions: { url: '/x' } };
  const host = {
    switchToHttp: () => ({ getResponse: () => reply, getRequest: () => request }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return sent;
}

describe('ProblemDetailsFilter and a database that is not there', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it('answers a refused or lost connection with a retryable 503 problem', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    const shutDown = new QueryFailedError(
      'INSERT …',
      [],
      Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
      }),
    );
    for (const error of [refused, shutDown]) {
      const sent = answer(error);
      expect(sent.status).toBe(503);
      expect(sent.headers['Retry-After']).toBe('1');
      expect(sent.headers['Content-Type']).toMatch(/^application\/problem\+json/);
      expect(sent.body).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    }
  });

  it('still answers an unexpected error with a bare 500', () => {
    const sent = answer(new TypeError('x is undefined'));
    expect(sent.status).toBe(500);
    expect(sent.headers['Retry-After']).toBeUndefined();
    expect(sent.body).toMatchObject({ code: 'INTERNAL' });
  });
});
