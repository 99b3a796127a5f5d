import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FieldError } from '../../common/errors/domain-error';
import {
  flattenValidationErrors,
  VALIDATION_OPTIONS,
} from '../../common/validation/validation.pipe';
import { CSRF_FIELD } from './csrf.service';
import { attrs, html, type SafeHtml } from './html';
import type { PageContext } from './page-responder';

/**
 * Form building blocks that every page shares: labelled fields whose error sits beside them
 * (aria-describedby, aria-invalid), an error summary linking to each field, the CSRF field.
 * Field names are the DTO's paths (`consent.dataProcessing`), so the API's validation errors
 * land beside the right field.
 */

/** Field name → message, in the order the fields should be listed. */
export type FieldErrors = Map<string, string>;

export const fieldId = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
const errorId = (name: string) => `${fieldId(name)}-error`;
const hintId = (name: string) => `${fieldId(name)}-hint`;

/**
 * Validates a plain object exactly as the API's global ValidationPipe does (same DTO, options
 * and flattening), so a page and the API refuse the same input for the same reasons.
 */
export async function validateAs<T extends object>(
  dtoClass: new () => T,
  plain: Record<string, unknown>,
): Promise<{ dto: T; errors: FieldError[] }> {
  const dto = plainToInstance(dtoClass, plain);
  const errors = flattenValidationErrors(await validate(dto, VALIDATION_OPTIONS));
  return { dto, errors };
}

export function csrfField(context: PageContext): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${context.csrfToken}" />`;
}

function describedBy(name: string, hint: string | undefined, error: string | undefined) {
  const ids = [hint && hintId(name), error && errorId(name)].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function hintAndError(name: string, hint: string | undefined, error: string | undefined) {
  return html`${hint && html`<p class="hint" id="${hintId(name)}">${hint}</p>`}${
    error && html`<p class="error" id="${errorId(name)}">${error}</p>`
  }`;
}

export interface TextFieldOptions {
  name: string;
  label: string;
  value?: string;
  error?: string;
  hint?: string;
  type?: 'text' | 'email' | 'tel' | 'search' | 'password' | 'url';
  required?: boolean;
  autocomplete?: string;
  inputmode?: string;
  maxlength?: number;
}

export function textField(o: TextFieldOptions): SafeHtml {
  const input = attrs({
    type: o.type ?? 'text',
    id: fieldId(o.name),
    name: o.name,
    value: o.value ?? '',
    required: o.required,
    autocomplete: o.autocomplete,
    inputmode: o.inputmode,
    maxlength: o.maxlength,
    'aria-invalid': o.error ? 'true' : undefined,
    'aria-describedby': describedBy(o.name, o.hint, o.error),
  });
  return html`<div class="field${o.error ? ' has-error' : ''}">
    <label for="${fieldId(o.name)}">${o.label}</label>
    ${hintAndError(o.name, o.hint, o.error)}
    <input${input} />
  </div>`;
}

export interface Choice {
  value: string;
  label: string;
  hint?: string;
  disabled?: boolean;
}

export function selectField(o: {
  name: string;
  label: string;
  choices: Choice[];
  value?: string;
  error?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  /** A first, empty choice ("Choose…"). */
  placeholder?: string;
}): SafeHtml {
  const select = attrs({
    id: fieldId(o.name),
    name: o.name,
    required: o.required,
    autocomplete: o.autocomplete,
    'aria-invalid': o.error ? 'true' : undefined,
    'aria-describedby': describedBy(o.name, o.hint, o.error),
  });
  const options = o.choices.map(
    (c) =>
      html`<option${attrs({ value: c.value, selected: c.value === o.value, disabled: c.disabled })}>
        ${c.label}
      </option>`,
  );
  return html`<div class="field${o.error ? ' has-error' : ''}">
    <label for="${fieldId(o.name)}">${o.label}</label>
    ${hintAndError(o.name, o.hint, o.error)}
    <select${select}>
      ${o.placeholder !== undefined && html`<option value="">${o.placeholder}</option>`} ${options}
    </select>
  </div>`;
}

/** Radio buttons (one value) or checkboxes (several) in a fieldset whose legend is the question. */
export function choiceGroup(o: {
  name: string;
  legend: string;
  choices: Choice[];
  type: 'radio' | 'checkbox';
  values: string[];
  error?: string;
  hint?: string;
  required?: boolean;
}): SafeHtml {
  const items = o.choices.map((c, i) => {
    const id = `${fieldId(o.name)}-${i}`;
    const input = attrs({
      type: o.type,
      id,
      name: o.name,
      value: c.value,
      checked: o.values.includes(c.value),
      disabled: c.disabled,
      required: o.type === 'radio' && o.required,
      'aria-describedby': c.hint ? `${id}-hint` : undefined,
    });
    return html`<div class="choice">
      <input${input} />
      <label for="${id}">${c.label}</label>
      ${c.hint && html`<p class="hint" id="${id}-hint">${c.hint}</p>`}
    </div>`;
  });
  const group = attrs({
    id: fieldId(o.name),
    class: `field group${o.error ? ' has-error' : ''}`,
    'aria-invalid': o.error ? 'true' : undefined,
    'aria-describedby': describedBy(o.name, o.hint, o.error),
  });
  return html`<fieldset${group}>
    <legend>${o.legend}</legend>
    ${hintAndError(o.name, o.hint, o.error)} ${items}
  </fieldset>`;
}

/** One checkbox that says yes to something (consent); its value is "yes" when ticked. */
export function checkboxField(o: {
  name: string;
  label: string;
  checked: boolean;
  error?: string;
  hint?: string;
  required?: boolean;
}): SafeHtml {
  const input = attrs({
    type: 'checkbox',
    id: fieldId(o.name),
    name: o.name,
    value: 'yes',
    checked: o.checked,
    required: o.required,
    'aria-invalid': o.error ? 'true' : undefined,
    'aria-describedby': describedBy(o.name, o.hint, o.error),
  });
  return html`<div class="field choice${o.error ? ' has-error' : ''}">
    ${hintAndError(o.name, undefined, o.error)}
    <input${input} />
    <label for="${fieldId(o.name)}">${o.label}</label>
    ${o.hint && html`<p class="hint" id="${hintId(o.name)}">${o.hint}</p>`}
  </div>`;
}

/**
 * The box above a form that failed: its heading takes focus order first (it comes first in
 * the form) and each line links to its field.
 */
export function errorSummary(context: PageContext, errors: FieldErrors): SafeHtml | false {
  if (errors.size === 0) return false;
  const items = [...errors].map(
    ([name, message]) => html`<li><a href="#${fieldId(name)}">${message}</a></li>`,
  );
  return html`<div class="summary" role="alert" aria-labelledby="summary-title">
    <h2 id="summary-title">${context.t.errors.summaryTitle}</h2>
    <ul>
      ${items}
    </ul>
  </div>`;
}
