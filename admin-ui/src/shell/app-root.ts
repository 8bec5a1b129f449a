import { html } from 'lit';
import { forgetPanels } from '../plugins/panels.ts';
import { forgetCatalog } from '../tickets/catalog.ts';
import { SessionApp } from './session-app.ts';
import './app-shell.ts';
import './login-page.ts';

/**
 * `<to-app>`: the console's root — the sign-in form or the shell, with the API client, session and
 * stream provided to everything below (see `SessionApp`).
 */
export class ToApp extends SessionApp {
  protected readonly strings = { page: 'shell:', login: 'login:' };

  protected forgetUser(): void {
    forgetCatalog(this.api);
    forgetPanels(this.api);
  }

  protected signInView(notice: string | null) {
    return html`<to-login .notice=${notice}></to-login>`;
  }

  protected signedInView() {
    return html`<to-shell></to-shell>`;
  }
}

customElements.define('to-app', ToApp);

declare global {
  interface HTMLElementTagNameMap {
    'to-app': ToApp;
  }
}
