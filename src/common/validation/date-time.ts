import { Matches } from 'class-validator';

const ISO_WITH_OFFSET =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * An ISO 8601 date-time with an explicit offset (2026-06-07T09:00:00+05:00 or ...Z).
 * A bare local time is refused: it would be read in the server's zone, not the event's.
 */
export function IsDateTimeWithOffset(): PropertyDecorator {
  return Matches(ISO_WITH_OFFSET, {
    message: 'must be an ISO 8601 date-time with an offset, e.g. 2026-06-07T09:00:00+05:00',
  });
}

export function parseDateTime(value: string): Date {
  return new Date(value);
}

export function isValidDate(date: Date): boolean {
  return !Number.isNaN(date.getTime());
}
