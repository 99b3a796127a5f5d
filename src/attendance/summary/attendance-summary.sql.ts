import { attendedSql, EVENT_MINUTES_AGGREGATE } from '../attended-sql';

/*
 * The attendance summary, in two aggregate queries over one event ($1; $2 is the event's
 * online_attendance_min_minutes). Nothing is loaded row by row: PostgreSQL counts.
 *
 * Indexes that serve them:
 * - registrations: idx_registrations_event_created (event_id, …) finds the event's rows;
 * - check_ins: idx_check_ins_event_session (event_id, session_key) for the whole-event and the
 *   per-session check-ins, uq_check_ins_registration_session for the per-pair look-ups;
 * - online_attendance: idx_online_attendance_event_session (event_id, session_key), and
 *   uq_online_attendance_registration_session per pair;
 * - online_joins: idx_online_joins_event_session (event_id, session_key), and
 *   uq_online_joins_registration_session per pair;
 * - registration_sessions: its primary key (registration_id, session_id) per pair, and
 *   idx_registration_sessions_session with idx_event_sessions_event_starts_at for the event's
 *   choices.
 */

/** Per mode, and per mode and stakeholder type (GROUPING SETS), counted over registrations. */
export const SUMMARY_BY_MODE = `
  WITH ci AS (
    SELECT registration_id FROM check_ins WHERE event_id = $1 AND session_key = 'event'
  ), om AS (
    SELECT oa.registration_id, ${EVENT_MINUTES_AGGREGATE} AS minutes
      FROM online_attendance oa WHERE oa.event_id = $1 GROUP BY oa.registration_id
  ), oj AS (
    SELECT DISTINCT registration_id FROM online_joins WHERE event_id = $1
  ), people AS (
    SELECT r.attendance_mode AS mode, r.stakeholder_type, r.status, om.minutes,
           ${attendedSql({
             mode: 'r.attendance_mode',
             checkedIn: 'ci.registration_id IS NOT NULL',
             minutes: 'om.minutes',
             opened: 'oj.registration_id IS NOT NULL',
             minMinutes: '$2',
           })} AS attended
      FROM registrations r
      LEFT JOIN ci ON ci.registration_id = r.id
      LEFT JOIN om ON om.registration_id = r.id
      LEFT JOIN oj ON oj.registration_id = r.id
     WHERE r.event_id = $1
  )
  SELECT mode, stakeholder_type, GROUPING(stakeholder_type) = 1 AS all_types,
         count(*) FILTER (WHERE status IN ('pending', 'confirmed', 'waitlisted'))::int AS registered,
         count(*) FILTER (WHERE status = 'confirmed')::int AS confirmed,
         count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted,
         count(*) FILTER (WHERE status = 'confirmed' AND attended)::int AS attended,
         COALESCE(sum(minutes) FILTER (WHERE status = 'confirmed'), 0)::int AS minutes_total,
         COALESCE(sum(minutes) FILTER (WHERE status = 'confirmed' AND attended), 0)::int
           AS minutes_attended,
         round(avg(minutes) FILTER (WHERE status = 'confirmed' AND attended), 1)::float8
           AS minutes_average
    FROM people
   GROUP BY GROUPING SETS ((mode), (mode, stakeholder_type))`;

/**
 * Per session and mode, over the confirmed registrations that chose the session or attended it
 * (checked in to it, minutes imported for it, or opened its link).
 */
export const SUMMARY_BY_SESSION = `
  WITH pairs AS (
    SELECT rs.session_id, rs.registration_id
      FROM registration_sessions rs JOIN event_sessions s ON s.id = rs.session_id
     WHERE s.event_id = $1
    UNION SELECT session_id, registration_id FROM check_ins
     WHERE event_id = $1 AND session_id IS NOT NULL
    UNION SELECT session_id, registration_id FROM online_attendance
     WHERE event_id = $1 AND session_id IS NOT NULL
    UNION SELECT session_id, registration_id FROM online_joins
     WHERE event_id = $1 AND session_id IS NOT NULL
  ), marked AS (
    SELECT p.session_id, r.attendance_mode AS mode, rs.registration_id IS NOT NULL AS chose,
           oa.minutes,
           ${attendedSql({
             mode: 'r.attendance_mode',
             checkedIn: 'c.id IS NOT NULL',
             minutes: 'oa.minutes',
             opened: 'oj.id IS NOT NULL',
             minMinutes: '$2',
           })} AS attended
      FROM pairs p
      JOIN registrations r ON r.id = p.registration_id AND r.status = 'confirmed'
      LEFT JOIN registration_sessions rs
        ON rs.registration_id = p.registration_id AND rs.session_id = p.session_id
      LEFT JOIN check_ins c
        ON c.registration_id = p.registration_id AND c.session_key = p.session_id::text
      LEFT JOIN online_attendance oa
        ON oa.registration_id = p.registration_id AND oa.session_key = p.session_id::text
      LEFT JOIN online_joins oj
        ON oj.registration_id = p.registration_id AND oj.session_key = p.session_id::text
  )
  SELECT s.id, s.title, s.starts_at, m.mode,
         count(m.mode) FILTER (WHERE m.chose)::int AS confirmed,
         count(m.mode) FILTER (WHERE m.attended)::int AS attended,
         count(m.mode) FILTER (WHERE m.chose AND NOT m.attended)::int AS no_shows,
         COALESCE(sum(m.minutes), 0)::int AS minutes_total
    FROM event_sessions s LEFT JOIN marked m ON m.session_id = s.id
   WHERE s.event_id = $1
   GROUP BY s.id, m.mode
   ORDER BY s.starts_at, s.id`;
