import type { Principal } from '../../common/auth/roles';
import { csrfField, textField } from '../shared/form';
import { html, type SafeHtml } from '../shared/html';
import type { PageContext } from '../shared/page-responder';
import type { SignInMessages } from './sign-in-messages';
import type { StaffRefusal } from './staff-session.service';

/**
 * The staff sign-in form: the token is posted in the body (never a URL) into a password field,
 * so it is not shown on screen nor kept by the browser's form history.
 */
export function signInForm(
  context: PageContext,
  m: SignInMessages,
  action: string,
  refusal: StaffRefusal | null,
): SafeHtml {
  return html`<h1>${m.heading}</h1>
    <p>${m.intro}</p>
    <form method="post" action="${action}" class="staff-sign-in">
      ${csrfField(context)}
      ${textField({
        name: 'token',
        label: m.tokenLabel,
        hint: m.tokenHint,
        type: 'password',
        required: true,
        autocomplete: 'off',
        maxlength: 200,
        error: refusal ? m.refusals[refusal] : undefined,
      })}
      <button type="submit" class="button">${m.submit}</button>
    </form>`;
}

/** "Signed in as Desk 1 [Sign out]", at the top of every staff page. */
export function sessionBar(
  context: PageContext,
  m: SignInMessages,
  principal: Principal,
  signOutAction: string,
): SafeHtml {
  return html`<form method="post" action="${signOutAction}" class="session-bar">
    ${csrfField(context)}
    <span>${m.signedInAs({ name: principal.name })}</span>
    <button type="submit" class="button secondary">${m.signOut}</button>
  </form>`;
}
