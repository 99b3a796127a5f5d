import { classifyFailure, retryDelayMs } from './delivery-policy';

describe('delivery policy', () => {
  it('treats a 5xx answer as permanent and keeps the server words as the reason', () => {
    expect(classifyFailure({ responseCode: 550, response: '550 5.1.1 No such user' })).toEqual({
      permanent: true,
      reason: '550 5.1.1 No such user',
    });
  });

  it.each([
    [{ responseCode: 421, response: '421 Try again later' }],
    [{ responseCode: 451, response: '451 Greylisted' }],
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:2525' }],
    [{ code: 'ETIMEDOUT', message: 'Connection timeout' }],
    [new Error('socket hang up')],
  ])('treats %j as transient', (error) => {
    expect(classifyFailure(error).permanent).toBe(false);
  });

  it('doubles the delay per attempt, capped, with jitter between half and all of it', () => {
    expect(retryDelayMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(retryDelayMs(4, 1000, 60_000, () => 1)).toBe(8000);
    expect(retryDelayMs(20, 1000, 60_000, () => 1)).toBe(60_000);
    const spread = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, 1000, 60_000)));
    expect(spread.size).toBeGreaterThan(10);
  });
});
