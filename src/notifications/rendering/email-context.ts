import type { Language } from '../../common/validation/decorators';
import type { AttendanceMode, EventFormat, EventStatus } from '../../events/event.entity';
import type { EmailKind } from '../email-request';

/**
 * Everything needed to render one email, loaded by the worker at send time from the outbox row
 * and the current database state. `facts` freeze what the change was (e.g. the previous mode).
 */
export interface EmailContext {
  emailId: string;
  kind: EmailKind;
  language: Language;
  to: string;
  facts: Record<string, unknown>;
  /** Base of every link, without a trailing slash, e.g. https://events.example.org */
  publicUrl: string;
  event: {
    slug: string;
    title: string;
    timezone: string;
    startsAt: Date;
    endsAt: Date;
    format: EventFormat;
    status: EventStatus;
    venueName: string | null;
    venueAddress: string | null;
  };
  /** Set for every kind about one registration (all but delegation_summary). */
  registration?: {
    id: string;
    reference: string;
    status: 'pending' | 'confirmed' | 'waitlisted' | 'declined' | 'cancelled';
    attendanceMode: AttendanceMode;
    givenName: string;
    familyName: string;
    manageToken: string;
    joinToken: string;
    checkinCode: string;
    sessions: { title: string; startsAt: Date; endsAt: Date; room: string | null }[];
  };
  /** Set for delegation_summary. */
  delegation?: {
    id: string;
    name: string;
    headGivenName: string;
    headFamilyName: string;
    manageToken: string;
    members: {
      givenName: string;
      familyName: string;
      attendanceMode: AttendanceMode;
      status: 'pending' | 'confirmed' | 'waitlisted' | 'declined' | 'cancelled';
      reference: string;
    }[];
  };
  /** RFC 5545 SEQUENCE of the calendar entry: grows with each update of the same registration. */
  icsSequence: number;
}

export interface RenderedAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
  /** Set for an inline image referenced from the HTML as cid:… */
  cid?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  attachments: RenderedAttachment[];
  /** The calendar entry (nodemailer's icalEvent adds it as an alternative and an attachment). */
  calendar?: { filename: string; method: 'PUBLISH' | 'REQUEST' | 'CANCEL'; content: string };
}
