import { attendedSql, EVENT_MINUTES_AGGREGATE } from '../attended-sql';

/*
 * The attendance summary, in two aggregate queries over one event ($1; $2 is the event's
 * online_attendance_min_minutes). Nothing is loaded row by row: PostgreSQL counts.
 *
 * Each runs in its own transaction after its settings statement below, without parallel
 * workers: they fight the two queries for the cores (by mode, 148 ms against 74 ms on 2 cores).
 *
 * Both join the event's registrations with their facts by MERGING streams in registration id
 * order, when the index-only scans behind them can skip the heap (the tables' visibility maps
 * mostly set, as autovacuum leaves them). At 100,000 registrations and 80,000 check-ins on
 * 2 cores, vacuumed, on one held database:
 * - by mode, 124 -> 109 ms: the registrations come in id order from their index; the check-ins
 *   are sorted, where the planner's own choice hashes them. (An index on check_ins in
 *   registration order made it 52 ms, but cost every check-in at the door 15 %: migration
 *   CheckInsEventSessionIndexRestored.)
 * - by session, 100-118 -> 57-67 ms: the (session, registration) pairs are sorted by
 *   registration and merged with the event's registrations, where the planner's choice looks up
 *   each pair by primary key (it expects ~1,300 pairs where there are 24,000);
 * - side by side, as the service runs them: 128 -> 110 ms p50.
 * Before autovacuum's first pass over freshly loaded rows, every index entry costs a heap visit
 * in random order and the forced merge took 268 ms against 158 ms: then the planner chooses.
 *
 * Indexes that serve them:
 * - registrations: idx_registrations_event_summary (event_id, id) INCLUDE (attendance_mode,
 *   stakeholder_type, status): the event's rows in id order from an index-only scan (migration
 *   AttendanceSummaryMergeIndexes);
 * - check_ins: idx_check_ins_event_session (event_id, session_key);
 * - online_attendance: idx_online_attendance_event_session (event_id, session_key);
 * - online_joins: idx_online_joins_event_session (event_id, session_key);
 * - registration_sessions: idx_registration_sessions_session with
 *   idx_event_sessions_event_starts_at for the event's choices.
 */

/**
 * One statement setting, for the transaction, no parallel workers and, when at least 80 % of
 * the pages of registrations and check_ins are all-visible (pg_class, as VACUUM and ANALYZE
 * last counted), the planner settings that make it merge.
 */
function plannerSettings(forMerging: Record<string, string>): string {
  const conditional = Object.entries(forMerging).map(
    ([name, value]) =>
      `set_config('${name}', CASE WHEN visible THEN '${value}' ELSE current_setting('${name}') END, true)`,
  );
  return `SELECT ${["set_config('max_parallel_workers_per_gather', '0', true)", ...conditional].join(', ')}
    FROM (SELECT bool_and(relallvisible >= 0.8 * relpages) AS visible FROM pg_class
           WHERE oid IN ('registrations'::regclass, 'check_ins'::regclass)) tables`;
}

export const SUMMARY_BY_MODE_SETTINGS = plannerSettings({ enable_hashjoin: 'off' });
export const SUMMARY_BY_SESSION_SETTINGS = plannerSettings({
  enable_hashjoin: 'off',
  enable_nestloop: 'off',
  // Pairs grouped by sorting come out in registration order, ready for the merge.
  enable_hashagg: 'off',
});

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
      FROM facts GROUP BY registration_id, session_id
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
      JOIN registrations r
        ON r.id = p.registration_id AND r.event_id = $1 AND r.status = 'confirmed'
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
