import { inertCellSql } from '../src/participants/exports/csv';
import { hybridEvent } from './helpers/factories';
import { publishedEvent, register, registrationBody, secretsOf } from './helpers/registrations';
import { ADMIN_TOKEN, startTestApp, TestApp, withDatabase } from './helpers/test-app';

/** A CSV parser good enough for what the service writes (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

describe('exports', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /** Fetched as bytes: a text decoder would silently drop the byte-order mark under test. */
  async function csv(path: string) {
    const res = await fetch(t.baseUrl + path, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    return parseCsv(bytes.subarray(3).toString('utf8'));
  }

  it('registrations.csv holds every registration, names intact and formulas inert', async () => {
    const event = await publishedEvent(t.http, { capacity: { inPerson: 1, online: 300 } });
    const first = await register(
      t.http,
      event.slug,
      registrationBody({ organisation: '=HYPERLINK("http://evil.test")' }),
    );
    const second = await register(
      t.http,
      event.slug,
      registrationBody({ givenName: 'Zoë', familyName: '@lias' }),
    );
    const online = await register(
      t.http,
      event.slug,
      registrationBody({ attendanceMode: 'online', givenName: 'Ғалым' }),
    );
    const { manageToken } = await secretsOf(online.body.id);
    await t.http.post(`/api/v1/public/registrations/${manageToken}/cancel`, undefined, {
      token: null,
    });

    const rows = await csv(`/api/v1/events/${event.slug}/registrations.csv`);
    expect(rows[0].slice(0, 3)).toEqual(['Reference', 'Status', 'Attendance mode']);
    expect(rows).toHaveLength(4);
    const byReference = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(byReference.get(first.body.reference)).toEqual(
      expect.arrayContaining([
        'confirmed',
        'in_person',
        'Айгерім',
        'Нұрланқызы',
        `'=HYPERLINK("http://evil.test")`,
      ]),
    );
    expect(byReference.get(second.body.reference)).toEqual(
      expect.arrayContaining(['waitlisted', 'Zoë', "'@lias"]),
    );
    expect(byReference.get(online.body.reference)).toEqual(
      expect.arrayContaining(['cancelled', 'online', 'Ғалым']),
    );
  });

  it('list-of-participants.csv lists only confirmed people who consented, grouped', async () => {
    const event = await publishedEvent(t.http);
    await register(
      t.http,
      event.slug,
      registrationBody({ organisation: 'UNODC', familyName: 'Brown', givenName: 'Ann' }),
    );
    await register(
      t.http,
      event.slug,
      registrationBody({
        organisation: 'Ministry of Health',
        familyName: 'Сейткали',
        givenName: 'Асель',
      }),
    );
    await register(
      t.http,
      event.slug,
      registrationBody({
        organisation: 'UNODC',
        familyName: 'Hidden',
        consent: { dataProcessing: true, listOfParticipants: false },
      }),
    );
    const cancelled = await register(
      t.http,
      event.slug,
      registrationBody({ organisation: 'UNODC', familyName: 'Gone' }),
    );
    await t.http.post(`/api/v1/events/${event.slug}/registrations/${cancelled.body.id}/cancel`);

    const rows = await csv(`/api/v1/events/${event.slug}/list-of-participants.csv`);
    expect(rows).toEqual([
      [
        'Delegation or organisation',
        'Family name',
        'Given name',
        'Position',
        'Organisation',
        'Country',
      ],
      ['Ministry of Health', 'Сейткали', 'Асель', 'Chief expert', 'Ministry of Health', 'KZ'],
      ['UNODC', 'Brown', 'Ann', 'Chief expert', 'UNODC', 'KZ'],
    ]);
  });

  it('streams many rows across batches without losing or repeating one', async () => {
    const { body: event } = await t.http.post(
      '/api/v1/events',
      hybridEvent({ capacity: { inPerson: 5000, online: 5000 } }),
    );
    // 2,500 rows straight into the table (the API path is tested above); some share a created_at.
    await withDatabase((db) =>
      db.query(
        `INSERT INTO registrations (event_id, reference, status, attendance_mode, email, given_name, family_name,
           organisation, country, stakeholder_type, language, consent_data_processing, consent_list_of_participants,
           manage_token, join_token, checkin_code, created_at)
         SELECT $1, translate(lpad(upper(to_hex(i)), 8, 'Z'), '01', 'XY'), 'pending', 'online', 'p' || i || '@example.org', 'Given' || i, 'Family',
                'Org', 'KZ', 'other', 'en', true, true, 'm' || i || $2, 'j' || i || $2, 'c' || i || $2,
                now() - (i / 3) * interval '1 microsecond'
           FROM generate_series(1, 2500) i`,
        [event.id, event.slug],
      ),
    );
    const rows = await csv(`/api/v1/events/${event.slug}/registrations.csv`);
    const references = rows.slice(1).map((r) => r[0]);
    expect(references).toHaveLength(2500);
    expect(new Set(references).size).toBe(2500);
  });

  it.each([
    ['=HYPERLINK("http://evil")', `'=HYPERLINK("http://evil")`],
    ['+7 701 000', `'+7 701 000`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\t=1', `'\t=1`],
    ['\r=1', `'\r=1`],
    ['Нұрланқызы', 'Нұрланқызы'],
    ['a=b', 'a=b'],
    ['', null],
  ])('makes the cell %j inert in SQL', async (input, expected) => {
    const { rows } = await withDatabase((db) =>
      db.query<{ cell: string | null }>(`SELECT ${inertCellSql('$1::text')} AS cell`, [input]),
    );
    expect(rows[0].cell).toBe(expected);
  });

  it('gives the connection back when the client goes away mid-download', async () => {
    const { body: event } = await t.http.post(
      '/api/v1/events',
      hybridEvent({ capacity: { inPerson: 50000, online: 50000 } }),
    );
    await withDatabase((db) =>
      db.query(
        `INSERT INTO registrations (event_id, reference, status, attendance_mode, email, given_name, family_name,
           organisation, country, stakeholder_type, language, consent_data_processing, consent_list_of_participants,
           manage_token, join_token, checkin_code)
         SELECT $1, translate(lpad(upper(to_hex(i)), 8, 'Z'), '01', 'XY'), 'pending', 'online', 'a' || i || '@example.org',
                repeat('Given', 40), 'Family', 'Org', 'KZ', 'other', 'en', true, true, 'm' || i || $2, 'j' || i || $2, 'c' || i || $2
           FROM generate_series(1, 40000) i`,
        [event.id, event.slug],
      ),
    );
    const path = `/api/v1/events/${event.slug}/registrations.csv`;
    // Ten downloads cut after their first chunk: more than the pool holds, so a connection kept
    // by a cut download would leave the next export (and the service) waiting.
    for (let i = 0; i < 10; i++) {
      const abort = new AbortController();
      const res = await fetch(t.baseUrl + path, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        signal: abort.signal,
      });
      const reader = res.body!.getReader();
      await reader.read();
      abort.abort();
      await reader.read().catch(() => undefined);
    }
    const res = await fetch(t.baseUrl + path, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect((await res.text()).split('\r\n')).toHaveLength(40002);
    // The cut COPYs are not left running in PostgreSQL.
    for (let i = 0; ; i++) {
      const { rows: running } = await withDatabase((db) =>
        db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'COPY (%'
                    AND state = 'active' AND pid <> pg_backend_pid()`),
      );
      if (running[0].n === 0) break;
      expect(i).toBeLessThan(50);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('refuses without an organiser token and for an unknown event', async () => {
    const event = await publishedEvent(t.http);
    expect(
      (await t.http.get(`/api/v1/events/${event.slug}/registrations.csv`, { token: null })).status,
    ).toBe(401);
    expect((await t.http.get('/api/v1/events/no-such-event/registrations.csv')).status).toBe(404);
  });
});
