import type { FieldError } from '../common/errors/domain-error';
import { modesOf, type Event, type AttendanceMode } from '../events/event.entity';
import type { Language } from '../common/validation/decorators';
import { RegistrationConflictError } from './participants.errors';

/** Whether the event takes registrations now; throws the 409 that says why not. */
export function assertRegistrationOpen(event: Event, now: Date): void {
  if (event.status === 'cancelled') {
    throw new RegistrationConflictError('REGISTRATION_CLOSED', 'The event has been cancelled.');
  }
  if (event.status !== 'published') {
    throw new RegistrationConflictError('REGISTRATION_CLOSED', 'The event is not open yet.');
  }
  if (event.registrationOpensAt && now < event.registrationOpensAt) {
    throw new RegistrationConflictError(
      'REGISTRATION_CLOSED',
      `Registration opens at ${event.registrationOpensAt.toISOString()}.`,
      { opensAt: event.registrationOpensAt.toISOString() },
    );
  }
  if (event.registrationClosesAt && now >= event.registrationClosesAt) {
    throw new RegistrationConflictError('REGISTRATION_CLOSED', 'Registration has closed.', {
      closesAt: event.registrationClosesAt.toISOString(),
    });
  }
}

/** Choices that must fit the event: a mode it offers, a language it speaks. */
export function checkChoices(
  event: Event,
  choice: { attendanceMode: AttendanceMode; language: Language },
  prefix = '',
): FieldError[] {
  const errors: FieldError[] = [];
  if (!modesOf(event.format).includes(choice.attendanceMode)) {
    errors.push({
      field: `${prefix}attendanceMode`,
      message: `must be one of ${modesOf(event.format).join(', ')} for this event`,
    });
  }
  if (!event.languages.includes(choice.language)) {
    errors.push({
      field: `${prefix}language`,
      message: `must be one of the event's languages: ${event.languages.join(', ')}`,
    });
  }
  return errors;
}
