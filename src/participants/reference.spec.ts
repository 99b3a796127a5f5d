import { newReference, normaliseReference, REFERENCE_ALPHABET } from './reference';

describe('references', () => {
  it('are 8 characters from an alphabet without look-alikes', () => {
    for (let i = 0; i < 1000; i++) {
      expect(newReference()).toMatch(/^[2-9A-HJ-KM-NP-Z]{8}$/);
    }
    for (const lookAlike of ['0', 'O', '1', 'I', 'L']) {
      expect(REFERENCE_ALPHABET).not.toContain(lookAlike);
    }
  });

  it('are random enough not to repeat in ten thousand', () => {
    const seen = new Set(Array.from({ length: 10_000 }, newReference));
    expect(seen.size).toBe(10_000);
  });

  it('are read back regardless of case, spaces and dashes', () => {
    expect(normaliseReference(' abcd-efgh ')).toBe('ABCDEFGH');
  });
});
