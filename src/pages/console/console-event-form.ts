import { EVENT_FORMATS, type Event } from '../../events/event.entity';
import { LANGUAGES } from '../../common/validation/decorators';
import { LANGUAGE_NAMES } from '../locales';
import { field, fields, type FormBody } from '../shared/form-body';
import {
  checkboxField,
  choiceGroup,
  csrfField,
  errorSummary,
  selectField,
  textField,
  type FieldErrors,
} from '../shared/form';
import { html, type SafeHtml } from '../shared/html';
import type { PageContext } from '../shared/page-responder';
import type { ConsoleMessages } from './console-messages';

const number = (value: string): number | string | null =>
  value.trim() === '' ? null : /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;

/**
 * The event form's fields as the API's body: field names are the DTO's paths (venue.name,
 * capacity.inPerson…), so the DTO's errors land beside the right field. Empty optional fields
 * are null, which clears them on an edit, as in the API's PATCH.
 */
export function eventBody(form: FormBody, creating: boolean): Record<string, unknown> {
  const venueName = field(form, 'venue.name').trim();
  const body: Record<string, unknown> = {
    title: field(form, 'title'),
    timezone: field(form, 'timezone'),
    startsAt: field(form, 'startsAt'),
    endsAt: field(form, 'endsAt'),
    format: field(form, 'format'),
    venue: venueName
      ? { name: venueName, address: field(form, 'venue.address') || undefined }
      : null,
    onlineJoinUrl: field(form, 'onlineJoinUrl').trim() || null,
    capacity: {
      inPerson: number(field(form, 'capacity.inPerson')),
      online: number(field(form, 'capacity.online')),
    },
    registration: {
      requiresApproval: field(form, 'registration.requiresApproval') === 'yes',
      waitlist: field(form, 'registration.waitlist') === 'yes',
    },
    languages: fields(form, 'languages'),
  };
  if (creating) body.slug = field(form, 'slug');
  return body;
}

/** The form's values for an existing event. */
export function eventFormValues(event: Event): FormBody {
  const values: FormBody = Object.create(null) as FormBody;
  const iso = (d: Date) => d.toISOString();
  Object.assign(values, {
    title: event.title,
    timezone: event.timezone,
    startsAt: iso(event.startsAt),
    endsAt: iso(event.endsAt),
    format: event.format,
    'venue.name': event.venueName ?? '',
    'venue.address': event.venueAddress ?? '',
    onlineJoinUrl: event.onlineJoinUrl ?? '',
    'capacity.inPerson': event.capacityInPerson === null ? '' : String(event.capacityInPerson),
    'capacity.online': event.capacityOnline === null ? '' : String(event.capacityOnline),
    languages: [...event.languages],
  });
  if (event.requiresApproval) values['registration.requiresApproval'] = 'yes';
  if (event.waitlist) values['registration.waitlist'] = 'yes';
  return values;
}

export function eventForm(
  context: PageContext,
  m: ConsoleMessages,
  action: string,
  form: FormBody,
  errors: FieldErrors,
  creating: boolean,
): SafeHtml {
  const text = (name: string, label: string, extra: { hint?: string; required?: boolean } = {}) =>
    textField({ name, label, value: field(form, name), error: errors.get(name), ...extra });
  return html`${errorSummary(context, errors)}
    <form method="post" action="${action}">
      ${csrfField(context)}
      ${creating && text('slug', m.form.slug, { hint: m.form.slugHint, required: true })}
      ${text('title', m.sessionTitle, { required: true })}
      ${text('timezone', m.form.timezone, { hint: m.form.timezoneHint, required: true })}
      ${text('startsAt', m.startsAt, { hint: m.dateHint, required: true })}
      ${text('endsAt', m.endsAt, { hint: m.dateHint, required: true })}
      ${selectField({
        name: 'format',
        label: m.format,
        value: field(form, 'format'),
        error: errors.get('format'),
        choices: EVENT_FORMATS.map((f) => ({ value: f, label: m.form.formats[f] })),
      })}
      ${text('venue.name', m.venue)} ${text('venue.address', m.form.address)}
      ${text('onlineJoinUrl', m.form.joinUrl)} ${text('capacity.inPerson', m.form.capacityInPerson)}
      ${text('capacity.online', m.form.capacityOnline)}
      ${checkboxField({
        name: 'registration.requiresApproval',
        label: m.form.requiresApproval,
        checked: field(form, 'registration.requiresApproval') === 'yes',
        error: errors.get('registration.requiresApproval'),
      })}
      ${checkboxField({
        name: 'registration.waitlist',
        label: m.form.waitlist,
        checked: field(form, 'registration.waitlist') === 'yes',
        error: errors.get('registration.waitlist'),
      })}
      ${choiceGroup({
        name: 'languages',
        legend: m.form.languages,
        type: 'checkbox',
        values: fields(form, 'languages'),
        error: errors.get('languages'),
        choices: LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] })),
      })}
      <button type="submit" class="button">${m.save}</button>
    </form>`;
}
