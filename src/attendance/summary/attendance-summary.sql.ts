import { attendedSql, EVENT_MINUTES_AGGREGATE } from '../attended-sql';

/*
 * The attendance summary, in two aggregate queries over one event ($1; $2 is the event's
 * online_attendance_min_minutes). Nothing is loaded row by row: PostgreSQL counts.
 *
 * Indexes that serve them:
 * - registrations: idx_registrations_event_summary (event_id) INCLUDE (id, attendance_mode,
 *   stakeholder_type, status), so the event's rows come from an index-only scan (migration
 *   AttendanceSummaryIndex: 105 -> 74 ms for SUMMARY_BY_MODE at 100,000 registrations);
 * - check_ins: idx_check_ins_event_session (event_id, session_key) for the whole-event and the
 *   per-session check-ins;
 * - online_attendance: idx_online_attendance_event_session (event_id, session_key);
 * - online_joins: idx_online_joins_event_session (event_id, session_key);
 * - registration_sessions: idx_registration_sessions_session with
 *   idx_event_sessions_event_starts_at for the event's choices; registrations' primary key for
 *   the mode and status of each (session, registration) pair.
 */

/**
 * Counts per mode, stakeholder type, status and attended: at most a few dozen rows, which the
 * service adds up per mode and per stakeholder type. One plain GROUP BY over four short keys
 * with three aggregates costs a third less than GROUPING SETS with eight FILTERed aggregates.
 */
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
  SELECT mode, stakeholder_type, status, attended, count(*)::int AS people,
         COALESCE(sum(minutes), 0)::int AS minutes, count(minutes)::int AS with_minutes
    FROM people
   GROUP BY mode, stakeholder_type, status, attended`;

/**
 * Per session and mode, over the confirmed registrations that chose the session or attended it
 * (checked in to it, minutes imported for it, or opened its link).
 */
export const SUMMARY_BY_SESSION = `
  WITH facts AS (
    SELECT rs.session_id, rs.registration_id, true AS chose, false AS checked_in,
           NULL::int AS minutes, false AS opened
      FROM registration_sessions rs JOIN event_sessions s ON s.id = rs.session_id
     WHERE s.event_id = $1
    UNION ALL SELECT session_id, registration_id, false, true, NULL, false FROM check_ins
     WHERE event_id = $1 AND session_id IS NOT NULL
    UNION ALL SELECT session_id, registration_id, false, false, minutes, false
      FROM online_attendance WHERE event_id = $1 AND session_id IS NOT NULL
    UNION ALL SELECT session_id, registration_id, false, false, NULL, true FROM online_joins
     WHERE event_id = $1 AND session_id IS NOT NULL
  ), pairs AS (
    -- One row per (session, registration); each fact table holds at most one row per pair.
    SELECT session_id, registration_id, bool_or(chose) AS chose,
           bool_or(checked_in) AS checked_in, max(minutes) AS minutes, bool_or(opened) AS opened
      FROM facts GROUP BY session_id, registration_id
  ), marked AS (
    SELECT p.session_id, r.attendance_mode AS mode, p.chose, p.minutes,
           ${attendedSql({
             mode: 'r.attendance_mode',
             checkedIn: 'p.checked_in',
             minutes: 'p.minutes',
             opened: 'p.opened',
             minMinutes: '$2',
           })} AS attended
      FROM pairs p
      JOIN registrations r ON r.id = p.registration_id AND r.status = 'confirmed'
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
