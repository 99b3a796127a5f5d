import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpClient, withDatabase } from './test-app';

/** The bytes of a file of test/fixtures/platform-reports. */
export const reportFixture = (name: string): Buffer =>
  readFileSync(join(__dirname, '..', 'fixtures', 'platform-reports', name));

/** The multipart body a browser sends for the import form. */
export function reportForm(bytes: Buffer, filename = 'report.csv', sessionId?: string): FormData {
  const form = new FormData();
  if (sessionId) form.append('sessionId', sessionId);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'text/csv' }), filename);
  return form;
}

export function importReport(
  http: HttpClient,
  slug: string,
  bytes: Buffer,
  options: { sessionId?: string; token?: string | null; filename?: string } = {},
) {
  return http.request('POST', `/api/v1/events/${slug}/online-attendance/import`, {
    token: options.token,
    form: reportForm(bytes, options.filename, options.sessionId),
  });
}

/** Minutes stored per registration id for an event and session key. */
export async function minutesOf(eventId: string, sessionKey = 'event') {
  return withDatabase(async (db) => {
    const { rows } = await db.query(
      'SELECT registration_id, minutes FROM online_attendance WHERE event_id = $1 AND session_key = $2',
      [eventId, sessionKey],
    );
    return Object.fromEntries(rows.map((r) => [r.registration_id, r.minutes])) as Record<
      string,
      number
    >;
  });
}

/** Everything an import may write for an event, in a stable order, to compare before/after. */
export async function importedState(eventId: string) {
  return withDatabase(async (db) => ({
    rows: (
      await db.query(
        'SELECT * FROM online_attendance_rows WHERE event_id = $1 ORDER BY session_key, fingerprint',
        [eventId],
      )
    ).rows,
    totals: (
      await db.query(
        'SELECT * FROM online_attendance WHERE event_id = $1 ORDER BY session_key, registration_id',
        [eventId],
      )
    ).rows,
  }));
}
