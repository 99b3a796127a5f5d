import { isDateTimeWithOffset } from './date-time';

describe('isDateTimeWithOffset', () => {
  it.each([
    '2026-06-07T09:00:00+05:00',
    '2026-06-07T09:00+0500',
    '2026-06-07T03:00:00.123Z',
    '2024-02-29T00:00:00Z',
    '0001-01-01T00:00:00Z',
  ])('accepts %s', (value) => {
    expect(isDateTimeWithOffset(value)).toBe(true);
  });

  it.each([
    ['a local time without offset', '2026-06-07T09:00:00'],
    ['a date alone', '2026-06-07'],
    ['30 February', '2026-02-30T09:00:00Z'],
    ['29 February of a common year', '2026-02-29T09:00:00Z'],
    ['month 13', '2026-13-01T09:00:00Z'],
    ['hour 24', '2026-06-07T24:00:00Z'],
    ['an offset of 25 hours', '2026-06-07T09:00:00+25:00'],
    ['microseconds (JavaScript keeps milliseconds)', '2026-06-07T09:00:00.123456Z'],
    ['year 0', '0000-06-07T09:00:00Z'],
    ['a number', 1780000000000],
  ])('refuses %s', (_, value) => {
    expect(isDateTimeWithOffset(value)).toBe(false);
  });
});
