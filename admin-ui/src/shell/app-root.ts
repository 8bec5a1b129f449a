import { ContextProvider } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { ApiClient, ApiError } from '../api/client.ts';
import { apiContext, sessionContext, streamContext } from '../api/context.ts';
import { StreamClient } from '../api/stream.ts';
import { forgetPanels } from '../plugins/panels.ts';
import { forgetCatalog } from '../tickets/catalog.ts';
import type { Me } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from './shared-styles.ts';
import './app-shell.ts';
import './login-page.ts';

type Phase = 'starting' | 'signed-out' | 'signed-in' | 'failed';

/**
 * `<to-app>`: provides the API client and the session to everything below it, and shows either the
 * sign-in form or the shell. When the session ends (idle timeout, revoked, expired) the shell goes
 * away and the sign-in form says why; the address stays, so signing in again returns to the page.
 */
export class ToApp extends LitElement {
  static properties = { phase: { state: true }, notice: { state: true }, failure: { state: true } };
  static styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        min-height: 100vh;
      }
      .center {
        display: grid;
        place-items: center;
        min-height: 100vh;
      }
    `,
  ];

  declare phase: Phase;
  declare notice: string | null;
  declare failure: string | null;
  readonly api = new ApiClient();
  /** Connected while signed in; a refused connection asks `GET /me`, whose 401 ends the session. */
  readonly stream = new StreamClient({
    sessionAlive: () =>
      this.api.me().then(
        () => true,
        (error) => !(error instanceof ApiError && error.status === 401),
      ),
  });
  readonly #session = new ContextProvider(this, { context: sessionContext, initialValue: null });

  constructor() {
    super();
    this.phase = 'starting';
    this.notice = null;
    this.failure = null;
    new I18nController(this);
    new ContextProvider(this, { context: apiContext, initialValue: this.api });
    new ContextProvider(this, { context: streamContext, initialValue: this.stream });
    this.api.onSessionEnded = (reason) => {
      if (this.phase !== 'signed-in') return;
      this.stream.stop();
      this.#session.setValue(null);
      this.notice = t('login:sessionEnded', { reason });
      this.phase = 'signed-out';
    };
  }

  /** Back online after starting offline: start again. */
  readonly #onOnline = () => {
    if (this.phase === 'failed') void this.#start();
  };

  connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.#onOnline);
    void this.#start();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.#onOnline);
  }

  async #start(): Promise<void> {
    this.phase = 'starting';
    try {
      const me = await this.api.resume();
      if (me) this.#signedIn(me);
      else this.phase = 'signed-out';
    } catch (error) {
      // The shell may come from the service worker's cache while the server is out of reach.
      this.failure = error instanceof ApiError && error.status === 0 ? t('shell:offline') : t('shell:error', { message: (error as Error).message });
      this.phase = 'failed';
    }
  }

  #signedIn(me: Me): void {
    // Another user may have signed in: nothing read for the last one is kept.
    forgetCatalog(this.api);
    forgetPanels(this.api);
    this.#session.setValue(me);
    this.stream.start();
    this.notice = null;
    this.phase = 'signed-in';
  }

  render() {
    switch (this.phase) {
      case 'starting':
        return html`<div class="center" role="status"><wa-spinner aria-label=${t('shell:loading')}></wa-spinner></div>`;
      case 'failed':
        return html`<div class="center">
          <wa-callout variant="danger" role="alert">
            <p>${this.failure}</p>
            <wa-button @click=${() => this.#start()}>${t('shell:retry')}</wa-button>
          </wa-callout>
        </div>`;
      case 'signed-out':
        return html`<to-login .notice=${this.notice} @signed-in=${(e: CustomEvent<Me>) => this.#signedIn(e.detail)}></to-login>`;
      case 'signed-in':
        return html`<to-shell
          @signed-out=${() => {
            this.stream.stop();
            this.#session.setValue(null);
            this.notice = t('login:signedOut');
            this.phase = 'signed-out';
          }}
        ></to-shell>`;
    }
  }
}

customElements.define('to-app', ToApp);

declare global {
  interface HTMLElementTagNameMap {
    'to-app': ToApp;
  }
}
