import type { AttendanceMode } from '../events/event.entity';
import type { AdmissionInput } from './batch-admission.sql';
import { EMAILS_CHANNEL } from '../notifications/delivery/emails-channel';

/**
 * The whole admission of one person with no session choices, as ONE statement: lock the
 * event's row, take a seat of the mode if one is free (or draw a waitlist position from the
 * sequence, or leave it pending when the event needs approval), insert the registration and its
 * outbox email. Run on its own (autocommit) it holds the event's lock only while PostgreSQL
 * executes and commits it, never across a round trip to a busy Node process: that round trip,
 * times the five statements of the ORM path, was most of the critical section.
 *
 * Why it is exact, like the transaction it replaces:
 * - `ev` takes the row lock first (FOR NO KEY UPDATE; in READ COMMITTED it waits, then returns
 *   the newest committed row); every later part reads `ev`, so runs after the lock;
 * - the seat is a conditional UPDATE that PostgreSQL re-checks against the newest row version;
 * - nextval is called only for a waitlisted registration, after the lock, so positions follow
 *   the order in which the lock was granted;
 * - any error (a duplicate email, a reference clash) rolls back the whole statement, seat
 *   included. Nothing is inserted when the event is not open or the mode is full without a
 *   waitlist: the caller reads the locked row (returned) to say why.
 *
 * Parameters: $1 event id, $2 new registration id, $3 reference, $4 email, $5 given name,
 * $6 family name, $7 organisation, $8 position, $9 country, $10 stakeholder type,
 * $11 language, $12–$14 consents, $15–$17 manage/join tokens and check-in code, $18 now.
 */
/**
 * The first two parts of an admission statement: `ev`, the event ($1) locked FOR NO KEY UPDATE
 * (in READ COMMITTED it waits, then returns the newest committed row; every later part reads
 * `ev`, so runs after the lock), and `open_ev`, the same row only when registration is open at
 * the given time.
 */
export const lockedEventCtes = (now: string): string => `ev AS (
    SELECT id, status, registration_opens_at, registration_closes_at, requires_approval,
           waitlist, capacity_in_person, capacity_online, seats_taken_in_person,
           seats_taken_online
      FROM events WHERE id = $1 FOR NO KEY UPDATE
  ), open_ev AS (
    SELECT * FROM ev WHERE status = 'published'
       AND (registration_opens_at IS NULL OR registration_opens_at <= ${now}::timestamptz)
       AND (registration_closes_at IS NULL OR registration_closes_at > ${now}::timestamptz)
  )`;

/** The columns an admission statement inserts into registrations, in its SELECT's order. */
export const ADMITTED_REGISTRATION_COLUMNS = `(id, event_id, delegation_id, is_delegation_head,
      reference, status, attendance_mode, email, given_name, family_name, organisation, position,
      country, stakeholder_type, language, consent_data_processing, consent_list_of_participants,
      consent_photography, manage_token, join_token, checkin_code, queued_at, queue_position,
      confirmed_at, cancelled_at)`;

function admissionSql(mode: AttendanceMode): string {
  const seats = mode === 'in_person' ? 'seats_taken_in_person' : 'seats_taken_online';
  const capacity = mode === 'in_person' ? 'capacity_in_person' : 'capacity_online';
  return `
  WITH ${lockedEventCtes('$18')}, seat AS (
    UPDATE events e SET ${seats} = e.${seats} + 1, updated_at = CURRENT_TIMESTAMP
      FROM open_ev
     WHERE e.id = open_ev.id AND NOT open_ev.requires_approval
       AND e.${seats} < COALESCE(e.${capacity}, 0)
    RETURNING e.id
  ), decision AS (
    SELECT CASE WHEN o.requires_approval THEN 'pending'
                WHEN EXISTS (SELECT 1 FROM seat) THEN 'confirmed'
                WHEN o.waitlist THEN 'waitlisted' END AS status
      FROM open_ev o
  ), queued AS (
    SELECT d.status,
           CASE WHEN d.status = 'waitlisted'
                THEN nextval('registration_queue_positions') END AS position
      FROM decision d WHERE d.status IS NOT NULL
  ), ins AS (
    INSERT INTO registrations ${ADMITTED_REGISTRATION_COLUMNS}
    SELECT $2, $1, NULL, false, $3, q.status, '${mode}', $4, $5, $6, $7, $8, $9, $10, $11,
           $12, $13, $14, $15, $16, $17,
           CASE WHEN q.status = 'waitlisted' THEN clock_timestamp() END, q.position,
           CASE WHEN q.status = 'confirmed' THEN clock_timestamp() END, NULL
      FROM queued q
    RETURNING id, status, queued_at, queue_position::text, confirmed_at, created_at, updated_at
  ), mail AS (
    INSERT INTO emails
      (event_id, registration_id, delegation_id, kind, to_address, language, dedupe_key, facts)
    SELECT $1, i.id, NULL, 'registration_' || i.status, $4, $11,
           'registration_' || i.status || ':' || i.id || ':registered', '{}'::jsonb
      FROM ins i
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING 1
  )
  SELECT ev.status AS event_status, ev.registration_opens_at, ev.registration_closes_at,
         ev.requires_approval, ev.waitlist, ev.capacity_in_person, ev.capacity_online,
         ev.seats_taken_in_person, ev.seats_taken_online,
         i.id, i.status, i.queued_at, i.queue_position, i.confirmed_at, i.created_at,
         i.updated_at,
         -- Wakes idle email workers; PostgreSQL delivers it when the statement commits.
         (SELECT pg_notify('${EMAILS_CHANNEL}', '') WHERE EXISTS (SELECT 1 FROM mail))
           AS notified
    FROM ev LEFT JOIN ins i ON true`;
}

export const SINGLE_ADMISSION_SQL: Record<AttendanceMode, string> = {
  in_person: admissionSql('in_person'),
  online: admissionSql('online'),
};

/** One row: the event as locked, and the registration when one was inserted (else nulls). */
export interface SingleAdmissionRow {
  event_status: string;
  registration_opens_at: Date | null;
  registration_closes_at: Date | null;
  requires_approval: boolean;
  waitlist: boolean;
  capacity_in_person: number | null;
  capacity_online: number | null;
  seats_taken_in_person: number;
  seats_taken_online: number;
  id: string | null;
  status: string | null;
  queued_at: Date | null;
  queue_position: string | null;
  confirmed_at: Date | null;
  created_at: Date | null;
  updated_at: Date | null;
}

/** SINGLE_ADMISSION_SQL's parameters for one person, in its order. */
export function singleAdmissionParams(eventId: string, p: AdmissionInput, now: Date): unknown[] {
  return [
    eventId,
    p.id,
    p.reference,
    p.email,
    p.given_name,
    p.family_name,
    p.organisation,
    p.position,
    p.country,
    p.stakeholder_type,
    p.language,
    p.consent_data_processing,
    p.consent_list_of_participants,
    p.consent_photography,
    p.manage_token,
    p.join_token,
    p.checkin_code,
    now,
  ];
}
