import { ValidateBy, ValidationOptions } from 'class-validator';

const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,3})?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)$/;

/** The pattern, and a real calendar date (no 30 February), in years 1 to 9999. */
export function isDateTimeWithOffset(value: unknown): value is string {
  const match = typeof value === 'string' ? ISO_WITH_OFFSET.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * An ISO 8601 date-time with an explicit offset (2026-06-07T09:00:00+05:00 or ...Z).
 * A bare local time is refused: it would be read in the server's zone, not the event's.
 * Milliseconds at most, as JavaScript keeps them, so stored times survive a round trip.
 */
export function IsDateTimeWithOffset(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isDateTimeWithOffset', validator: { validate: isDateTimeWithOffset } },
    {
      message: 'must be an ISO 8601 date-time with an offset, e.g. 2026-06-07T09:00:00+05:00',
      ...options,
    },
  );
}
