import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { errorCodes } from 'fastify';

/** A parsed form: a field sent once is a string, a field sent several times (checkboxes) a list. */
export type FormBody = Record<string, string | string[]>;

/** More fields than any page's form has: a body with more is refused rather than parsed. */
const MAX_FIELDS = 200;

/**
 * Parses application/x-www-form-urlencoded bodies, for the pages' forms (which work with no
 * JavaScript at all). The API speaks JSON only: a form sent to /api/ stays a 415, as before.
 * The object has no prototype, so a field named __proto__ is just a field.
 */
export function registerFormBodyParser(app: NestFastifyApplication, bodyLimit: number): void {
  // Through Nest, so that it replaces the default urlencoded parser Nest would add at init.
  app.useBodyParser(
    'application/x-www-form-urlencoded',
    { bodyLimit },
    (request, body: Buffer, done) => {
      if (request.url.startsWith('/api/')) {
        done(
          new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE('application/x-www-form-urlencoded'),
          undefined,
        );
        return;
      }
      const form = Object.create(null) as FormBody;
      let count = 0;
      for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
        if (++count > MAX_FIELDS) {
          done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), undefined);
          return;
        }
        const seen = form[name];
        form[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
      }
      done(null, form);
    },
  );
}

/** One field's value: the first when sent several times, '' when missing. */
export function field(form: FormBody | undefined, name: string): string {
  const value = form?.[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Every value of a field sent several times (checkboxes), [] when missing. */
export function fields(form: FormBody | undefined, name: string): string[] {
  const value = form?.[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
