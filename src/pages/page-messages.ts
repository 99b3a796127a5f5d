/**
 * The shape of the pages' message catalogs, one per language in ./locales. The compiler checks
 * that every language has every message with the same parameters (a missing key does not
 * compile). Plain text only: the templates escape it. Sections per page, so each page (and each
 * engineer) adds its own section.
 */
export interface PageMessages {
  /** BCP 47 locale for Intl (dates, numbers, collation), e.g. en-GB. */
  locale: string;
  common: {
    siteName: string;
    skipToContent: string;
    languageNav: string;
    /** The zone as shown after a time: "Kazakhstan Time, GMT+5". */
    zone: (p: { name: string; offset: string }) => string;
    footer: string;
  };
  event: {
    when: string;
    venue: string;
    online: string;
    onlineText: string;
    agenda: string;
    room: (p: { room: string }) => string;
    speakers: string;
    seatsLeft: string;
    /** "In person: 12 places left" */
    seatsOf: (p: { mode: string; remaining: number }) => string;
    full: (p: { mode: string }) => string;
    cancelled: string;
    modes: { in_person: string; online: string };
  };
  errors: {
    notFoundTitle: string;
    notFoundText: string;
    forbiddenTitle: string;
    csrfText: string;
    conflictTitle: string;
    serverErrorTitle: string;
    serverErrorText: string;
    tooManyRequestsTitle: string;
    tooManyRequestsText: string;
    backHome: string;
    /** "There is a problem" box above a form with errors. */
    summaryTitle: string;
  };
}
