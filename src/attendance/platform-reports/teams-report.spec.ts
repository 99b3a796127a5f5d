import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchRows, type Registrant } from './match';
import { parseParticipantReport } from './parse-report';

const bytes = readFileSync(
  join(__dirname, '../../../test/fixtures/platform-reports/teams-attendance.csv'),
);
const text = bytes.subarray(2).toString('utf16le');
const utf16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
const opts = { timeZone: 'Asia/Almaty' };

const registrants: Registrant[] = [
  { registrationId: 'r-aigerim', email: 'a.nurlanovna@example.kz', name: 'Айгерім Нұрланқызы' },
  { registrationId: 'r-yerlan', email: 'yerlan.sarsenbayev@minzdrav.kz', name: 'Ерлан Сәрсенбаев' },
  { registrationId: 'r-dana', email: 'd.omarova@undp.org', name: 'Dana Omarova' },
  { registrationId: 'r-absent', email: 'absent@example.org', name: 'Never Came' },
];

/*
 * teams-attendance.csv is UTF-16 LE with a BOM, tab-separated, with "1. Summary",
 * "2. Participants" and "3. In-Meeting Activities", en-US dates ("6/18/24, 9:00:00 AM"); read
 * it with `iconv -f UTF-16 -t UTF-8`. The meeting was on 2024-06-18, when Asia/Almaty was
 * UTC+5. The intervals come from section 3 (7 rows); expected:
 * - Айгерім Нұрланқызы (r-aigerim), by email in another letter case: 9:00-10:00 and 9:30-10:30
 *   overlap (two devices) into 9:00-10:30 (90 min), then 11:00-11:45 (45 min): 135 minutes.
 * - Ерлан Сәрсенбаев (r-yerlan): 9:05 AM to 12:05 PM, across noon: 180 minutes.
 * - "Dana Omarova (Guest)" (r-dana), an anonymous guest without email, by name: 30 minutes.
 * - Unmatched: the organiser and Timur Akhmetov, who did not register. No duplicates.
 */
describe('Teams attendance report (UTF-16 LE, three sections)', () => {
  const report = parseParticipantReport(bytes, opts);

  it('is the UTF-16 file it claims to be', () => {
    expect([...bytes.subarray(0, 4)]).toEqual([0xff, 0xfe, 0x31, 0x00]);
    expect(text).toContain('2. Participants\r\n');
  });

  it('is read as Teams from the In-Meeting Activities, one row per join', () => {
    expect(report.platform).toBe('teams');
    expect(report.problems).toEqual([]);
    expect(report.rows).toHaveLength(7);
    const first = report.rows[1];
    expect(first).toMatchObject({ name: 'Айгерім Нұрланқызы', email: 'A.Nurlanovna@example.kz' });
    expect(first.joinedAt.toISOString()).toBe('2024-06-18T04:00:00.000Z');
    expect(first.leftAt.toISOString()).toBe('2024-06-18T05:00:00.000Z');
    expect(first.raw).toEqual({
      Name: 'Айгерім Нұрланқызы',
      'Join Time': '6/18/24, 9:00:00 AM',
      'Leave Time': '6/18/24, 10:00:00 AM',
      Duration: '1h',
      Email: 'A.Nurlanovna@example.kz',
      Role: 'Attendee',
    });
    expect(first.rowNumber).toBe(20);
    expect(report.rows.find((r) => r.name.startsWith('Dana'))!.email).toBeNull();
  });

  it('adds up the expected minutes and lists who is not registered', () => {
    const result = matchRows(report.rows, registrants);
    const minutes = Object.fromEntries([...result.matched].map(([id, p]) => [id, p.minutes]));
    expect(minutes).toEqual({ 'r-aigerim': 135, 'r-yerlan': 180, 'r-dana': 30 });
    expect(result.matched.get('r-aigerim')!.intervals).toHaveLength(2);
    expect(result.unmatched).toEqual([
      { name: 'Convene Organiser', email: 'organiser@convene.example' },
      { name: 'Timur Akhmetov', email: 't.akhmetov@example.org' },
    ]);
    expect(result.duplicatesIgnored).toBe(0);
  });

  it('reads the participants section alone as one interval of the in-meeting duration each', () => {
    const cut = text.slice(0, text.indexOf('3. In-Meeting Activities'));
    const alone = parseParticipantReport(utf16(cut), opts);
    expect(alone.platform).toBe('teams');
    expect(alone.rows).toHaveLength(5);
    expect(alone.problems).toEqual([expect.stringMatching(/no "In-Meeting Activities" section/)]);
    const minutes = Object.fromEntries(
      [...matchRows(alone.rows, registrants).matched].map(([id, p]) => [id, p.minutes]),
    );
    // Айгерім's first join to last leave spans 165 minutes, but she was in for 2h 15m.
    expect(minutes).toEqual({ 'r-aigerim': 135, 'r-yerlan': 180, 'r-dana': 30 });
  });

  it('reads the same text as UTF-8 with commas, as saved again from Excel', () => {
    const quote = (c: string) => (c.includes(',') ? `"${c}"` : c);
    const csv = text
      .replaceAll('Dana Omarova (Guest)', 'Omarova, Dana')
      .split('\r\n')
      .map((line) => line.split('\t').map(quote).join(','))
      .join('\r\n');
    const again = parseParticipantReport(Buffer.from(csv), opts);
    expect(again.platform).toBe('teams');
    expect(again.rows.map((r) => r.joinedAt)).toEqual(report.rows.map((r) => r.joinedAt));
    expect(again.rows[3].name).toBe('Omarova, Dana');
  });
});

describe('Teams day-first, 24-hour reports (en-GB and most locales)', () => {
  const report = (body: string, dateOrder?: 'MDY' | 'DMY') =>
    parseParticipantReport(
      utf16(
        `3. In-Meeting activities\nName\tJoin time\tLeave time\tDuration\tEmail\tRole\n${body}`,
      ),
      {
        ...opts,
        dateOrder,
      },
    );

  it('infers day/month when a day is above 12', () => {
    const r = report(
      'Ерлан Сәрсенбаев\t15/11/22, 09:30:47\t15/11/22, 09:41:46\t10m 59s\ty@x.kz\tPresenter',
    );
    expect(r.problems).toEqual([]);
    expect(r.rows[0].joinedAt.toISOString()).toBe('2022-11-15T03:30:47.000Z');
  });

  it('says so when it has to guess, and follows an explicit order', () => {
    const row = 'Ерлан Сәрсенбаев\t7/6/23, 09:00:00\t7/6/23, 10:00:00\t1h\ty@x.kz\tPresenter';
    const guessed = report(row);
    expect(guessed.rows[0].joinedAt.toISOString()).toBe('2023-06-07T03:00:00.000Z');
    expect(guessed.problems).toEqual([expect.stringMatching(/read as day\/month/)]);
    const told = report(row, 'MDY');
    expect(told.problems).toEqual([]);
    expect(told.rows[0].joinedAt.toISOString()).toBe('2023-07-06T03:00:00.000Z');
  });
});

describe('the older Teams attendance list (Full Name, User Action, Timestamp)', () => {
  const list = [
    'Full Name\tUser Action\tTimestamp',
    'Айгерім Нұрланқызы\tJoined\t6/18/2024, 9:00:00 AM',
    'Ерлан Сәрсенбаев\tJoined before\t6/18/2024, 9:00:00 AM',
    'Айгерім Нұрланқызы\tLeft\t6/18/2024, 9:40:00 AM',
    'Айгерім Нұрланқызы\tJoined\t6/18/2024, 9:40:00 AM',
    'Айгерім Нұрланқызы\tLeft\t6/18/2024, 10:00:00 AM',
    'Ерлан Сәрсенбаев\tLeft\t6/18/2024, 10:30:00 AM',
    'Someone Else\tLeft\t6/18/2024, 10:31:00 AM',
    'Dana Omarova\tJoined\t6/18/2024, 10:45:00 AM',
  ].join('\r\n');
  const report = parseParticipantReport(utf16(list), opts);

  it('pairs each join with the next leave of the same person', () => {
    expect(report.platform).toBe('teams');
    const result = matchRows(report.rows, registrants);
    const minutes = Object.fromEntries([...result.matched].map(([id, p]) => [id, p.minutes]));
    // Айгерім left and rejoined at the same instant: the two touching intervals make 60 minutes.
    // Dana never left: counted to the last time in the list, 10:45, so 0 minutes.
    expect(minutes).toEqual({ 'r-aigerim': 60, 'r-yerlan': 90, 'r-dana': 0 });
    expect(result.matched.get('r-aigerim')!.intervals).toHaveLength(1);
  });

  it('reports the leave without a join and the join without a leave', () => {
    expect(report.problems).toEqual([
      'Line 8: "Someone Else" left without having joined; row skipped.',
      'Line 9: "Dana Omarova" never left; counted until the last time in the list (6/18/2024, 10:45:00 AM).',
    ]);
  });
});
