import type { EmailKind } from '../email-request';
import { buildCalendar } from './calendar';
import { formatDate, formatSessionTime, formatWhen } from './dates';
import type { EmailContext, RenderedAttachment, RenderedEmail } from './email-context';
import { type EmailDocument, renderHtml, renderText } from './layout';
import { CATALOGS } from './locales';
import type { KindMessages, Messages, RegistrationStatus } from './messages';
import { qrCodePng } from './qr-code';
import { fileSafe, fullName, oneLine } from './text';
import { eventChanges, isMode, isStatus, summaryReason } from './email-facts';

/**
 * Turns an EmailContext into the subject, both parts, the QR code and the calendar entry of one
 * email. Pure: no database, no network; the words come from ./locales, the markup from ./layout.
 */

export interface RenderOptions {
  /** The calendar entry's DTSTAMP; now by default (fixed by the samples and tests). */
  now?: Date;
}

type Registration = NonNullable<EmailContext['registration']>;
type Delegation = NonNullable<EmailContext['delegation']>;

/** The Content-ID of the inline QR code image. */
export const QR_CID = 'checkin-qr@convene';

/** The calendar entry's UID: one per registration, so each update replaces the same entry. */
export function calendarUid(registrationId: string): string {
  return `${registrationId}@convene`;
}

/** The personal links, all built from the public base URL. */
export function links(publicUrl: string) {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    manage: (token: string) => `${base}/r/${encodeURIComponent(token)}`,
    join: (token: string) => `${base}/j/${encodeURIComponent(token)}`,
    delegation: (token: string) => `${base}/d/${encodeURIComponent(token)}`,
  };
}

interface KindText {
  subject: string;
  heading: string;
  body: string[];
}

function apply<P>(messages: KindMessages<P>, params: P): KindText {
  return {
    subject: messages.subject(params),
    heading: messages.heading(params),
    body: messages.body(params),
  };
}

/** Whether this email lets the person in: QR code or join link, and a calendar entry. */
function grantsAccess(kind: EmailKind, status: RegistrationStatus): boolean {
  switch (kind) {
    case 'registration_confirmed':
    case 'waitlist_promoted':
      return true;
    case 'attendance_mode_changed':
    case 'event_reminder':
    case 'event_updated':
      return status === 'confirmed';
    default:
      return false;
  }
}

/** The status the email reports: the one its kind announces, or the registration's own. */
function reportedStatus(context: EmailContext, registration: Registration): RegistrationStatus {
  switch (context.kind) {
    case 'registration_confirmed':
    case 'waitlist_promoted':
      return 'confirmed';
    case 'registration_pending':
      return 'pending';
    case 'registration_waitlisted':
      return 'waitlisted';
    case 'registration_declined':
      return 'declined';
    case 'registration_cancelled':
    case 'event_cancelled':
      return 'cancelled';
    case 'attendance_mode_changed':
      return isStatus(context.facts.status) ? context.facts.status : registration.status;
    default:
      return registration.status;
  }
}

function venueOf(context: EmailContext): string | null {
  const parts = [context.event.venueName, context.event.venueAddress]
    .map((part) => (part ? oneLine(part) : ''))
    .filter((part) => part.length > 0);
  return parts.length > 0 ? parts.join(', ') : null;
}

function registrationText(
  context: EmailContext,
  messages: Messages,
  registration: Registration,
  status: RegistrationStatus,
): KindText {
  const event = oneLine(context.event.title);
  const reference = oneLine(registration.reference);
  const mode = registration.attendanceMode;
  const kinds = messages.kinds;
  const date = formatDate(messages, context.event.timezone, context.event.startsAt);
  switch (context.kind) {
    case 'registration_confirmed':
      return apply(kinds.registration_confirmed, { event, reference, mode });
    case 'registration_pending':
      return apply(kinds.registration_pending, { event, reference });
    case 'registration_waitlisted':
      return apply(kinds.registration_waitlisted, {
        event,
        reference,
        mode,
        canSwitchMode: context.event.format === 'hybrid',
      });
    case 'waitlist_promoted':
      return apply(kinds.waitlist_promoted, { event, reference, mode });
    case 'registration_declined':
      return apply(kinds.registration_declined, { event, reference });
    case 'registration_cancelled':
      return apply(kinds.registration_cancelled, { event, reference });
    case 'attendance_mode_changed': {
      const to = isMode(context.facts.to) ? context.facts.to : mode;
      const from = isMode(context.facts.from)
        ? context.facts.from
        : to === 'online'
          ? 'in_person'
          : 'online';
      return apply(kinds.attendance_mode_changed, { event, reference, from, to, status });
    }
    case 'event_reminder':
      return apply(kinds.event_reminder, { event, reference, mode, date, status });
    case 'event_updated':
      return apply(kinds.event_updated, {
        event,
        reference,
        changes: eventChanges(context.facts),
      });
    case 'event_cancelled':
      return apply(kinds.event_cancelled, { event, reference, date });
    case 'delegation_summary':
      throw new Error('A delegation summary is not about one registration.');
  }
}

interface Rendering {
  document: EmailDocument;
  attachments: RenderedAttachment[];
  calendar?: RenderedEmail['calendar'];
}

async function renderRegistrationEmail(
  context: EmailContext,
  messages: Messages,
  registration: Registration,
  now: Date,
): Promise<Rendering> {
  const { event } = context;
  const link = links(context.publicUrl);
  const title = oneLine(event.title);
  const reference = oneLine(registration.reference);
  const mode = registration.attendanceMode;
  const status = reportedStatus(context, registration);
  const text = registrationText(context, messages, registration, status);
  const access = grantsAccess(context.kind, status);
  const cancels = context.kind === 'registration_cancelled' || context.kind === 'event_cancelled';
  const venue = mode === 'in_person' ? venueOf(context) : null;
  const joinUrl = link.join(registration.joinToken);

  const notes: string[] = [];
  if (context.facts.resent === true) notes.push(messages.notes.resent);
  const dropped = context.facts.droppedSessionIds;
  if (access && Array.isArray(dropped) && dropped.length > 0) {
    notes.push(messages.notes.droppedSessions);
  }

  const labels = messages.labels;
  const details = [
    { label: labels.reference, value: reference },
    { label: labels.event, value: title },
    {
      label: labels.when,
      value: formatWhen(messages, event.timezone, event.startsAt, event.endsAt),
    },
    { label: labels.mode, value: messages.modes[mode] },
    ...(venue ? [{ label: labels.venue, value: venue }] : []),
    { label: labels.status, value: messages.statuses[status] },
  ];

  const attachments: RenderedAttachment[] = [];
  let qr: EmailDocument['qr'];
  if (access && mode === 'in_person') {
    const png = await qrCodePng(registration.checkinCode);
    const filename = `checkin-${fileSafe(reference)}.png`;
    // Once inline (shown in the HTML through its Content-ID), once as a file to keep or print.
    attachments.push({ filename, content: png, contentType: 'image/png', cid: QR_CID });
    attachments.push({ filename, content: png, contentType: 'image/png' });
    qr = {
      cid: QR_CID,
      alt: messages.notes.qrAlt({ reference }),
      caption: messages.notes.qrCaption,
      filename,
    };
  }

  const showSessions =
    registration.sessions.length > 0 &&
    status !== 'declined' &&
    status !== 'cancelled' &&
    context.kind !== 'event_cancelled';

  let calendar: RenderedEmail['calendar'];
  const closing: string[] = [];
  if (access || cancels) {
    const online = mode === 'online';
    const description = [
      `${labels.reference}: ${reference}`,
      ...(access && online ? [`${labels.joinLink}: ${joinUrl}`] : []),
    ].join('\n');
    calendar = {
      filename: `${fileSafe(event.slug)}.ics`,
      method: cancels ? 'CANCEL' : 'PUBLISH',
      content: buildCalendar({
        method: cancels ? 'CANCEL' : 'PUBLISH',
        uid: calendarUid(registration.id),
        sequence: context.icsSequence,
        stamp: now,
        start: event.startsAt,
        end: event.endsAt,
        summary: title,
        location: online ? (access ? joinUrl : undefined) : (venue ?? undefined),
        description,
        url: access && online ? joinUrl : undefined,
      }),
    };
    closing.push(cancels ? messages.notes.calendarCancel : messages.notes.calendar);
  }

  return {
    attachments,
    calendar,
    document: {
      language: context.language,
      title: text.subject,
      preheader: text.body[0] ?? text.heading,
      eyebrow: title,
      heading: text.heading,
      greeting: messages.greeting({
        name: fullName(registration.givenName, registration.familyName),
      }),
      paragraphs: text.body,
      notes,
      details,
      qr,
      join:
        access && mode === 'online'
          ? { label: labels.joinLink, url: joinUrl, note: messages.notes.joinNote }
          : undefined,
      sessions: showSessions
        ? {
            heading: labels.sessions,
            items: registration.sessions.map((s) => ({
              title: oneLine(s.title),
              when: formatSessionTime(messages, event.timezone, event, s.startsAt, s.endsAt),
              // The room matters to those in it, not to those following online.
              room: s.room && mode === 'in_person' ? oneLine(s.room) : null,
            })),
          }
        : undefined,
      manage: {
        label: labels.manageLink,
        url: link.manage(registration.manageToken),
        note:
          status === 'declined' || status === 'cancelled'
            ? messages.notes.manageClosedNote
            : messages.notes.manageNote,
      },
      closing,
      signOff: messages.signOff({ event: title }),
      footer: messages.footer({ event: title }),
    },
  };
}

function renderDelegationSummary(
  context: EmailContext,
  messages: Messages,
  delegation: Delegation,
): Rendering {
  const { event } = context;
  const title = oneLine(event.title);
  const name = oneLine(delegation.name);
  const labels = messages.labels;
  const text = apply(messages.kinds.delegation_summary, {
    event: title,
    delegation: name,
    reason: summaryReason(context.facts),
  });
  const venue = event.format === 'online' ? null : venueOf(context);
  const notes = context.facts.resent === true ? [messages.notes.resent] : [];
  return {
    attachments: [],
    document: {
      language: context.language,
      title: text.subject,
      preheader: text.body[0] ?? text.heading,
      eyebrow: title,
      heading: text.heading,
      greeting: messages.greeting({
        name: fullName(delegation.headGivenName, delegation.headFamilyName),
      }),
      paragraphs: text.body,
      notes,
      details: [
        { label: labels.delegation, value: name },
        { label: labels.event, value: title },
        {
          label: labels.when,
          value: formatWhen(messages, event.timezone, event.startsAt, event.endsAt),
        },
        ...(venue ? [{ label: labels.venue, value: venue }] : []),
      ],
      members: {
        heading: labels.members,
        columns: [labels.memberName, labels.mode, labels.status, labels.reference],
        rows: delegation.members.map((m) => [
          fullName(m.givenName, m.familyName),
          messages.modes[m.attendanceMode],
          messages.statuses[m.status],
          oneLine(m.reference),
        ]),
      },
      manage: {
        label: labels.manageDelegation,
        url: links(context.publicUrl).delegation(delegation.manageToken),
        note: messages.notes.manageDelegationNote,
      },
      closing: [],
      signOff: messages.signOff({ event: title }),
      footer: messages.footer({ event: title }),
    },
  };
}

export async function renderEmail(
  context: EmailContext,
  options: RenderOptions = {},
): Promise<RenderedEmail> {
  const messages = CATALOGS[context.language];
  if (!messages) throw new Error(`No message catalog for language "${String(context.language)}".`);
  let rendering: Rendering;
  if (context.kind === 'delegation_summary') {
    if (!context.delegation) throw new Error('A delegation_summary needs context.delegation.');
    rendering = renderDelegationSummary(context, messages, context.delegation);
  } else {
    if (!context.registration) throw new Error(`A ${context.kind} needs context.registration.`);
    rendering = await renderRegistrationEmail(
      context,
      messages,
      context.registration,
      options.now ?? new Date(),
    );
  }
  const subject = oneLine(rendering.document.title);
  const document = { ...rendering.document, title: subject };
  return {
    subject,
    text: renderText(document),
    html: renderHtml(document),
    attachments: rendering.attachments,
    ...(rendering.calendar ? { calendar: rendering.calendar } : {}),
  };
}
