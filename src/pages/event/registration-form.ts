import { randomUUID } from 'node:crypto';
import { CountryCodes } from 'validator/lib/isISO31661Alpha2';
import type { FieldError } from '../../common/errors/domain-error';
import { type Language } from '../../common/validation/decorators';
import { modesOf, type Event } from '../../events/event.entity';
import type { EventSession } from '../../events/sessions/event-session.entity';
import { STAKEHOLDER_TYPES } from '../../participants/registration.entity';
import { LANGUAGE_NAMES } from '../locales';
import type { PageMessages, RegistrationField } from '../page-messages';
import { formatTimeRange, sameLocalDay } from '../shared/dates';
import { field, fields, type FormBody } from '../shared/form-body';
import {
  checkboxField,
  choiceGroup,
  csrfField,
  errorSummary,
  type FieldErrors,
  selectField,
  textField,
} from '../shared/form';
import { html, type SafeHtml } from '../shared/html';
import type { PageContext } from '../shared/page-responder';
import { seatsLeft } from './event-view';

/** What the person typed, kept to fill the form again beside its errors. */
export interface RegistrationFormValues {
  email: string;
  givenName: string;
  familyName: string;
  position: string;
  organisation: string;
  country: string;
  stakeholderType: string;
  attendanceMode: string;
  language: string;
  sessionIds: string[];
  consentData: boolean;
  consentList: boolean;
  consentPhoto: boolean;
}

export function valuesFromForm(form: FormBody): RegistrationFormValues {
  const yes = (name: string) => field(form, name) === 'yes';
  return {
    email: field(form, 'email').trim(),
    givenName: field(form, 'givenName').trim(),
    familyName: field(form, 'familyName').trim(),
    position: field(form, 'position').trim(),
    organisation: field(form, 'organisation').trim(),
    country: field(form, 'country'),
    stakeholderType: field(form, 'stakeholderType'),
    attendanceMode: field(form, 'attendanceMode'),
    language: field(form, 'language'),
    sessionIds: fields(form, 'sessionIds'),
    consentData: yes('consent.dataProcessing'),
    consentList: yes('consent.listOfParticipants'),
    consentPhoto: yes('consent.photography'),
  };
}

/** The body the API would get for the same answers, to validate with CreateRegistrationDto. */
export function toRegistrationBody(values: RegistrationFormValues): Record<string, unknown> {
  return {
    email: values.email,
    givenName: values.givenName,
    familyName: values.familyName,
    ...(values.position ? { position: values.position } : {}),
    organisation: values.organisation,
    country: values.country,
    stakeholderType: values.stakeholderType,
    attendanceMode: values.attendanceMode,
    language: values.language,
    sessionIds: values.sessionIds,
    consent: {
      dataProcessing: values.consentData,
      listOfParticipants: values.consentList,
      photography: values.consentPhoto,
    },
  };
}

/** A new form: the page's language for emails when the event speaks it, one mode preselected. */
export function emptyValues(event: Event, language: Language): RegistrationFormValues {
  const modes = modesOf(event.format);
  return {
    email: '',
    givenName: '',
    familyName: '',
    position: '',
    organisation: '',
    country: '',
    stakeholderType: '',
    attendanceMode: modes.length === 1 ? modes[0] : '',
    language: event.languages.includes(language) ? language : event.languages[0],
    sessionIds: [],
    consentData: false,
    consentList: false,
    consentPhoto: false,
  };
}

/**
 * The API's field errors, in the page's language: one message per field (the rule that failed
 * is the API's; the API's own English text is kept for a field the page does not know).
 */
export function localiseErrors(t: PageMessages, errors: FieldError[]): FieldErrors {
  const known = t.register.fieldErrors as Record<string, string | undefined>;
  const out: FieldErrors = new Map();
  // In the order of the form, so the summary reads top to bottom like the page.
  const rank = (field: string) => {
    const at = FIELD_ORDER.indexOf(field === 'consent' ? 'consent.dataProcessing' : field);
    return at < 0 ? FIELD_ORDER.length : at;
  };
  for (const error of [...errors].sort((a, b) => rank(a.field) - rank(b.field))) {
    const name = error.field === 'consent' ? 'consent.dataProcessing' : error.field;
    if (!out.has(name)) out.set(name, known[name] ?? `${error.field} ${error.message}`);
  }
  return out;
}

/** The fields in the order the registration (and delegation member) forms show them. */
const FIELD_ORDER: string[] = [
  'email',
  'givenName',
  'familyName',
  'organisation',
  'position',
  'country',
  'stakeholderType',
  'attendanceMode',
  'sessionIds',
  'language',
  'consent.dataProcessing',
  'consent.listOfParticipants',
  'consent.photography',
];

const countryCache = new Map<string, { value: string; label: string }[]>();

/** Every country the API accepts (the same ISO list), named and sorted in the page's language. */
function countries(locale: string) {
  let list = countryCache.get(locale);
  if (!list) {
    const names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
    const collator = new Intl.Collator(locale);
    list = [...CountryCodes]
      .map((code) => ({ value: code, label: names.of(code) ?? code }))
      .sort((a, b) => collator.compare(a.label, b.label));
    countryCache.set(locale, list);
  }
  return list;
}

export function registrationForm(
  context: PageContext,
  event: Event,
  agenda: EventSession[],
  values: RegistrationFormValues,
  errors: FieldErrors,
): SafeHtml {
  const { t } = context;
  const r = t.register;
  const error = (name: RegistrationField) => errors.get(name);
  const modes = modesOf(event.format).map((mode) => {
    const remaining = seatsLeft(event, mode);
    const hint =
      remaining > 0 ? r.modeSeats({ remaining }) : event.waitlist ? r.modeWaitlist : r.modeFull;
    return { value: mode, label: t.event.modes[mode], hint };
  });
  const withDate = !sameLocalDay(event.timezone, event.startsAt, event.endsAt);
  const sessions = agenda.map((s) => ({
    value: s.id,
    label: `${formatTimeRange(t, event.timezone, s.startsAt, s.endsAt, withDate)} — ${s.title}`,
  }));
  return html`<form method="post" action="/e/${event.slug}#register" novalidate>
    ${csrfField(context)}
    <input type="hidden" name="idempotencyKey" value="${randomUUID()}" />
    ${errorSummary(context, errors)}
    <p class="muted">${r.intro}</p>
    ${textField({
      name: 'email',
      label: r.email,
      hint: r.emailHint,
      type: 'email',
      autocomplete: 'email',
      value: values.email,
      error: error('email'),
      required: true,
    })}
    ${textField({
      name: 'givenName',
      label: r.givenName,
      autocomplete: 'given-name',
      value: values.givenName,
      error: error('givenName'),
      required: true,
    })}
    ${textField({
      name: 'familyName',
      label: r.familyName,
      autocomplete: 'family-name',
      value: values.familyName,
      error: error('familyName'),
      required: true,
    })}
    ${textField({
      name: 'organisation',
      label: r.organisation,
      autocomplete: 'organization',
      value: values.organisation,
      error: error('organisation'),
      required: true,
    })}
    ${textField({
      name: 'position',
      label: r.position,
      autocomplete: 'organization-title',
      value: values.position,
      error: error('position'),
    })}
    ${selectField({
      name: 'country',
      label: r.country,
      placeholder: r.choose,
      choices: countries(t.locale),
      value: values.country,
      autocomplete: 'country',
      error: error('country'),
      required: true,
    })}
    ${selectField({
      name: 'stakeholderType',
      label: r.stakeholderType,
      placeholder: r.choose,
      choices: STAKEHOLDER_TYPES.map((type) => ({ value: type, label: r.stakeholderTypes[type] })),
      value: values.stakeholderType,
      error: error('stakeholderType'),
      required: true,
    })}
    ${choiceGroup({
      name: 'attendanceMode',
      legend: r.mode,
      type: 'radio',
      choices: modes,
      values: [values.attendanceMode],
      error: error('attendanceMode'),
      required: true,
    })}
    ${
      sessions.length > 0 &&
      choiceGroup({
        name: 'sessionIds',
        legend: r.sessions,
        hint: r.sessionsHint,
        type: 'checkbox',
        choices: sessions,
        values: values.sessionIds,
        error: error('sessionIds'),
      })
    }
    ${selectField({
      name: 'language',
      label: r.language,
      hint: r.languageHint,
      choices: event.languages.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] })),
      value: values.language,
      error: error('language'),
      required: true,
    })}
    <fieldset class="field group">
      <legend>${r.consent}</legend>
      ${checkboxField({
        name: 'consent.dataProcessing',
        label: r.consentData,
        checked: values.consentData,
        error: error('consent.dataProcessing'),
        required: true,
      })}
      ${checkboxField({
        name: 'consent.listOfParticipants',
        label: r.consentList,
        checked: values.consentList,
        error: error('consent.listOfParticipants'),
      })}
      ${checkboxField({
        name: 'consent.photography',
        label: r.consentPhoto,
        checked: values.consentPhoto,
        error: error('consent.photography'),
      })}
    </fieldset>
    <button type="submit">${r.submit}</button>
  </form>`;
}
