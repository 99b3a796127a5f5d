import { buildCalendar, type CalendarEntry, foldLine, icsText, icsUtc } from './calendar';
import { parseCalendar } from './test-helpers';

const entry: CalendarEntry = {
  method: 'PUBLISH',
  uid: '0b6c2f8e-5a41-4d3b-8f2e-7c9d1a3e5b60@convene',
  sequence: 1,
  stamp: new Date('2023-05-20T10:00:00Z'),
  start: new Date('2023-06-07T09:00:00+06:00'),
  end: new Date('2023-06-07T17:00:00+06:00'),
  summary: 'Есірткі саясаты жөніндегі ұлттық диалог: ашылу, пленарлық отырыс; қорытынды',
  location: 'Congress Centre, Hall A; 1 Dostyk Street\nAstana',
  description: 'Тіркеу коды: K7M2QX9D\nback\\slash',
  url: 'https://events.example.org/j/jH6s2Df8Gk4Lq9Xc1Vb5Nm',
};

describe('buildCalendar', () => {
  it('writes an RFC 5545 entry that a real parser reads back unchanged', () => {
    const parsed = parseCalendar(buildCalendar(entry));
    expect(parsed).toEqual({
      method: 'PUBLISH',
      uid: entry.uid,
      sequence: 1,
      status: 'CONFIRMED',
      start: new Date('2023-06-07T03:00:00Z'),
      end: new Date('2023-06-07T11:00:00Z'),
      summary: entry.summary,
      location: entry.location,
      url: entry.url,
      description: entry.description,
    });
  });

  it('uses CRLF line ends, UTC times and lines of at most 75 octets', () => {
    const ics = buildCalendar(entry);
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(ics).toContain('\r\nDTSTART:20230607T030000Z\r\n');
    expect(ics).toContain('\r\nDTSTAMP:20230520T100000Z\r\n');
    for (const line of ics.split('\r\n')) {
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    }
  });

  it('writes a cancellation with METHOD:CANCEL and STATUS:CANCELLED', () => {
    const parsed = parseCalendar(buildCalendar({ ...entry, method: 'CANCEL', sequence: 2 }));
    expect(parsed).toMatchObject({ method: 'CANCEL', status: 'CANCELLED', sequence: 2 });
  });

  it('refuses a SEQUENCE that is not a non-negative integer, and a URL with spaces', () => {
    expect(() => buildCalendar({ ...entry, sequence: -1 })).toThrow(RangeError);
    expect(() => buildCalendar({ ...entry, sequence: 1.5 })).toThrow(RangeError);
    expect(() => buildCalendar({ ...entry, url: 'https://x.test/a b' })).toThrow(RangeError);
  });
});

describe('calendar helpers', () => {
  it('escapes TEXT values and drops control characters', () => {
    expect(icsText('a,b;c\\d\r\ne\nf\u0007g')).toBe('a\\,b\\;c\\\\d\\ne\\nfg');
  });

  it('folds by octets without splitting a letter', () => {
    const line = `SUMMARY:${'ә'.repeat(100)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    expect(parts.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
    expect(folded).not.toContain('\uFFFD');
  });

  it('keeps a short line as it is', () => {
    expect(foldLine('VERSION:2.0')).toBe('VERSION:2.0');
  });

  it('formats UTC times in the basic form', () => {
    expect(icsUtc(new Date('2023-06-07T09:00:00+06:00'))).toBe('20230607T030000Z');
    expect(() => icsUtc(new Date('nonsense'))).toThrow(RangeError);
  });
});
