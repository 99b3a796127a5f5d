import type { AttendanceMode } from '../../events/event.entity';
import type { DelegationSummaryReason, EventChange, RegistrationStatus } from './messages';

/**
 * Reading an outbox row's `facts` (what the change was) safely: anything unknown is ignored, so
 * nothing a feature puts there (a meeting URL, say) can reach an email by accident.
 */

// Type-only imports from the entities keep TypeORM out of the renderer; the records below are
// checked by the compiler to hold every mode and status.
const MODES: Record<AttendanceMode, true> = { in_person: true, online: true };
export const isMode = (value: unknown): value is AttendanceMode =>
  typeof value === 'string' && Object.hasOwn(MODES, value);

const STATUSES: Record<RegistrationStatus, true> = {
  pending: true,
  confirmed: true,
  waitlisted: true,
  declined: true,
  cancelled: true,
};
export const isStatus = (value: unknown): value is RegistrationStatus =>
  typeof value === 'string' && Object.hasOwn(STATUSES, value);

/** The event fields an update may name in `facts.changes`, and what the email says of each. */
const CHANGE_OF_FIELD: Record<string, EventChange> = {
  time: 'time',
  startsAt: 'time',
  endsAt: 'time',
  timezone: 'time',
  venue: 'venue',
  venueName: 'venue',
  venueAddress: 'venue',
  online: 'online',
  onlineJoinUrl: 'online',
};

/** `facts.changes` as a list of field names, or an object keyed by them. */
export function eventChanges(facts: Record<string, unknown>): EventChange[] {
  const raw = facts.changes;
  const fields = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.keys(raw) : [];
  const found = new Set<EventChange>();
  for (const field of fields) {
    if (typeof field === 'string' && Object.hasOwn(CHANGE_OF_FIELD, field)) {
      found.add(CHANGE_OF_FIELD[field]);
    }
  }
  return (['time', 'venue', 'online'] as const).filter((c) => found.has(c));
}

export function summaryReason(facts: Record<string, unknown>): DelegationSummaryReason {
  const reason = facts.reason;
  return reason === 'created' || reason === 'member_added' || reason === 'member_cancelled'
    ? reason
    : 'other';
}
