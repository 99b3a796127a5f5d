import type { FieldError } from '../common/errors/domain-error';
import type { EventFormat } from './event.entity';

const FORMAT_NAMES: Record<EventFormat, string> = {
  in_person: 'an in-person',
  online: 'an online',
  hybrid: 'a hybrid',
};

/** The fields of an event whose combination the format and the calendar constrain. */
export interface EventShape {
  format: EventFormat;
  startsAt: Date;
  endsAt: Date;
  venueName: string | null;
  onlineJoinUrl: string | null;
  capacityInPerson: number | null;
  capacityOnline: number | null;
  registrationOpensAt: Date | null;
  registrationClosesAt: Date | null;
}

/**
 * The format decides which attendance modes exist and so which fields an event may have:
 * an in-person event has no online capacity or meeting URL, an online one has no venue.
 * Returns every problem at once so the organiser can fix them in one go.
 */
export function checkEventShape(event: EventShape): FieldError[] {
  const errors: FieldError[] = [];
  const hasInPerson = event.format !== 'online';
  const hasOnline = event.format !== 'in_person';

  if (event.endsAt <= event.startsAt) {
    errors.push({ field: 'endsAt', message: 'must be after startsAt' });
  }
  if (hasInPerson && event.venueName === null) {
    errors.push({ field: 'venue', message: `is required for ${FORMAT_NAMES[event.format]} event` });
  }
  if (hasInPerson && event.capacityInPerson === null) {
    errors.push({
      field: 'capacity.inPerson',
      message: `is required for ${FORMAT_NAMES[event.format]} event`,
    });
  }
  if (!hasInPerson && event.venueName !== null) {
    errors.push({ field: 'venue', message: 'must be absent for an online event' });
  }
  if (!hasInPerson && event.capacityInPerson !== null) {
    errors.push({ field: 'capacity.inPerson', message: 'must be absent for an online event' });
  }
  if (hasOnline && event.capacityOnline === null) {
    errors.push({
      field: 'capacity.online',
      message: `is required for ${FORMAT_NAMES[event.format]} event`,
    });
  }
  if (!hasOnline && event.capacityOnline !== null) {
    errors.push({ field: 'capacity.online', message: 'must be absent for an in-person event' });
  }
  if (!hasOnline && event.onlineJoinUrl !== null) {
    errors.push({ field: 'onlineJoinUrl', message: 'must be absent for an in-person event' });
  }
  if (
    event.registrationOpensAt &&
    event.registrationClosesAt &&
    event.registrationClosesAt <= event.registrationOpensAt
  ) {
    errors.push({ field: 'registration.closesAt', message: 'must be after registration.opensAt' });
  }
  return errors;
}

/** What must be true before people may register: the online mode needs a meeting to join. */
export function checkReadyToPublish(event: EventShape): FieldError[] {
  if (event.format !== 'in_person' && event.onlineJoinUrl === null) {
    return [
      {
        field: 'onlineJoinUrl',
        message: `is required to publish ${FORMAT_NAMES[event.format]} event`,
      },
    ];
  }
  return [];
}

/** Whether a session's time lies within its event's. */
export function isWithin(
  inner: { startsAt: Date; endsAt: Date },
  outer: { startsAt: Date; endsAt: Date },
): boolean {
  return inner.startsAt >= outer.startsAt && inner.endsAt <= outer.endsAt;
}

export interface SessionShape {
  startsAt: Date;
  endsAt: Date;
  capacityInPerson: number | null;
  onlineJoinUrl: string | null;
}

/** Where a session may sit in its event, and which mode-specific fields it may have. */
export function checkSessionShape(
  session: SessionShape,
  event: { format: EventFormat; startsAt: Date; endsAt: Date },
): FieldError[] {
  const errors: FieldError[] = [];
  if (session.endsAt <= session.startsAt) {
    errors.push({ field: 'endsAt', message: 'must be after startsAt' });
  } else if (!isWithin(session, event)) {
    errors.push({
      field: session.startsAt < event.startsAt ? 'startsAt' : 'endsAt',
      message: `must lie within the event (${event.startsAt.toISOString()} to ${event.endsAt.toISOString()})`,
    });
  }
  if (event.format === 'online' && session.capacityInPerson !== null) {
    errors.push({ field: 'capacity.inPerson', message: 'must be absent for an online event' });
  }
  if (event.format === 'in_person' && session.onlineJoinUrl !== null) {
    errors.push({ field: 'onlineJoinUrl', message: 'must be absent for an in-person event' });
  }
  return errors;
}
