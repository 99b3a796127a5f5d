import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, ValidationFailedError } from '../errors/domain-error';

function describe(constraint: string, message: string, property: string): string {
  if (constraint === 'whitelistValidation') return 'is not an allowed field';
  // class-validator starts its messages with the property name; the field is named separately.
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}

/**
 * Flattens class-validator's tree into `{field: "capacity.inPerson", message}` pairs, one per
 * field: "is required" when the value is missing (rather than whichever rule ran first), and
 * otherwise every rule the value breaks, in one message.
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const entries = Object.entries(error.constraints ?? {});
    const own: FieldError[] = [];
    if (entries.some(([constraint]) => constraint === 'whitelistValidation')) {
      own.push({ field, message: 'is not an allowed field' });
    } else if (entries.length > 0) {
      const missing = error.value === undefined || error.value === null;
      own.push({
        field,
        message: missing
          ? 'is required'
          : entries
              .map(([constraint, message]) => describe(constraint, message, error.property))
              .join('; '),
      });
    }
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Whitelisted and strict: unknown fields are an error, not silently dropped. */
export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  // The value is kept on the error to tell "missing" from "wrong"; it is never sent back.
  validationError: { target: false, value: true },
};

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATION_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailedError(flattenValidationErrors(errors)),
  });
}
