import { parseParticipantReport } from './parse-report';

const opts = { timeZone: 'Asia/Almaty' };
const parse = (content: string | Buffer, timeZone = opts.timeZone) =>
  parseParticipantReport(typeof content === 'string' ? Buffer.from(content) : content, {
    timeZone,
  });
const ZOOM_HEADER = 'Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest';

describe('input that is not a participant report gives a clear problem, never a throw', () => {
  it.each([
    ['an empty file', '', /^The file is empty\.$/],
    ['a BOM and blank lines', '\ufeff\r\n\r\n', /^The file is empty\.$/],
    [
      'an HTML page (a login page saved instead of the CSV)',
      '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><table><tr><td>Join Time</td></tr></table></body></html>',
      /HTML page, not a CSV report/,
    ],
    [
      'a CSV of something else (a registrations export)',
      'reference,email,givenName,familyName\nK7P2QX9M,a@x.kz,Айгерім,Нұрланқызы\n',
      /No participant table found: expected a Zoom participants table .*Teams attendance report/,
    ],
    ['prose', 'holiday photos, not a report\nsecond line', /No participant table found/],
    [
      'binary bytes',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xd8, 0x00, 0x01]),
      /not readable text|binary/,
    ],
  ])('%s', (_label, content, message) => {
    const report = parse(content);
    expect(report).toEqual({
      platform: null,
      rows: [],
      problems: [expect.stringMatching(message)],
    });
  });

  it('refuses an unknown timezone before reading anything', () => {
    const report = parse(
      `${ZOOM_HEADER}\nA,a@x.kz,06/07/2023 09:00:00 AM,06/07/2023 10:00:00 AM,60,No`,
      'Asia/Astana-City',
    );
    expect(report.problems).toEqual(['Unknown timezone "Asia/Astana-City".']);
  });

  it('names a report header with no rows under it', () => {
    const report = parse(`${ZOOM_HEADER}\n`);
    expect(report).toEqual({
      platform: 'zoom',
      rows: [],
      problems: ['The Zoom participants table has no rows.'],
    });
  });

  it('skips the rows it cannot read, says which and why, and keeps the rest', () => {
    const report = parse(
      [
        ZOOM_HEADER,
        'Good Row,good@x.kz,06/07/2023 09:00:00 AM,06/07/2023 10:00:00 AM,60,No',
        'Bad Join,bad@x.kz,soon,06/07/2023 10:00:00 AM,60,No',
        'Backwards,back@x.kz,06/07/2023 10:00:00 AM,06/07/2023 09:00:00 AM,60,No',
        'No Leave,,06/07/2023 09:00:00 AM,,,Yes',
        'Leave From Duration,,06/07/2023 09:00:00 AM,,45,Yes',
        ',,06/07/2023 09:00:00 AM,06/07/2023 10:00:00 AM,60,Yes',
      ].join('\n'),
    );
    expect(report.platform).toBe('zoom');
    expect(report.rows.map((r) => [r.name, r.rowNumber, r.leftAt.toISOString()])).toEqual([
      ['Good Row', 2, '2023-06-07T04:00:00.000Z'],
      ['Leave From Duration', 6, '2023-06-07T03:45:00.000Z'],
    ]);
    expect(report.problems).toEqual([
      'Line 3: the join time "soon" is not a date and time; row skipped.',
      'Line 4: the leave time is before the join time; row skipped.',
      'Line 5: the leave time "" is not a date and time and no duration is given; row skipped.',
      'Line 7: neither a name nor an email; row skipped.',
    ]);
  });

  it('refuses dates whose day/month order contradicts itself rather than guess', () => {
    const report = parse(
      [
        ZOOM_HEADER,
        'A,a@x.kz,13/06/2023 09:00:00,13/06/2023 10:00:00,60,No',
        'B,b@x.kz,06/13/2023 09:00:00,06/13/2023 10:00:00,60,No',
      ].join('\n'),
    );
    expect(report.rows).toEqual([]);
    expect(report.problems).toEqual([expect.stringMatching(/mix day\/month and month\/day/)]);
  });

  it('survives stray quotes and ragged rows', () => {
    const report = parse(
      `${ZOOM_HEADER}\nAnn "Annie" Lee,ann@x.kz,06/07/2023 09:00:00 AM,06/07/2023 09:30:00 AM\nshort,row\nBen,ben@x.kz,06/07/2023 09:00:00 AM,06/07/2023 09:30:00 AM,30,No\n`,
    );
    expect(report.rows.map((r) => r.name)).toEqual(['Ann "Annie" Lee', 'Ben']);
    expect(report.rows[0].raw.Guest).toBe('');
    expect(report.problems).toEqual(['Line 3: not a participant row; skipped.']);
  });
});
