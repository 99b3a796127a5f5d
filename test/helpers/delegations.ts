import { randomBytes } from 'node:crypto';
import { HttpClient, withDatabase } from './test-app';

const uniqueEmail = (name: string) => `${name}.${randomBytes(4).toString('hex')}@example.kz`;

export function memberBody(overrides: Record<string, unknown> = {}) {
  return {
    email: uniqueEmail('member'),
    givenName: 'Әлихан',
    familyName: 'Қасымұлы',
    position: 'Expert',
    attendanceMode: 'in_person',
    ...overrides,
  };
}

/** A delegation of a head who attends in person and two members, one in person, one online. */
export function delegationBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Delegation of the Ministry of Health',
    organisation: 'Ministry of Health',
    stakeholderType: 'government',
    country: 'KZ',
    language: 'kk',
    head: {
      email: uniqueEmail('head'),
      givenName: 'Айгерім',
      familyName: 'Нұрланқызы',
      position: 'Head of department',
      attends: true,
      attendanceMode: 'in_person',
    },
    members: [
      memberBody({ givenName: 'Ғалым', familyName: 'Әбенов' }),
      memberBody({ givenName: 'Ұлжан', familyName: 'Һадиева', attendanceMode: 'online' }),
    ],
    consent: { dataProcessing: true, listOfParticipants: true },
    ...overrides,
  };
}

export function createDelegation(http: HttpClient, slug: string, body: unknown) {
  return http.request('POST', `/api/v1/public/events/${slug}/delegations`, { body, token: null });
}

/** The head's private token, as only the summary email would carry it. */
export async function delegationToken(delegationId: string): Promise<string> {
  return withDatabase(async (db) => {
    const { rows } = await db.query('SELECT manage_token FROM delegations WHERE id = $1', [
      delegationId,
    ]);
    return (rows[0] as { manage_token: string }).manage_token;
  });
}

/** How many rows of the event each table holds: to show a refused request stored nothing. */
export async function rowsOf(eventId: string) {
  return withDatabase(async (db) => {
    const count = async (table: string) =>
      (await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE event_id = $1`, [eventId]))
        .rows[0].n as number;
    return {
      delegations: await count('delegations'),
      registrations: await count('registrations'),
      emails: await count('emails'),
    };
  });
}

export interface OutboxRow {
  kind: string;
  to_address: string;
  language: string;
  registration_id: string | null;
  delegation_id: string | null;
  dedupe_key: string;
  facts: Record<string, any>;
}

/** The outbox rows of an event (rows of one transaction share a time, so no order is implied). */
export async function outboxOf(eventId: string): Promise<OutboxRow[]> {
  return withDatabase(async (db) => {
    const { rows } = await db.query(
      `SELECT kind, to_address, language, registration_id, delegation_id, dedupe_key, facts
         FROM emails WHERE event_id = $1`,
      [eventId],
    );
    return rows as OutboxRow[];
  });
}

export interface RegistrationRow {
  id: string;
  email: string;
  status: string;
  attendance_mode: string;
  reference: string;
  delegation_id: string | null;
  is_delegation_head: boolean;
  organisation: string;
  country: string;
  language: string;
  stakeholder_type: string;
  consent_list_of_participants: boolean;
}

export async function registrationsOf(eventId: string): Promise<RegistrationRow[]> {
  return withDatabase(async (db) => {
    const { rows } = await db.query(
      `SELECT id, email, status, attendance_mode, reference, delegation_id, is_delegation_head,
              organisation, country, language, stakeholder_type, consent_list_of_participants
         FROM registrations WHERE event_id = $1 ORDER BY created_at, id`,
      [eventId],
    );
    return rows as RegistrationRow[];
  });
}
