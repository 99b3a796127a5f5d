import { hybridEvent, sessionOf } from './factories';
import { register, registrationBody, secretsOf } from './registrations';
import { HttpClient, withDatabase } from './test-app';

/** Creates an event (with the given sessions, hours local) and publishes it. */
export async function eventWithSessions(
  http: HttpClient,
  overrides: Record<string, unknown> = {},
  sessions: Record<string, unknown>[] = [],
) {
  const body = hybridEvent(overrides);
  const created = await http.post('/api/v1/events', body);
  if (created.status !== 201) throw new Error(`event not created: ${created.text}`);
  const sessionIds: string[] = [];
  for (const [i, extra] of sessions.entries()) {
    const res = await http.post(
      `/api/v1/events/${body.slug}/sessions`,
      sessionOf(body, 10 + i, 11 + i, extra),
    );
    if (res.status !== 201) throw new Error(`session not created: ${res.text}`);
    sessionIds.push(res.body.id as string);
  }
  const published = await http.post(`/api/v1/events/${body.slug}/publish`);
  if (published.status !== 200) throw new Error(`event not published: ${published.text}`);
  return { slug: body.slug, id: created.body.id as string, sessionIds, body };
}

/** Registers someone through the public API; returns the registration with its secrets. */
export async function registered(
  http: HttpClient,
  slug: string,
  overrides: Record<string, unknown> = {},
) {
  const res = await register(http, slug, registrationBody(overrides));
  if (res.status !== 201) throw new Error(`not registered: ${res.text}`);
  const secrets = await secretsOf(res.body.id);
  return {
    id: res.body.id as string,
    reference: res.body.reference as string,
    status: res.body.status as string,
    ...secrets,
  };
}

export async function checkInsOf(registrationId: string) {
  return withDatabase(
    async (db) =>
      (
        await db.query(
          'SELECT session_key, session_id, checked_in_at, scanned_at, desk FROM check_ins WHERE registration_id = $1 ORDER BY session_key',
          [registrationId],
        )
      ).rows as Record<string, any>[],
  );
}

export async function attemptsOf(eventId: string) {
  return withDatabase(
    async (db) =>
      (
        await db.query(
          'SELECT * FROM check_in_attempts WHERE event_id = $1 ORDER BY received_at, id',
          [eventId],
        )
      ).rows as Record<string, any>[],
  );
}
