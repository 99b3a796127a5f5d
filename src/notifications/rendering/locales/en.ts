import type { AttendanceMode } from '../../../events/event.entity';
import type { EventChange, Messages, RegistrationStatus } from '../messages';

/** English (British spelling). Plain text only: the layout escapes everything. */

const modes: Record<AttendanceMode, string> = {
  in_person: 'in person',
  online: 'online',
};

const statuses: Record<RegistrationStatus, string> = {
  pending: 'awaiting approval',
  confirmed: 'confirmed',
  waitlisted: 'on the waiting list',
  declined: 'not approved',
  cancelled: 'cancelled',
};

const bringQr =
  'Please bring the QR code below, on your phone or printed, and show it at the registration desk when you arrive.';
const joinBelow = 'Join through your personal link below.';

const accessFor = (mode: AttendanceMode): string => (mode === 'in_person' ? bringQr : joinBelow);

const seatConfirmed = (mode: AttendanceMode): string =>
  mode === 'in_person' ? 'Your seat in the room is confirmed.' : 'Your place online is confirmed.';

const allTaken = (mode: AttendanceMode): string =>
  mode === 'in_person'
    ? 'All places in the room are taken at the moment'
    : 'All online places are taken at the moment';

const changeLines: Record<EventChange, string> = {
  time: 'The date or time has changed: the new time is shown below.',
  venue: 'The venue has changed: the new address is shown below.',
  online:
    'The online meeting has changed. Your personal join link stays the same and takes you to the new meeting.',
};

export const en: Messages = {
  locale: 'en-GB',
  greeting: ({ name }) => `Dear ${name},`,
  signOff: ({ event }) => ['Kind regards,', `The organisers of ${event}`],
  footer: ({ event }) =>
    `You receive this email because this address was given when registering for ${event}.`,
  zone: ({ zone, offset }) => `time zone ${zone}, ${offset}`,
  labels: {
    reference: 'Reference',
    event: 'Event',
    when: 'Date and time',
    mode: 'Participation',
    venue: 'Venue',
    status: 'Status',
    delegation: 'Delegation',
    sessions: 'Your sessions',
    joinLink: 'Your personal join link',
    manageLink: 'Manage your registration',
    manageDelegation: 'Manage your delegation',
    members: 'Members of the delegation',
    memberName: 'Name',
  },
  modes,
  statuses,
  notes: {
    qrCaption:
      'Show this QR code at the registration desk when you arrive. You can also give your reference instead.',
    qrAlt: ({ reference }) => `QR code for check-in, reference ${reference}`,
    joinNote:
      'This link is yours alone: please do not forward it. Open it at the start time to join the event online.',
    manageNote:
      'Through this private link you can see your registration, switch between taking part in person and online, or cancel. Please do not forward it.',
    manageClosedNote: 'Through this private link you can see your registration.',
    manageDelegationNote:
      "Through this private link you can see every member of the delegation, add a member or cancel a member's registration. Please do not forward it.",
    calendar: 'A calendar file (.ics) is attached: open it to add the event to your calendar.',
    calendarCancel: 'The attached calendar file (.ics) removes the event from your calendar.',
    resent: 'This is a copy of an email sent to you earlier, sent again on request.',
    droppedSessions:
      'Some sessions you chose were already full when your place was confirmed, so they are not included. The sessions listed below are yours.',
  },
  kinds: {
    registration_confirmed: {
      subject: ({ event, reference }) => `Registration confirmed: ${event} (${reference})`,
      heading: () => 'Your registration is confirmed',
      body: ({ event, mode }) => [
        `Thank you for registering for ${event}. ${seatConfirmed(mode)}`,
        accessFor(mode),
      ],
    },
    registration_pending: {
      subject: ({ event, reference }) => `Registration received: ${event} (${reference})`,
      heading: () => 'Your registration awaits approval',
      body: ({ event }) => [
        `Thank you for registering for ${event}. The organisers review every registration for this event before confirming it.`,
        'We will write to you as soon as they have decided. Until then, no place is held for you.',
      ],
    },
    registration_waitlisted: {
      subject: ({ event, reference }) => `You are on the waiting list: ${event} (${reference})`,
      heading: () => 'You are on the waiting list',
      body: ({ event, mode, canSwitchMode }) => [
        `Thank you for registering for ${event}. ${allTaken(mode)}, so we have put you on the waiting list.`,
        'If a place becomes free, it goes automatically to the next person in the queue; when your turn comes, we will email you your confirmation at once.' +
          (canSwitchMode
            ? ' You can also switch to the other way of taking part, if it has room, through the link below.'
            : ''),
      ],
    },
    waitlist_promoted: {
      subject: ({ event, reference }) => `A place is now yours: ${event} (${reference})`,
      heading: () => 'Good news: your place is confirmed',
      body: ({ event, mode }) => [
        `A place has become free at ${event}: your turn on the waiting list has come, and your registration is confirmed.`,
        accessFor(mode),
      ],
    },
    registration_declined: {
      subject: ({ event, reference }) => `Registration not approved: ${event} (${reference})`,
      heading: () => 'Your registration was not approved',
      body: ({ event }) => [
        `We are sorry: the organisers of ${event} could not approve your registration.`,
        'If you think this is a mistake, please contact the organisers.',
      ],
    },
    registration_cancelled: {
      subject: ({ event, reference }) => `Registration cancelled: ${event} (${reference})`,
      heading: () => 'Your registration is cancelled',
      body: ({ event }) => [
        `Your registration for ${event} is cancelled. Your QR code and join link are no longer valid.`,
        'If you did not ask for this, please contact the organisers.',
      ],
    },
    attendance_mode_changed: {
      subject: ({ event, reference, to }) =>
        `Participation changed to ${modes[to]}: ${event} (${reference})`,
      heading: ({ to }) =>
        to === 'online' ? 'You now take part online' : 'You now take part in person',
      body: ({ event, from, to, status }) => {
        const lines = [
          `Your participation in ${event} has changed from ${modes[from]} to ${modes[to]}.`,
        ];
        switch (status) {
          case 'confirmed':
            lines.push(`${seatConfirmed(to)} ${accessFor(to)}`);
            break;
          case 'waitlisted':
            lines.push(
              `${allTaken(to)}, so you are on the waiting list to take part ${modes[to]}. We will email you as soon as a place is yours.`,
            );
            break;
          case 'pending':
            lines.push('Your registration still awaits the approval of the organisers.');
            break;
          default:
            lines.push(`The status of your registration: ${statuses[status]}.`);
        }
        return lines;
      },
    },
    delegation_summary: {
      subject: ({ event, delegation }) => `Delegation ${delegation}: registrations for ${event}`,
      heading: () => "Your delegation's registrations",
      body: ({ event, delegation, reason }) => {
        switch (reason) {
          case 'created':
            return [
              `Thank you for registering the delegation ${delegation} for ${event}. The table below shows each member's participation, status and reference.`,
              'Each member also receives their own email: a confirmation with a QR code or a personal join link, or a note on the status of their registration.',
            ];
          case 'member_added':
            return [
              `A member has been added to the delegation ${delegation} for ${event}. The table below shows the delegation as it is now.`,
            ];
          case 'member_cancelled':
            return [
              `The registration of a member of the delegation ${delegation} for ${event} has been cancelled. The table below shows the delegation as it is now.`,
            ];
          case 'other':
            return [`Below is the delegation ${delegation} for ${event} as it is now.`];
        }
      },
    },
    event_reminder: {
      subject: ({ event, date }) => `Reminder: ${event}, ${date}`,
      heading: () => 'A reminder of your event',
      body: ({ event, mode, status }) => [
        `This is a reminder that ${event} begins soon. The details are below.`,
        status === 'confirmed'
          ? mode === 'in_person'
            ? bringQr
            : 'When the event begins, join through your personal link below.'
          : `The status of your registration: ${statuses[status]}.`,
      ],
    },
    event_updated: {
      subject: ({ event, reference }) => `Changes to ${event} (${reference})`,
      heading: () => 'The event has changed',
      body: ({ event, changes }) => [
        `The organisers have changed the details of ${event}.`,
        ...(changes.length > 0
          ? changes.map((change) => changeLines[change])
          : ['Please check the current details below.']),
      ],
    },
    event_cancelled: {
      subject: ({ event }) => `Event cancelled: ${event}`,
      heading: () => 'The event is cancelled',
      body: ({ event, date }) => [
        `We are sorry to tell you that the organisers have cancelled ${event}, which was planned for ${date}.`,
        'Your registration is cancelled with it; you do not need to do anything.',
      ],
    },
  },
};
