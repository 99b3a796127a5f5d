import { attendedSql } from '../attended-sql';

/*
 * The attendance summary, in two aggregate queries over one event's attendance tallies ($1 the
 * event; $2 its online_attendance_min_minutes). PostgreSQL's triggers keep the tallies in the
 * transaction of every registration, check-in, join, import and session choice (migration
 * AttendanceTallies): each row counts `people` registrations under one key of facts, so these
 * queries add up a few hundred rows (plus the +1/-1 rows appended since the last fold) where
 * joining every registration with its check-ins took 110 ms at 100,000 registrations on
 * 2 cores. The attended rule is applied here, at read time, so a new minimum of online minutes
 * counts at once.
 *
 * idx_attendance_tallies_event_session (event_id, session_key) finds the event's rows.
 */

const ATTENDED = attendedSql({
  mode: 'attendance_mode',
  checkedIn: 'checked_in',
  minutes: 'minutes',
  opened: 'opened',
  minMinutes: '$2',
});

/**
 * People per mode, stakeholder type, status and attended, with their online minutes: at most a
 * few dozen rows, which the service adds up per mode and per stakeholder type.
 */
export const SUMMARY_BY_MODE = `
  WITH tallied AS (
    SELECT attendance_mode AS mode, stakeholder_type, status, minutes, people,
           ${ATTENDED} AS attended
      FROM attendance_tallies WHERE event_id = $1 AND session_key = 'event'
  )
  SELECT mode, stakeholder_type, status, attended, sum(people)::int AS people,
         COALESCE(sum(minutes * people), 0)::int AS minutes,
         COALESCE(sum(people) FILTER (WHERE minutes IS NOT NULL), 0)::int AS with_minutes
    FROM tallied
   GROUP BY mode, stakeholder_type, status, attended
  HAVING sum(people) <> 0`;

/**
 * Per session and mode, over the confirmed registrations that chose the session or attended it
 * (checked in to it, minutes imported for it, or opened its link); every session of the event,
 * with a row of no mode when nobody is counted for it.
 */
export const SUMMARY_BY_SESSION = `
  WITH tallied AS (
    SELECT session_key, attendance_mode AS mode, chose, minutes, people, ${ATTENDED} AS attended
      FROM attendance_tallies
     WHERE event_id = $1 AND session_key <> 'event' AND status = 'confirmed'
  ), counted AS (
    SELECT session_key, mode,
           sum(people) FILTER (WHERE chose) AS confirmed,
           sum(people) FILTER (WHERE attended) AS attended,
           sum(people) FILTER (WHERE chose AND NOT attended) AS no_shows,
           sum(minutes * people) AS minutes_total
      FROM tallied GROUP BY session_key, mode HAVING sum(people) <> 0
  )
  SELECT s.id, s.title, s.starts_at, c.mode,
         COALESCE(c.confirmed, 0)::int AS confirmed, COALESCE(c.attended, 0)::int AS attended,
         COALESCE(c.no_shows, 0)::int AS no_shows, COALESCE(c.minutes_total, 0)::int AS minutes_total
    FROM event_sessions s LEFT JOIN counted c ON c.session_key = s.id::text
   WHERE s.event_id = $1
   ORDER BY s.starts_at, s.id`;
