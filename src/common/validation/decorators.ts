import { applyDecorators } from '@nestjs/common';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  Matches,
  registerDecorator,
  ValidateIf,
  ValidationOptions,
} from 'class-validator';

export const LANGUAGES = ['en', 'ru', 'kk'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isIanaTimezone(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[A-Za-z]+(?:[/_+-][A-Za-z0-9_+-]+)*$/.test(value)) {
    return false;
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** A real IANA time zone name such as Asia/Almaty (not an offset, not an invented name). */
export function IsIanaTimezone(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIanaTimezone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be an IANA time zone name such as Asia/Almaty', ...options },
      validator: { validate: isIanaTimezone },
    });
}

/** A lower-case slug used in URLs: letters, digits and single hyphens. */
export function IsSlug(): PropertyDecorator {
  return Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
    message: 'must be lower-case letters, digits and single hyphens (e.g. policy-dialogue-2026)',
  });
}

/** A non-empty list of the languages Convene speaks, each once. */
export function IsLanguageList(): PropertyDecorator {
  return applyDecorators(
    IsArray(),
    ArrayMinSize(1, { message: 'must name at least one language' }),
    ArrayUnique({ message: 'must not repeat a language' }),
    IsIn(LANGUAGES, { each: true, message: `each must be one of ${LANGUAGES.join(', ')}` }),
  );
}

/**
 * The field may be left out, but not sent as null: for optional fields that have a default and
 * no "empty" value (class-validator's IsOptional would let null through to a NOT NULL column).
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_, value) => value !== undefined);
}

/**
 * Text of one line, in any script as typed, but without control characters or Unicode line
 * and paragraph separators: a line break in a name or title is never meant, and it is how text
 * smuggles headers into an email.
 */
export function IsSingleLine(): PropertyDecorator {
  return Matches(/^[^\p{Cc}\p{Zl}\p{Zp}]*$/u, {
    message: 'must not contain line breaks or other control characters',
  });
}
