import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FieldError } from '../common/errors/domain-error';
// The global ValidationPipe's options, so a delegation is held to the same field rules.
import { flattenValidationErrors, VALIDATION_OPTIONS } from '../common/validation/validation.pipe';
import { modesOf, type AttendanceMode, type Event } from '../events/event.entity';
import { CreateDelegationDto } from './dto/create-delegation.dto';

/** `members.2.email` as clients write it: `members[2].email`. */
const withIndexes = (field: string) => field.replace(/\.(\d+)(?=\.|$)/g, '[$1]');

/**
 * Checks the fields of a delegation request. Returns the request as a DTO (valid only when
 * there are no errors) and every field error, with array members named `members[2].email`.
 */
export async function parseDelegation(
  body: unknown,
): Promise<{ dto: CreateDelegationDto; errors: FieldError[] }> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      dto: new CreateDelegationDto(),
      errors: [{ field: 'body', message: 'must be a JSON object' }],
    };
  }
  const dto = plainToInstance(CreateDelegationDto, body);
  const errors = flattenValidationErrors(await validate(dto, VALIDATION_OPTIONS));
  return { dto, errors: errors.map((e) => ({ ...e, field: withIndexes(e.field) })) };
}

/** A person of the request, where their fields are, and whether they attend. */
export interface PersonEntry {
  /** `head` or `members[2]`. */
  path: string;
  email: unknown;
  attendanceMode: unknown;
  isHead: boolean;
  attends: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The head first, then the members in the order given; entries that are not objects are left out. */
export function peopleOf(dto: CreateDelegationDto): PersonEntry[] {
  const people: PersonEntry[] = [];
  const head: unknown = dto.head;
  if (isObject(head)) {
    people.push({
      path: 'head',
      email: head.email,
      attendanceMode: head.attendanceMode,
      isHead: true,
      attends: head.attends === true,
    });
  }
  const members: unknown = dto.members;
  if (Array.isArray(members)) {
    members.forEach((member: unknown, i) => {
      if (!isObject(member)) return;
      people.push({
        path: `members[${i}]`,
        email: member.email,
        attendanceMode: member.attendanceMode,
        isHead: false,
        attends: true,
      });
    });
  }
  return people;
}

export const emailKey = (email: string) => email.toLowerCase();

/**
 * The rules a delegation must meet for this event, checked on every field that is itself valid
 * (a field already refused is not refused twice): modes the format offers, a language of the
 * event, each email once, nobody attending who is already registered, and the size limit.
 * `registered` holds the lower-cased emails already actively registered for the event.
 */
export function checkDelegation(
  event: Event,
  dto: CreateDelegationDto,
  fieldErrors: FieldError[],
  registered: ReadonlySet<string>,
): FieldError[] {
  const refused = new Set(fieldErrors.map((e) => e.field));
  const valid = (person: PersonEntry, field: string) =>
    !refused.has(person.path) && !refused.has(`${person.path}.${field}`);
  const errors: FieldError[] = [];

  if (refused.has('body')) return [];
  if (
    !refused.has('language') &&
    typeof dto.language === 'string' &&
    !event.languages.includes(dto.language)
  ) {
    errors.push({
      field: 'language',
      message: `must be one of the event's languages: ${event.languages.join(', ')}`,
    });
  }

  const modes = modesOf(event.format);
  const firstPathOf = new Map<string, PersonEntry>();
  for (const person of peopleOf(dto)) {
    if (person.attends && valid(person, 'attendanceMode')) {
      if (person.attendanceMode === undefined || person.attendanceMode === null) {
        errors.push({
          field: `${person.path}.attendanceMode`,
          message: 'is required when the head attends',
        });
      } else if (!modes.includes(person.attendanceMode as AttendanceMode)) {
        errors.push({
          field: `${person.path}.attendanceMode`,
          message: `must be one of ${modes.join(', ')} for this event`,
        });
      }
    }
    if (!valid(person, 'email') || typeof person.email !== 'string') continue;
    const key = emailKey(person.email);
    const first = firstPathOf.get(key);
    if (first) {
      errors.push({
        field: `${person.path}.email`,
        message:
          first.isHead && !first.attends
            ? "is the head's email: set head.attends to true instead of listing the head as a member"
            : `is given more than once in this delegation (first at ${first.path}.email)`,
      });
      continue;
    }
    firstPathOf.set(key, person);
    if (person.attends && registered.has(key)) {
      errors.push({
        field: `${person.path}.email`,
        message: 'is already registered for this event',
      });
    }
  }

  const head: unknown = dto.head;
  if (Array.isArray(dto.members) && isObject(head) && typeof head.attends === 'boolean') {
    const size = dto.members.length + (head.attends ? 1 : 0);
    if (size > event.maxDelegationSize) {
      errors.push({
        field: 'members',
        message: `a delegation may have at most ${event.maxDelegationSize} people attending (the head counts when attending); this one has ${size}`,
      });
    } else if (size === 0) {
      errors.push({
        field: 'members',
        message: 'must list at least one member when the head does not attend',
      });
    }
  }
  return errors;
}

/**
 * The valid emails of the people who would get a registration, lower-cased: what the "already
 * registered" check looks up (a refused email is not sent to the database at all).
 */
export function attendingEmails(dto: CreateDelegationDto, fieldErrors: FieldError[]): string[] {
  const refused = new Set(fieldErrors.map((e) => e.field));
  if (refused.has('body')) return [];
  return peopleOf(dto)
    .filter(
      (person) =>
        person.attends &&
        typeof person.email === 'string' &&
        !refused.has(person.path) &&
        !refused.has(`${person.path}.email`),
    )
    .map((person) => emailKey(person.email as string));
}
