import { EMAILS_CHANNEL } from '../notifications/delivery/emails-channel';
import {
  ADMITTED_REGISTRATION_COLUMNS,
  lockedEventCtes,
  type SingleAdmissionRow,
} from './single-admission.sql';

/**
 * One person to admit, in the columns' names. The batch statement reads a JSON array of these,
 * each with `n`, its position in the batch: seats and waitlist places go in that order.
 */
export interface AdmissionInput {
  id: string;
  reference: string;
  attendance_mode: 'in_person' | 'online';
  email: string;
  given_name: string;
  family_name: string;
  organisation: string;
  position: string | null;
  country: string;
  stakeholder_type: string;
  language: string;
  consent_data_processing: boolean;
  consent_list_of_participants: boolean;
  consent_photography: boolean;
  manage_token: string;
  join_token: string;
  checkin_code: string;
}

/** One row per person of the batch: the event after the batch, and the registration if any. */
export interface BatchAdmissionRow extends SingleAdmissionRow {
  n: number;
  /** Left out as a duplicate (an active registration, or an earlier one in the batch). */
  duplicate: boolean;
}

/**
 * The admission of several people of one event, none with session choices, as ONE statement:
 * what SINGLE_ADMISSION_SQL does for one, done for a batch under one lock of the event's row.
 * Many people pressing "register" at once wait for that lock one after another; admitting
 * those that queued up together turns a lock hand-over, a statement and a commit per person
 * into one per batch.
 *
 * Same rules as one by one, in batch order: seats of each mode to the first in order while the
 * counters allow (one UPDATE adds them up; the CHECK constraints still hold the capacity), then
 * waitlist places from the sequence in order, or pending when the event needs approval, or
 * nothing when the event is not open or the mode is full without a waitlist (the caller reads
 * the event as returned, with its counters after the batch, to say why).
 *
 * A person whose email already has an active registration, or comes twice in the batch, is
 * left out (`duplicate`): the caller admits them alone, where the unique index decides and the
 * duplicate is answered as always. The look-up here reads the statement's snapshot, which may
 * be older than the lock: a duplicate committed meanwhile by another instance makes the unique
 * index fail the whole statement, and the caller then admits every person alone. The index,
 * not this look-up, is what keeps one active registration per email.
 *
 * Parameters: $1 event id, $2 the people (JSON array of AdmissionInput), $3 now.
 */
export const BATCH_ADMISSION_SQL = `
  WITH ${lockedEventCtes('$3')}, input AS (
    SELECT * FROM jsonb_to_recordset($2::jsonb) AS t(
      n int, id uuid, reference varchar, attendance_mode varchar, email varchar,
      given_name varchar, family_name varchar, organisation varchar, position varchar,
      country varchar, stakeholder_type varchar, language varchar,
      consent_data_processing boolean, consent_list_of_participants boolean,
      consent_photography boolean, manage_token varchar, join_token varchar,
      checkin_code varchar)
  ), fresh AS (
    SELECT i.* FROM input i
     WHERE NOT EXISTS (
             SELECT 1 FROM registrations r
              WHERE r.event_id = $1 AND lower(r.email) = lower(i.email)
                AND r.status IN ('pending', 'confirmed', 'waitlisted'))
       AND NOT EXISTS (
             SELECT 1 FROM input j WHERE lower(j.email) = lower(i.email) AND j.n < i.n)
  ), decided AS (
    SELECT f.*,
           CASE WHEN o.requires_approval THEN 'pending'
                WHEN row_number() OVER (PARTITION BY f.attendance_mode ORDER BY f.n)
                     <= CASE f.attendance_mode
                          WHEN 'in_person'
                          THEN COALESCE(o.capacity_in_person, 0) - o.seats_taken_in_person
                          ELSE COALESCE(o.capacity_online, 0) - o.seats_taken_online END
                THEN 'confirmed'
                WHEN o.waitlist THEN 'waitlisted' END AS status
      FROM fresh f CROSS JOIN open_ev o
  ), taken AS (
    SELECT count(*) FILTER (WHERE status = 'confirmed' AND attendance_mode = 'in_person')::int
             AS in_person,
           count(*) FILTER (WHERE status = 'confirmed' AND attendance_mode = 'online')::int
             AS online
      FROM decided
  ), seat AS (
    UPDATE events e
       SET seats_taken_in_person = e.seats_taken_in_person + t.in_person,
           seats_taken_online = e.seats_taken_online + t.online,
           updated_at = CURRENT_TIMESTAMP
      FROM taken t
     WHERE e.id = $1 AND t.in_person + t.online > 0
    RETURNING e.id
  ), queued AS (
    SELECT d.*,
           CASE WHEN d.status = 'waitlisted'
                THEN nextval('registration_queue_positions') END AS place
      FROM (SELECT * FROM decided WHERE status IS NOT NULL ORDER BY n) d
  ), ins AS (
    INSERT INTO registrations ${ADMITTED_REGISTRATION_COLUMNS}
    SELECT q.id, $1, NULL, false, q.reference, q.status, q.attendance_mode, q.email,
           q.given_name, q.family_name, q.organisation, q.position, q.country,
           q.stakeholder_type, q.language, q.consent_data_processing,
           q.consent_list_of_participants, q.consent_photography, q.manage_token, q.join_token,
           q.checkin_code,
           CASE WHEN q.status = 'waitlisted' THEN clock_timestamp() END, q.place,
           CASE WHEN q.status = 'confirmed' THEN clock_timestamp() END, NULL
      FROM queued q
    RETURNING id, status, email, language, queued_at, queue_position::text, confirmed_at,
              created_at, updated_at
  ), mail AS (
    INSERT INTO emails
      (event_id, registration_id, delegation_id, kind, to_address, language, dedupe_key, facts)
    SELECT $1, i.id, NULL, 'registration_' || i.status, i.email, i.language,
           'registration_' || i.status || ':' || i.id || ':registered', '{}'::jsonb
      FROM ins i
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING 1
  ), notified AS (
    -- Wakes idle email workers; PostgreSQL delivers it when the statement commits.
    SELECT pg_notify('${EMAILS_CHANNEL}', '') WHERE EXISTS (SELECT 1 FROM mail)
  )
  SELECT input.n, ev.status AS event_status, ev.registration_opens_at,
         ev.registration_closes_at, ev.requires_approval, ev.waitlist, ev.capacity_in_person,
         ev.capacity_online,
         ev.seats_taken_in_person + COALESCE((SELECT in_person FROM taken), 0)
           AS seats_taken_in_person,
         ev.seats_taken_online + COALESCE((SELECT online FROM taken), 0) AS seats_taken_online,
         i.id, i.status, i.queued_at, i.queue_position, i.confirmed_at, i.created_at,
         i.updated_at,
         NOT EXISTS (SELECT 1 FROM fresh f WHERE f.n = input.n) AS duplicate,
         (SELECT count(*) FROM notified) AS notified
    FROM input CROSS JOIN ev LEFT JOIN ins i ON i.id = input.id
   ORDER BY input.n`;
