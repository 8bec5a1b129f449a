import { html } from 'lit';
import { SignInForm } from '../shell/sign-in-form.ts';
import './language-select.ts';

/** `<to-portal-login>`: the portal's sign-in, the console's card with the portal's strings; fires `signed-in` with the user. */
export class ToPortalLogin extends SignInForm {
  protected readonly strings = 'portal:login.';

  protected footer() {
    return html`<to-portal-language></to-portal-language>`;
  }
}

customElements.define('to-portal-login', ToPortalLogin);
