import { parseDurationSeconds } from './duration';
import { inferDateOrder, localToUtc, toLocal, tokenizeDate } from './local-time';
import type { DateOrder } from './types';

const ALMATY = 'Asia/Almaty';

function utc(cell: string, order: DateOrder = 'MDY', zone = ALMATY): string {
  const tokens = tokenizeDate(cell);
  if (!tokens) throw new Error(`not tokenized: ${cell}`);
  const local = toLocal(tokens, order);
  if (!local) throw new Error(`not a date: ${cell}`);
  return localToUtc(local, zone).toISOString();
}

describe('report date formats', () => {
  it.each([
    ['Zoom, 12-hour', '06/07/2023 09:01:12 AM', 'MDY', '2023-06-07T03:01:12.000Z'],
    ['Zoom, afternoon', '06/07/2023 01:05:00 PM', 'MDY', '2023-06-07T07:05:00.000Z'],
    ['Zoom, 12 PM is noon', '06/07/2023 12:30:00 PM', 'MDY', '2023-06-07T06:30:00.000Z'],
    ['Zoom, 12 AM is midnight', '06/07/2023 12:10:00 AM', 'MDY', '2023-06-06T18:10:00.000Z'],
    ['Zoom, ISO-like', '2023-06-07 09:01:12', 'MDY', '2023-06-07T03:01:12.000Z'],
    ['Zoom, no seconds', '09/09/2023 19:02', 'MDY', '2023-09-09T13:02:00.000Z'],
    ['Zoom webinar, month name', 'Jun 7, 2023 9:01 AM', 'MDY', '2023-06-07T03:01:00.000Z'],
    ['Teams en-US', '6/7/23, 9:01:12 AM', 'MDY', '2023-06-07T03:01:12.000Z'],
    ['Teams en-GB, 24-hour', '15/11/22, 09:30:47', 'DMY', '2022-11-15T03:30:47.000Z'],
    ['Teams day-first read as such', '7/6/23, 14:00:00', 'DMY', '2023-06-07T08:00:00.000Z'],
  ])('%s: %s', (_label, cell, order, expected) => {
    expect(utc(cell, order as DateOrder)).toBe(expected);
  });

  it('rejects text and impossible dates and times', () => {
    for (const cell of ['', '--', 'yesterday', '06/07/2023', '2023-06-07']) {
      expect(tokenizeDate(cell)).toBeNull();
    }
    for (const cell of ['02/30/2023 09:00:00', '06/07/2023 13:00:00 PM', '06/07/2023 24:00:00']) {
      const tokens = tokenizeDate(cell);
      expect(tokens && toLocal(tokens, 'MDY')).toBeNull();
    }
  });

  it('infers day/month order from a part above 12, and flags a file that contradicts itself', () => {
    const t = (cells: string[]) => cells.map((c) => tokenizeDate(c)!);
    expect(inferDateOrder(t(['6/18/24, 9:00:00 AM', '6/7/24, 9:00:00 AM']))).toBe('MDY');
    expect(inferDateOrder(t(['18/6/24, 09:00:00']))).toBe('DMY');
    expect(inferDateOrder(t(['6/7/24, 09:00:00', '2024-06-18 09:00:00']))).toBeNull();
    expect(inferDateOrder(t(['18/6/24, 09:00:00', '6/18/24, 09:00:00']))).toBe('conflict');
  });
});

describe('local time in the event timezone to UTC', () => {
  // Kazakhstan moved Asia/Almaty from UTC+6 to UTC+5 on 2024-03-01 (tzdata 2024a).
  it('uses UTC+6 for an Astana event before 2024-03-01', () => {
    expect(utc('2024-02-29 09:00:00')).toBe('2024-02-29T03:00:00.000Z');
    expect(utc('06/07/2023 09:00:00 AM')).toBe('2023-06-07T03:00:00.000Z');
  });

  it('uses UTC+5 for an Astana event from 2024-03-01', () => {
    expect(utc('2024-03-01 09:00:00')).toBe('2024-03-01T04:00:00.000Z');
    expect(utc('6/18/24, 9:00:00 AM')).toBe('2024-06-18T04:00:00.000Z');
  });

  it('takes the offset at the instant itself across a daylight-saving change', () => {
    // Europe/Brussels: CET (UTC+1) until 2023-03-26 02:00, then CEST (UTC+2).
    expect(utc('2023-03-26 01:30:00', 'MDY', 'Europe/Brussels')).toBe('2023-03-26T00:30:00.000Z');
    expect(utc('2023-03-26 03:30:00', 'MDY', 'Europe/Brussels')).toBe('2023-03-26T01:30:00.000Z');
    expect(utc('2023-06-07 09:00:00', 'MDY', 'UTC')).toBe('2023-06-07T09:00:00.000Z');
  });
});

describe('durations', () => {
  it.each([
    ['45', 2700],
    ['45.5', 2730],
    ['1h 2m 3s', 3723],
    ['10m 59s', 659],
    ['3h', 10800],
    ['62 min', 3720],
    ['1 hr 5 mins', 3900],
    ['01:02:03', 3723],
    ['47:03', 2823],
  ])('reads %s as %i seconds', (cell, seconds) => {
    expect(parseDurationSeconds(cell)).toBe(seconds);
  });

  it('returns null, not zero, for what it cannot read', () => {
    for (const cell of [
      '',
      'soon',
      '5 parsecs',
      '1h and then some',
      '6/7/23, 9:01:12 AM',
      '10:75',
    ]) {
      expect(parseDurationSeconds(cell)).toBeNull();
    }
  });
});
