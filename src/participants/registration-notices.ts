import { randomUUID } from 'node:crypto';
import type { EmailKind, EmailRequest } from '../notifications/email-request';
import type { Registration, RegistrationStatus } from './registration.entity';

/** The email that tells a person the status their registration now has. */
export const NOTICE_FOR_STATUS: Record<RegistrationStatus, EmailKind> = {
  pending: 'registration_pending',
  confirmed: 'registration_confirmed',
  waitlisted: 'registration_waitlisted',
  declined: 'registration_declined',
  cancelled: 'registration_cancelled',
};

/**
 * An email about one change of one registration. The dedupe key names the change, so the
 * same change can never queue two emails; `change` defaults to a fresh id for changes that may
 * legitimately repeat (a second mode switch, a re-sent confirmation).
 */
export function noticeFor(
  registration: Registration,
  kind: EmailKind,
  facts: Record<string, unknown> = {},
  change: string = randomUUID(),
): EmailRequest {
  return {
    kind,
    eventId: registration.eventId,
    registrationId: registration.id,
    delegationId: registration.delegationId,
    to: registration.email,
    language: registration.language,
    dedupeKey: `${kind}:${registration.id}:${change}`,
    facts,
  };
}
