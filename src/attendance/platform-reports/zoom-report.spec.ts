import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchRows, type Registrant } from './match';
import { parseParticipantReport } from './parse-report';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '../../../test/fixtures/platform-reports', name));
const opts = { timeZone: 'Asia/Almaty' };

/** The registrations of the 2023-06-07 dialogue (Asia/Almaty was UTC+6 then). */
const registrants: Registrant[] = [
  { registrationId: 'r-aigerim', email: 'a.nurlanovna@example.kz', name: 'Айгерім Нұрланқызы' },
  { registrationId: 'r-yerlan', email: 'yerlan.sarsenbayev@minzdrav.kz', name: 'Ерлан Сәрсенбаев' },
  { registrationId: 'r-dana', email: 'd.omarova@undp.org', name: 'Dana Omarova' },
  { registrationId: 'r-jp', email: 'jp.dupont@oecd.org', name: 'Jean-Pierre Dupont' },
  { registrationId: 'r-michael', email: 'm.brown@osce.org', name: 'Michael Brown' },
  { registrationId: 'r-absent', email: 'absent@example.org', name: 'Never Came' },
];

/*
 * zoom-participants.csv (UTF-8 with BOM, meeting block, then 12 participant rows) expects:
 * - Айгерім Нұрланқызы (r-aigerim), matched by email in two letter cases: 09:01:12-10:15:00 and
 *   10:10:00-11:00:00 overlap (a second device) and merge into 09:01:12-11:00:00 (118 min 48 s);
 *   she rejoins 11:30-12:00 (30 min): 8928 s, 148.8 -> 149 minutes in two intervals.
 * - Ерлан Сәрсенбаев (r-yerlan), a Kazakh name: 09:00 AM to 12:30 PM, 210 minutes.
 * - Dana Omarova (r-dana), a guest without email, matched by name: 45 minutes; her row
 *   appears twice, byte for byte, so one duplicate is ignored.
 * - "Jean Dupont (Jean-Pierre Dupont)" (r-jp), a guest renamed in the meeting, matched by the
 *   original name: 09:15-10:00 and 10:00-10:30 touch and merge into one 75-minute interval.
 * - "Mike B" (r-michael), matched by email although the name differs: 10 minutes.
 * - Unmatched: the host, "iPhone" with an unregistered email, and a guest called only "Айгерім".
 * - Never Came (r-absent) is absent from the result.
 * Local 09:01:12 in Asia/Almaty on 2023-06-07 is 03:01:12 UTC.
 */
describe.each([
  ['zoom-participants.csv', 'with the meeting header block'],
  ['zoom-participants-no-header.csv', 'without the header block'],
])('Zoom participants report %s (%s)', (file) => {
  const report = parseParticipantReport(fixture(file), opts);

  it('is read as Zoom, every row kept, with nothing to complain about', () => {
    expect(report.platform).toBe('zoom');
    expect(report.problems).toEqual([]);
    expect(report.rows).toHaveLength(12);
  });

  it('converts local times to UTC and keeps the raw cells and line numbers', () => {
    const first = report.rows.find((r) => r.name === 'Айгерім Нұрланқызы')!;
    expect(first.email).toBe('A.Nurlanovna@Example.KZ');
    expect(first.joinedAt.toISOString()).toBe('2023-06-07T03:01:12.000Z');
    expect(first.leftAt.toISOString()).toBe('2023-06-07T04:15:00.000Z');
    expect(first.raw['Join Time']).toBe('06/07/2023 09:01:12 AM');
    expect(first.raw['Duration (Minutes)']).toBe('74');
    expect(first.rowNumber).toBe(file === 'zoom-participants.csv' ? 7 : 4);
    const guest = report.rows.find((r) => r.name === 'Dana Omarova')!;
    expect(guest.email).toBeNull();
    expect(guest.raw.Guest).toBe('Yes');
  });

  it('adds up the expected minutes per registration', () => {
    const result = matchRows(report.rows, registrants);
    const minutes = Object.fromEntries([...result.matched].map(([id, p]) => [id, p.minutes]));
    expect(minutes).toEqual({
      'r-aigerim': 149,
      'r-yerlan': 210,
      'r-dana': 45,
      'r-jp': 75,
      'r-michael': 10,
    });
    expect(result.matched.get('r-aigerim')!.seconds).toBe(8928);
    expect(result.matched.get('r-aigerim')!.intervals.map((i) => i.start.toISOString())).toEqual([
      '2023-06-07T03:01:12.000Z',
      '2023-06-07T05:30:00.000Z',
    ]);
    expect(result.matched.get('r-jp')!.intervals).toHaveLength(1);
    expect(result.duplicatesIgnored).toBe(1);
    expect(result.unmatched).toEqual([
      { name: 'Convene Host', email: 'host@convene.example' },
      { name: 'iPhone', email: 'visitor@example.com' },
      { name: 'Айгерім', email: null },
    ]);
  });
});

describe('the two Zoom variants', () => {
  it('give the same fingerprints: a re-export in the other layout is the same rows', () => {
    const a = parseParticipantReport(fixture('zoom-participants.csv'), opts);
    const b = parseParticipantReport(fixture('zoom-participants-no-header.csv'), opts);
    expect(a.rows.map((r) => r.fingerprint)).toEqual(b.rows.map((r) => r.fingerprint));
  });

  it('parse the same file twice to exactly the same rows', () => {
    const once = parseParticipantReport(fixture('zoom-participants.csv'), opts);
    const twice = parseParticipantReport(fixture('zoom-participants.csv'), opts);
    expect(twice).toEqual(once);
  });
});
