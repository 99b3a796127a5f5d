import type { AttendanceMode } from '../../events/event.entity';
import type { EmailKind } from '../email-request';

/**
 * The shape of a message catalog: one per language, in ./locales. The compiler checks that every
 * language has every message with the same parameters.
 *
 * Every string here is plain text. The layout escapes it for HTML, so a catalog never holds markup
 * and a name typed by a registrant can never become markup either.
 */

export type RegistrationStatus = 'pending' | 'confirmed' | 'waitlisted' | 'declined' | 'cancelled';

/** Why the head of a delegation gets a new summary (`facts.reason`). */
export type DelegationSummaryReason = 'created' | 'member_added' | 'member_cancelled' | 'other';

/** What an event update changed (`facts.changes`), as the email tells it. */
export type EventChange = 'time' | 'venue' | 'online';

interface AboutRegistration {
  /** The event's title. */
  event: string;
  /** The registration's reference, e.g. K7M2QX9D. */
  reference: string;
}

interface WithMode extends AboutRegistration {
  mode: AttendanceMode;
}

/** The parameters each kind's messages receive. */
export interface KindParams {
  registration_confirmed: WithMode;
  registration_pending: AboutRegistration;
  registration_waitlisted: WithMode & { canSwitchMode: boolean };
  waitlist_promoted: WithMode;
  registration_declined: AboutRegistration;
  registration_cancelled: AboutRegistration;
  attendance_mode_changed: AboutRegistration & {
    from: AttendanceMode;
    to: AttendanceMode;
    status: RegistrationStatus;
  };
  delegation_summary: { event: string; delegation: string; reason: DelegationSummaryReason };
  event_reminder: WithMode & { date: string; status: RegistrationStatus };
  event_updated: AboutRegistration & { changes: EventChange[] };
  event_cancelled: AboutRegistration & { date: string };
}

export interface KindMessages<P> {
  /** One line; the renderer strips line breaks and control characters from the result anyway. */
  subject: (p: P) => string;
  /** The large heading at the top of the email. */
  heading: (p: P) => string;
  /** The paragraphs after the greeting. */
  body: (p: P) => string[];
}

export interface Messages {
  /** BCP 47 locale of dates and times, e.g. 'en-GB'. */
  locale: string;
  greeting: (p: { name: string }) => string;
  /** Lines of the closing, e.g. "Kind regards," and who it is from. */
  signOff: (p: { event: string }) => string[];
  footer: (p: { event: string }) => string;
  /** How the event's time zone is named after a date and time, e.g. "time zone Asia/Almaty, GMT+6". */
  zone: (p: { zone: string; offset: string }) => string;
  labels: {
    reference: string;
    event: string;
    when: string;
    mode: string;
    venue: string;
    status: string;
    delegation: string;
    sessions: string;
    joinLink: string;
    manageLink: string;
    manageDelegation: string;
    members: string;
    memberName: string;
  };
  modes: Record<AttendanceMode, string>;
  statuses: Record<RegistrationStatus, string>;
  notes: {
    /** Under the QR code image. */
    qrCaption: string;
    /** The QR image's alternative text, for screen readers and blocked images. */
    qrAlt: (p: { reference: string }) => string;
    /** Under the personal join link. */
    joinNote: string;
    /** Under the manage link. */
    manageNote: string;
    /** Under the manage link once the registration is declined or cancelled. */
    manageClosedNote: string;
    /** Under the delegation's manage link. */
    manageDelegationNote: string;
    /** When the email carries a calendar entry. */
    calendar: string;
    /** When the email carries a calendar cancellation. */
    calendarCancel: string;
    /** When the email is sent again (a copy). */
    resent: string;
    /** When some chosen sessions were full at confirmation and were dropped. */
    droppedSessions: string;
  };
  kinds: { [K in EmailKind]: KindMessages<KindParams[K]> };
}
