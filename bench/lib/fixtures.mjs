// Data the newer benchmarks share: events created through the API, and registrations seeded
// fast with SQL on the scratch database, with references and secrets made exactly as the
// service makes them (src/participants/reference.ts, src/common/auth/token-secrets.ts).
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { request } from './load.mjs';

export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const newReference = () =>
  Array.from({ length: 8 }, () => REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)]).join(
    '',
  );
/** randomToken(24): what a QR code holds (the check-in code), and the private links. */
export const newToken = () => randomBytes(24).toString('base64url');

export function eventBody(slug, overrides = {}) {
  const day = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  return {
    slug,
    title: 'National dialogue on drug policy',
    timezone: 'Asia/Almaty',
    startsAt: `${day}T09:00:00+05:00`,
    endsAt: `${day}T17:00:00+05:00`,
    format: 'hybrid',
    venue: { name: 'Palace of Independence', address: 'Tauelsizdik Ave 52, Astana' },
    onlineJoinUrl: 'https://meet.example.org/j/123',
    capacity: { inPerson: 300, online: 2000 },
    registration: { requiresApproval: false, waitlist: true, maxDelegationSize: 10 },
    languages: ['en', 'ru', 'kk'],
    ...overrides,
  };
}

/** Creates and publishes an event through the API; returns the created body (id, slug...). */
export async function publishedEvent(service, body) {
  const auth = { authorization: `Bearer ${service.adminToken}` };
  const created = await request({
    url: `${service.url}/api/v1/events`,
    method: 'POST',
    body,
    headers: auth,
  });
  if (created.status !== 201)
    throw new Error(`event not created: ${created.status} ${created.text}`);
  const published = await request({
    url: `${service.url}/api/v1/events/${body.slug}/publish`,
    method: 'POST',
    headers: auth,
  });
  if (published.status !== 200) throw new Error(`event not published: ${published.text}`);
  return JSON.parse(created.text);
}

/** A staff token of `role` (limited to the event when given), made through the API. */
export async function staffToken(service, role, eventSlug) {
  const res = await request({
    url: `${service.url}/api/v1/tokens`,
    method: 'POST',
    body: { name: `bench ${role}`, role, ...(eventSlug ? { eventSlug } : {}) },
    headers: { authorization: `Bearer ${service.adminToken}` },
  });
  if (res.status !== 201) throw new Error(`token not created: ${res.status} ${res.text}`);
  return JSON.parse(res.text).secret;
}

const COLUMNS = [
  ['id', 'uuid'],
  ['event_id', 'uuid'],
  ['reference', 'text'],
  ['status', 'text'],
  ['attendance_mode', 'text'],
  ['email', 'text'],
  ['given_name', 'text'],
  ['family_name', 'text'],
  ['organisation', 'text'],
  ['position', 'text'],
  ['country', 'text'],
  ['stakeholder_type', 'text'],
  ['language', 'text'],
  ['manage_token', 'text'],
  ['join_token', 'text'],
  ['checkin_code', 'text'],
  ['confirmed_at', 'timestamptz'],
  ['created_at', 'timestamptz'],
];

/**
 * Inserts registrations in batches of 5,000 (one statement each, arrays as parameters) and
 * sets the event's seat counters to the confirmed ones. `person(i)` gives the varying fields;
 * everything else is what a confirmed public registration holds. Returns the rows inserted
 * ({ id, reference, checkinCode, ...person }).
 */
export async function seedRegistrations(pool, eventId, count, person) {
  const rows = [];
  const references = new Set();
  const base = Date.now() - count * 10;
  for (let i = 0; i < count; i++) {
    let reference;
    do reference = newReference();
    while (references.has(reference));
    references.add(reference);
    const p = person(i);
    rows.push({
      id: randomUUID(),
      event_id: eventId,
      reference,
      status: 'confirmed',
      attendance_mode: 'in_person',
      email: `seed.${i}.${randomBytes(3).toString('hex')}@example.org`,
      given_name: 'Айгерім',
      family_name: 'Нұрланқызы',
      organisation: 'Ministry of Health',
      position: null,
      country: 'KZ',
      stakeholder_type: 'government',
      language: 'ru',
      manage_token: newToken(),
      join_token: newToken(),
      checkin_code: newToken(),
      confirmed_at: new Date(base + i * 10),
      created_at: new Date(base + i * 10),
      ...p,
    });
  }
  const sql = `
    INSERT INTO registrations (${COLUMNS.map(([c]) => c).join(', ')},
      consent_data_processing, consent_list_of_participants, consent_photography)
    SELECT *, true, true, false FROM unnest(${COLUMNS.map(([, t], i) => `$${i + 1}::${t}[]`).join(', ')})`;
  for (let from = 0; from < rows.length; from += 5000) {
    const batch = rows.slice(from, from + 5000);
    await pool.query(
      sql,
      COLUMNS.map(([c]) => batch.map((r) => r[c] ?? null)),
    );
  }
  await pool.query(
    `UPDATE events e SET
       seats_taken_in_person = (SELECT count(*) FROM registrations r WHERE r.event_id = e.id
         AND r.status = 'confirmed' AND r.attendance_mode = 'in_person'),
       seats_taken_online = (SELECT count(*) FROM registrations r WHERE r.event_id = e.id
         AND r.status = 'confirmed' AND r.attendance_mode = 'online')
     WHERE e.id = $1`,
    [eventId],
  );
  return rows.map((r) => ({ ...r, checkinCode: r.checkin_code }));
}
