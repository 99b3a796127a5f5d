import { randomBytes } from 'node:crypto';
import { hybridEvent } from './factories';
import { HttpClient, withDatabase } from './test-app';

/** A person registering, with a unique email; Kazakh letters in the name on purpose. */
export function registrationBody(overrides: Record<string, unknown> = {}) {
  return {
    email: `aigerim.${randomBytes(4).toString('hex')}@example.kz`,
    givenName: 'Айгерім',
    familyName: 'Нұрланқызы',
    organisation: 'Ministry of Health',
    position: 'Chief expert',
    country: 'KZ',
    stakeholderType: 'government',
    attendanceMode: 'in_person',
    language: 'kk',
    sessionIds: [],
    consent: { dataProcessing: true, listOfParticipants: true, photography: false },
    ...overrides,
  };
}

/** Creates and publishes a hybrid event; returns its staff view. */
export async function publishedEvent(http: HttpClient, overrides: Record<string, unknown> = {}) {
  const created = await http.post('/api/v1/events', hybridEvent(overrides));
  if (created.status !== 201) throw new Error(`event not created: ${created.text}`);
  const published = await http.post(`/api/v1/events/${created.body.slug}/publish`);
  if (published.status !== 200) throw new Error(`event not published: ${published.text}`);
  return published.body;
}

export function register(
  http: HttpClient,
  slug: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return http.request('POST', `/api/v1/public/events/${slug}/registrations`, {
    body,
    token: null,
    headers,
  });
}

/** The private tokens of a registration, as only its emails carry them. */
export async function secretsOf(registrationId: string) {
  return withDatabase(async (db) => {
    const { rows } = await db.query(
      'SELECT manage_token, join_token, checkin_code FROM registrations WHERE id = $1',
      [registrationId],
    );
    const row = rows[0] as { manage_token: string; join_token: string; checkin_code: string };
    return {
      manageToken: row.manage_token,
      joinToken: row.join_token,
      checkinCode: row.checkin_code,
    };
  });
}

/** The outbox rows of a registration, oldest first: what the person will be told. */
export async function emailsOf(registrationId: string) {
  return withDatabase(async (db) => {
    const { rows } = await db.query(
      'SELECT kind, to_address, language, status, facts FROM emails WHERE registration_id = $1 ORDER BY created_at, id',
      [registrationId],
    );
    return rows as {
      kind: string;
      to_address: string;
      language: string;
      status: string;
      facts: Record<string, unknown>;
    }[];
  });
}

export async function seatsOf(slug: string) {
  return withDatabase(async (db) => {
    const { rows } = await db.query(
      'SELECT seats_taken_in_person AS "inPerson", seats_taken_online AS "online" FROM events WHERE slug = $1',
      [slug],
    );
    return rows[0] as { inPerson: number; online: number };
  });
}

/** A registration's row as stored, by id. */
export async function rowOf(registrationId: string) {
  return withDatabase(async (db) => {
    const { rows } = await db.query('SELECT * FROM registrations WHERE id = $1', [registrationId]);
    return rows[0] as Record<string, any> | undefined;
  });
}

/**
 * What a request could have stored for an event: its registrations (with their session
 * choices), its outbox and its seat counters. Equal before and after a refused request.
 */
export async function storedFor(eventId: string) {
  return withDatabase(async (db) => {
    const one = async (sql: string) => (await db.query(sql, [eventId])).rows[0].n as number;
    return {
      registrations: await one('SELECT count(*)::int AS n FROM registrations WHERE event_id = $1'),
      choices: await one(
        'SELECT count(*)::int AS n FROM registration_sessions s JOIN registrations r ON r.id = s.registration_id WHERE r.event_id = $1',
      ),
      emails: await one('SELECT count(*)::int AS n FROM emails WHERE event_id = $1'),
      seats: (
        await db.query(
          'SELECT seats_taken_in_person AS "inPerson", seats_taken_online AS "online" FROM events WHERE id = $1',
          [eventId],
        )
      ).rows[0] as { inPerson: number; online: number },
      sessionSeats: (
        await db.query(
          'SELECT id, seats_taken FROM event_sessions WHERE event_id = $1 ORDER BY id',
          [eventId],
        )
      ).rows as { id: string; seats_taken: number }[],
    };
  });
}

/** Registrations and outbox rows anywhere in the database for an address, case-insensitively. */
export async function storedForAddress(email: string) {
  return withDatabase(async (db) => {
    const count = async (sql: string) => (await db.query(sql, [email])).rows[0].n as number;
    return {
      registrations: await count(
        'SELECT count(*)::int AS n FROM registrations WHERE lower(email) = lower($1)',
      ),
      emails: await count(
        'SELECT count(*)::int AS n FROM emails WHERE lower(to_address) = lower($1)',
      ),
    };
  });
}
