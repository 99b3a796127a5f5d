/**
 * Check-ins and online joins are kept per registration and per "session key": the session's id,
 * or this fixed value for the event as a whole. A key that is never null lets a plain UNIQUE
 * index on (registration_id, session_key) say "at most one", which ON CONFLICT can then use.
 */
export const WHOLE_EVENT = 'event';

export const sessionKeyOf = (sessionId: string | null | undefined): string =>
  sessionId ?? WHOLE_EVENT;
