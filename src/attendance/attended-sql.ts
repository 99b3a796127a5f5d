/**
 * The attended rule, as SQL, shared by the attendance summary and the registrations export so
 * that both always count the same people:
 * - in person: checked in for the event as a whole (check_ins, session key 'event');
 * - online: the minutes known from imported reports reach the event's
 *   online_attendance_min_minutes; with no minutes known, opened the personal link.
 *
 * A registration's online minutes for the event are those of a whole-event report when one was
 * imported, otherwise the sum of its per-session reports.
 */
export function attendedSql(p: {
  mode: string;
  checkedIn: string;
  minutes: string;
  opened: string;
  minMinutes: string;
}): string {
  return `CASE WHEN ${p.mode} = 'in_person' THEN ${p.checkedIn}
              WHEN ${p.minutes} IS NOT NULL THEN ${p.minutes} >= ${p.minMinutes}
              ELSE ${p.opened} END`;
}

/**
 * Minutes per registration for the event, from online_attendance rows `oa` grouped by it. The
 * attendance tallies' triggers (attendance_tally_facts, migration AttendanceTallies) count the
 * same minutes: a change to this rule needs a migration replacing that function too.
 */
export const EVENT_MINUTES_AGGREGATE = `COALESCE(max(oa.minutes) FILTER (WHERE oa.session_key = 'event'), sum(oa.minutes))::int`;
