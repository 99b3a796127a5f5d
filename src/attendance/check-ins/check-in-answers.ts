import { problem } from '../../common/errors/problem-details.filter';
import type { CheckInResult } from '../check-in-attempt.entity';

export const NOT_ADMITTED_REASONS = [
  'pending',
  'waitlisted',
  'declined',
  'cancelled',
  'other_event',
  'event_cancelled',
  'session_not_chosen',
  'session_full',
  'registered_online',
  'in_person_full',
] as const;
export type NotAdmittedReason = (typeof NOT_ADMITTED_REASONS)[number];

const DETAILS: Record<NotAdmittedReason, string> = {
  pending: 'The registration is still waiting for approval.',
  waitlisted: 'The registration is on the waiting list, without a seat.',
  declined: 'The registration was declined.',
  cancelled: 'The registration was cancelled.',
  other_event: 'This code belongs to another event.',
  event_cancelled: 'The event has been cancelled.',
  session_not_chosen: 'The person did not choose this session, and its seats are limited.',
  session_full: 'The session has no seat left in the room for this person.',
  registered_online:
    'The person registered to attend online. Send admitOnline: true to switch them to in person.',
  in_person_full: 'There is no in-person seat left to switch this online registrant to.',
};

/** Who is at the desk, as the desk shows it. */
export interface DeskPerson {
  reference: string;
  name: string;
  organisation: string;
  attendanceMode: string;
  delegation: string | null;
}

/**
 * The answer to one scan, as sent and as stored on the attempt row. Refusals are answers here,
 * not thrown errors, because they are recorded and replayed byte for byte for a retried nonce;
 * they are still problem documents (type, title, status, detail) with result and reason added.
 */
export interface CheckInAnswer {
  status: number;
  result: CheckInResult;
  reason: NotAdmittedReason | null;
  registrationId: string | null;
  body: Record<string, unknown>;
}

export function checkedIn(registrationId: string, person: DeskPerson, at: Date): CheckInAnswer {
  return {
    status: 201,
    result: 'checked_in',
    reason: null,
    registrationId,
    body: { result: 'checked_in', registration: person, at: at.toISOString() },
  };
}

export function alreadyCheckedIn(
  registrationId: string,
  person: DeskPerson,
  firstAt: Date,
): CheckInAnswer {
  return {
    status: 200,
    result: 'already_checked_in',
    reason: null,
    registrationId,
    body: { result: 'already_checked_in', firstAt: firstAt.toISOString(), registration: person },
  };
}

/** `person` is left out for another event's code: this desk has no business knowing who. */
export function notAdmitted(
  reason: NotAdmittedReason,
  registrationId: string,
  person?: DeskPerson,
): CheckInAnswer {
  return {
    status: 409,
    result: 'not_admitted',
    reason,
    registrationId,
    body: problem(409, 'NOT_ADMITTED', DETAILS[reason], {
      result: 'not_admitted',
      reason,
      ...(person ? { registration: person } : {}),
    }),
  };
}

export function unknownCode(): CheckInAnswer {
  return {
    status: 404,
    result: 'not_found',
    reason: null,
    registrationId: null,
    body: problem(
      404,
      'CODE_NOT_FOUND',
      'No registration of this event has this code or reference.',
      {
        result: 'not_found',
      },
    ),
  };
}
