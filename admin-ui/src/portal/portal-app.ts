import { html } from 'lit';
import { SessionApp } from '../shell/session-app.ts';
import './login-form.ts';
import './portal-shell.ts';

/**
 * `<to-portal>`: the customer portal's root — the sign-in form or the portal, with the API client,
 * session and stream under the console's contexts, so plugin panels (which read them through
 * `/admin/plugin-api.js`) work here unchanged (see `SessionApp`).
 */
export class ToPortal extends SessionApp {
  protected readonly strings = { page: 'portal:', login: 'portal:login.' };

  protected signInView(notice: string | null) {
    return html`<to-portal-login .notice=${notice}></to-portal-login>`;
  }

  protected signedInView() {
    return html`<to-portal-shell></to-portal-shell>`;
  }
}

customElements.define('to-portal', ToPortal);

declare global {
  interface HTMLElementTagNameMap {
    'to-portal': ToPortal;
  }
}
