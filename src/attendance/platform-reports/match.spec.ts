import { rowFingerprint } from './fingerprint';
import { coveredSeconds, mergeIntervals } from './intervals';
import { candidateNames, matchRows, type Registrant } from './match';
import type { ParsedRow } from './types';

const at = (hhmm: string) => new Date(`2023-06-07T${hhmm}:00.000Z`);
const iv = (a: string, b: string) => ({ start: at(a), end: at(b) });
const show = (list: { start: Date; end: Date }[]) =>
  list.map((i) => `${i.start.toISOString().slice(11, 16)}-${i.end.toISOString().slice(11, 16)}`);

function row(name: string, email: string | null, from: string, to: string, line = 2): ParsedRow {
  const raw = { Name: name, Email: email ?? '', Join: from, Leave: to };
  return {
    name,
    email,
    joinedAt: at(from),
    leftAt: at(to),
    rowNumber: line,
    raw,
    fingerprint: rowFingerprint('zoom', raw),
  };
}

describe('mergeIntervals', () => {
  it.each([
    ['overlapping', [iv('09:00', '10:00'), iv('09:30', '10:30')], ['09:00-10:30']],
    ['touching', [iv('09:00', '10:00'), iv('10:00', '10:30')], ['09:00-10:30']],
    ['disjoint', [iv('11:00', '11:30'), iv('09:00', '10:00')], ['09:00-10:00', '11:00-11:30']],
    ['contained', [iv('09:00', '12:00'), iv('10:00', '10:30')], ['09:00-12:00']],
    [
      'chained',
      [iv('09:00', '09:40'), iv('09:30', '10:00'), iv('10:00', '10:05')],
      ['09:00-10:05'],
    ],
    ['empty', [], []],
  ])('merges %s intervals', (_label, input, expected) => {
    const before = show(input);
    expect(show(mergeIntervals(input))).toEqual(expected);
    expect(show(input)).toEqual(before);
  });

  it('counts the covered time once', () => {
    expect(coveredSeconds(mergeIntervals([iv('09:00', '10:00'), iv('09:30', '10:30')]))).toBe(5400);
  });
});

describe('matchRows', () => {
  const registrants: Registrant[] = [
    {
      registrationId: 'r1',
      email: 'A.Nurlanovna@Example.kz',
      name: 'Айгерім  Нұрланқызы'.normalize('NFD'),
    },
    { registrationId: 'r2', email: 'other@example.org', name: 'Aigerim Nurlankyzy' },
    { registrationId: 'r3', email: 'jp@oecd.org', name: 'Jean-Pierre Dupont' },
    { registrationId: 't1', email: 'twin1@example.org', name: 'Asel Bekova' },
    { registrationId: 't2', email: 'twin2@example.org', name: 'Asel Bekova' },
  ];

  it('matches by email case-insensitively before the name', () => {
    // The row carries r2's name but r1's email: the email wins.
    const result = matchRows(
      [row('Aigerim Nurlankyzy', 'a.nurlanovna@EXAMPLE.KZ', '09:00', '09:30')],
      registrants,
    );
    expect([...result.matched.keys()]).toEqual(['r1']);
  });

  it('falls back to the exact name, after NFC and white-space normalisation', () => {
    const result = matchRows(
      [row(' Айгерім Нұрланқызы '.normalize('NFC'), 'unknown@x.kz', '09:00', '09:30')],
      registrants,
    );
    expect([...result.matched.keys()]).toEqual(['r1']);
    expect(result.unmatched).toEqual([]);
  });

  it('is exact about names otherwise: case, partial names and look-alikes do not match', () => {
    const rows = [
      row('aigerim nurlankyzy', null, '09:00', '09:30'),
      row('Aigerim', null, '09:00', '09:30'),
      row('Jean Pierre Dupont', null, '09:00', '09:30'),
    ];
    const result = matchRows(rows, registrants);
    expect(result.matched.size).toBe(0);
    expect(result.unmatched.map((u) => u.name)).toEqual([
      'aigerim nurlankyzy',
      'Aigerim',
      'Jean Pierre Dupont',
    ]);
  });

  it('tries Zoom\'s "Name (Original Name)" whole, then each part', () => {
    expect(candidateNames('Jean (Jean-Pierre Dupont)')).toEqual([
      'Jean (Jean-Pierre Dupont)',
      'Jean',
      'Jean-Pierre Dupont',
    ]);
    expect(candidateNames('Jean-Pierre Dupont')).toEqual(['Jean-Pierre Dupont']);
    const result = matchRows([row('JP (Jean-Pierre Dupont)', null, '09:00', '09:30')], registrants);
    expect([...result.matched.keys()]).toEqual(['r3']);
  });

  it('leaves a name two registrants share unmatched rather than pick one', () => {
    const result = matchRows([row('Asel Bekova', null, '09:00', '09:30')], registrants);
    expect(result.matched.size).toBe(0);
    expect(result.unmatched).toEqual([{ name: 'Asel Bekova', email: null }]);
  });

  it('sums minutes across rejoins, merged, and lists each unmatched person once', () => {
    const rows = [
      row('Jean-Pierre Dupont', 'JP@oecd.org', '09:00', '09:20', 2),
      row('Jean-Pierre Dupont', 'jp@oecd.org', '09:10', '09:45', 3),
      row('Jean-Pierre Dupont', 'jp@oecd.org', '10:00', '10:10', 4),
      row('Stranger', 'who@example.com', '09:00', '09:10', 5),
      row('Stranger', 'WHO@example.com', '09:20', '09:30', 6),
    ];
    const result = matchRows(rows, registrants);
    const jp = result.matched.get('r3')!;
    expect(show(jp.intervals)).toEqual(['09:00-09:45', '10:00-10:10']);
    expect([jp.seconds, jp.minutes]).toEqual([3300, 55]);
    expect(jp.fingerprints).toHaveLength(3);
    expect(result.unmatched).toEqual([{ name: 'Stranger', email: 'who@example.com' }]);
  });

  it('rounds to the nearest minute', () => {
    const r = row('Jean-Pierre Dupont', null, '09:00', '09:00');
    const short = { ...r, leftAt: new Date(r.joinedAt.getTime() + 14 * 60_000 + 29_000) };
    const long = {
      ...r,
      leftAt: new Date(r.joinedAt.getTime() + 14 * 60_000 + 30_000),
      fingerprint: 'x',
    };
    expect(matchRows([short], registrants).matched.get('r3')!.minutes).toBe(14);
    expect(matchRows([long], registrants).matched.get('r3')!.minutes).toBe(15);
  });

  it('ignores identical rows, counts them, and changes nothing when the same rows come twice', () => {
    const rows = [
      row('Jean-Pierre Dupont', null, '09:00', '09:30', 2),
      row('Jean-Pierre Dupont', null, '09:40', '10:00', 3),
    ];
    const once = matchRows(rows, registrants);
    const twice = matchRows(
      [...rows, ...rows.map((r) => ({ ...r, rowNumber: r.rowNumber + 2 }))],
      registrants,
    );
    expect(once.duplicatesIgnored).toBe(0);
    expect(twice.duplicatesIgnored).toBe(2);
    expect(twice.matched).toEqual(once.matched);
  });
});

describe('rowFingerprint', () => {
  const raw = {
    'Name (Original Name)': 'Айгерім Нұрланқызы',
    'User Email': 'a@x.kz',
    'Join Time': '06/07/2023 09:01:12 AM',
  };

  it('is a stable sha256 of the platform and the normalised cells, whatever their order', () => {
    const fp = rowFingerprint('zoom', raw);
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    expect(rowFingerprint('zoom', { ...raw })).toBe(fp);
    const reordered = {
      'Join Time': raw['Join Time'],
      'User Email': 'a@x.kz',
      'Name (Original Name)': raw['Name (Original Name)'],
    };
    expect(rowFingerprint('zoom', reordered)).toBe(fp);
    const respaced = {
      ...raw,
      'Name (Original Name)': ` Айгерім   Нұрланқызы `.normalize('NFD'),
      'user email': 'a@x.kz',
    };
    delete (respaced as Record<string, string>)['User Email'];
    expect(rowFingerprint('zoom', respaced)).toBe(fp);
  });

  it('differs for another platform or any changed cell', () => {
    const fp = rowFingerprint('zoom', raw);
    const others = [
      rowFingerprint('teams', raw),
      rowFingerprint('zoom', { ...raw, 'Join Time': '06/07/2023 09:01:13 AM' }),
      rowFingerprint('zoom', { ...raw, 'User Email': 'A@x.kz' }),
      rowFingerprint('zoom', { ...raw, Guest: 'No' }),
    ];
    expect(new Set([fp, ...others]).size).toBe(5);
  });
});
