import type { Language } from '../common/validation/decorators';

export const EMAIL_KINDS = [
  'registration_confirmed',
  'registration_pending',
  'registration_waitlisted',
  'waitlist_promoted',
  'registration_declined',
  'registration_cancelled',
  'attendance_mode_changed',
  'delegation_summary',
  'event_reminder',
  'event_updated',
  'event_cancelled',
] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

export const EMAIL_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/**
 * What a feature asks the notifications module to send. The email is written to the outbox in
 * the caller's transaction and rendered and sent by the worker after commit, from the current
 * state of the registration (or delegation) plus `facts`, which freeze what the change was.
 */
export interface EmailRequest {
  kind: EmailKind;
  eventId: string;
  registrationId?: string | null;
  delegationId?: string | null;
  to: string;
  language: Language;
  /**
   * Makes the email unique: one change never yields two emails. Build it from the change, e.g.
   * `registration_confirmed:<registrationId>`; a second enqueue with the same key is ignored.
   */
  dedupeKey: string;
  /** What the change was, as the email must tell it (e.g. the previous attendance mode). */
  facts?: Record<string, unknown>;
}
