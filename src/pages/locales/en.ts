import type { PageMessages } from '../page-messages';

/** English (British spelling). Plain text only: the templates escape everything. */
export const en: PageMessages = {
  locale: 'en-GB',
  common: {
    siteName: 'Convene',
    skipToContent: 'Skip to main content',
    languageNav: 'Language',
    zone: ({ name, offset }) => `${name}, ${offset}`,
    footer: 'Registration and attendance by Convene.',
  },
  event: {
    when: 'Date and time',
    venue: 'Venue',
    online: 'Online',
    onlineText: 'Registered online participants get a personal link to join by email.',
    agenda: 'Programme',
    room: ({ room }) => `Room: ${room}`,
    speakers: 'Speakers',
    seatsLeft: 'Places left',
    seatsOf: ({ mode, remaining }) =>
      `${mode}: ${remaining === 1 ? '1 place left' : `${remaining} places left`}`,
    full: ({ mode }) => `${mode}: full`,
    cancelled: 'This event has been cancelled.',
    modes: { in_person: 'In person', online: 'Online' },
  },
  errors: {
    notFoundTitle: 'Page not found',
    notFoundText:
      'There is nothing at this address. If you followed a link from an email, please check that it was copied whole.',
    forbiddenTitle: 'Please try again',
    csrfText:
      'This form has expired or did not come from this site. Please go back, reload the page and send it again.',
    conflictTitle: 'This cannot be done now',
    serverErrorTitle: 'Something went wrong',
    serverErrorText: 'Something went wrong on our side. Please try again in a moment.',
    tooManyRequestsTitle: 'Too many requests',
    tooManyRequestsText: 'Too many requests came from your address. Please wait a minute.',
    backHome: 'Go back',
    summaryTitle: 'Please correct the following',
  },
};
