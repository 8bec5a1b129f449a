import { html } from 'lit';
import { SignInForm } from './sign-in-form.ts';
import './language-switch.ts';
import './theme-switch.ts';

/** `<to-login>`: the console's sign-in; fires `signed-in` with the user once the session cookie is set. */
export class ToLogin extends SignInForm {
  protected readonly strings = 'login:';

  protected footer() {
    return html`<to-language-switch></to-language-switch><to-theme-switch></to-theme-switch>`;
  }
}

customElements.define('to-login', ToLogin);

declare global {
  interface HTMLElementTagNameMap {
    'to-login': ToLogin;
  }
}
