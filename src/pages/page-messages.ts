import type { RegistrationStatus, StakeholderType } from '../participants/registration.entity';

/** The registration form's fields, named as CreateRegistrationDto's paths. */
export type RegistrationField =
  | 'email'
  | 'givenName'
  | 'familyName'
  | 'position'
  | 'organisation'
  | 'country'
  | 'stakeholderType'
  | 'attendanceMode'
  | 'language'
  | 'sessionIds'
  | 'consent.dataProcessing'
  | 'consent.listOfParticipants'
  | 'consent.photography';

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
  register: {
    heading: string;
    intro: string;
    email: string;
    emailHint: string;
    givenName: string;
    familyName: string;
    position: string;
    optional: string;
    organisation: string;
    country: string;
    choose: string;
    stakeholderType: string;
    stakeholderTypes: Record<StakeholderType, string>;
    mode: string;
    modeSeats: (p: { remaining: number }) => string;
    modeWaitlist: string;
    modeFull: string;
    sessions: string;
    sessionsHint: string;
    language: string;
    languageHint: string;
    consent: string;
    consentData: string;
    consentList: string;
    consentPhoto: string;
    submit: string;
    closed: string;
    notYetOpen: string;
    /** One message per field, shown beside it (the rules are the API's). */
    fieldErrors: Record<RegistrationField, string>;
    modeFullError: string;
    sessionFullError: string;
    duplicate: string;
  };
  confirmation: {
    title: string;
    reference: string;
    status: string;
    mode: string;
    next: Record<RegistrationStatus, string>;
    emailSent: (p: { email: string }) => string;
  };
  statuses: Record<RegistrationStatus, string>;
  manage: {
    title: string;
    qrHeading: string;
    qrLabel: (p: { reference: string }) => string;
    qrText: string;
    joinHeading: string;
    joinText: string;
    yourSessions: string;
    switchHeading: string;
    switchTo: (p: { mode: string }) => string;
    switchText: string;
    cancelHeading: string;
    cancelButton: string;
    cancelQuestion: string;
    cancelConfirm: string;
    keep: string;
    switched: string;
    cancelled: string;
    modeFull: string;
    notActive: string;
  };
  delegation: {
    title: (p: { name: string }) => string;
    members: string;
    name: string;
    mode: string;
    status: string;
    reference: string;
    actions: string;
    head: string;
    cancelMember: (p: { name: string }) => string;
    cancelQuestion: (p: { name: string }) => string;
    addHeading: string;
    addButton: string;
    consentForMember: string;
    added: string;
    memberCancelled: string;
    full: string;
    alreadyRegistered: string;
    count: (p: { count: number; max: number }) => string;
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
