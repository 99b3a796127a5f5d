import ICAL from 'ical.js';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Language } from '../../common/validation/decorators';
import type { AttendanceMode } from '../../events/event.entity';
import type { EmailKind } from '../email-request';
import type { EmailContext, RenderedEmail } from './email-context';
import { renderEmail } from './render-email';
import { sampleContext, sampleDelegationContext } from './sample-contexts';

/**
 * For the unit specs: a realistic context per kind, rendered at a fixed time, and reading back
 * what the renderer wrote (QR codes decoded from the PNG, calendar entries parsed by a real
 * iCalendar parser). Only the specs import this file.
 */

/** What a QR code PNG holds, or null when no QR code can be read from it. */
export function decodeQr(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  return code ? code.data : null;
}

export interface ParsedCalendar {
  method: string | null;
  uid: string | null;
  sequence: number | null;
  status: string | null;
  start: Date | null;
  end: Date | null;
  summary: string | null;
  location: string | null;
  url: string | null;
  description: string | null;
}

function text(component: ICAL.Component, name: string): string | null {
  const value: unknown = component.getFirstPropertyValue(name);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function time(component: ICAL.Component, name: string): Date | null {
  const value: unknown = component.getFirstPropertyValue(name);
  return value instanceof ICAL.Time ? value.toJSDate() : null;
}

/** Parses an iCalendar text with ical.js (throws when it is not valid iCalendar). */
export function parseCalendar(content: string): ParsedCalendar {
  const calendar = ICAL.Component.fromString(content);
  const event = calendar.getFirstSubcomponent('vevent');
  if (!event) throw new Error('No VEVENT in the calendar.');
  const sequence = event.getFirstPropertyValue('sequence');
  return {
    method: text(calendar, 'method'),
    uid: text(event, 'uid'),
    sequence: typeof sequence === 'number' ? sequence : null,
    status: text(event, 'status'),
    start: time(event, 'dtstart'),
    end: time(event, 'dtend'),
    summary: text(event, 'summary'),
    location: text(event, 'location'),
    url: text(event, 'url'),
    description: text(event, 'description'),
  };
}

export const LANGUAGES: Language[] = ['en', 'ru', 'kk'];

/** The time the specs render at: before the sample event. */
const NOW = new Date('2023-05-20T10:00:00Z');
/** The event's meeting URL: it must never reach an email, only the personal /j/ link does. */
export const MEETING_URL = 'https://meet.example.org/j/123';

type Status = NonNullable<EmailContext['registration']>['status'];

const STATUS_OF_KIND: Partial<Record<EmailKind, Status>> = {
  registration_pending: 'pending',
  registration_waitlisted: 'waitlisted',
  registration_declined: 'declined',
  registration_cancelled: 'cancelled',
  event_cancelled: 'cancelled',
};

/** A realistic context for each kind, with the facts the participants module records. */
export function contextFor(
  kind: EmailKind,
  language: Language,
  mode: AttendanceMode,
): EmailContext {
  if (kind === 'delegation_summary') return sampleDelegationContext(language);
  const base = sampleContext(language, kind);
  const facts: Record<string, unknown> =
    kind === 'attendance_mode_changed'
      ? { from: mode === 'online' ? 'in_person' : 'online', to: mode, status: 'confirmed' }
      : kind === 'event_updated'
        ? // What an update might record; the meeting URL in it must not be copied into the email.
          { changes: ['startsAt', 'onlineJoinUrl'], onlineJoinUrl: MEETING_URL }
        : {};
  return {
    ...base,
    facts,
    icsSequence: 2,
    registration: {
      ...base.registration!,
      attendanceMode: mode,
      status: STATUS_OF_KIND[kind] ?? 'confirmed',
    },
  };
}

/** renderEmail at NOW. */
export function renderSample(context: EmailContext): Promise<RenderedEmail> {
  return renderEmail(context, { now: NOW });
}
