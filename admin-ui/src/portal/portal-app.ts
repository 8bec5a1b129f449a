import { ContextProvider } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { ApiClient, ApiError } from '../api/client.ts';
import { apiContext, sessionContext, streamContext } from '../api/context.ts';
import { StreamClient } from '../api/stream.ts';
import type { Me } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { forgetPanels } from '../plugins/panels.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import './login-form.ts';
import './portal-shell.ts';

type Phase = 'starting' | 'signed-out' | 'signed-in' | 'failed';

/**
 * `<to-portal>`: the customer portal's root. Provides the API client, the session and the stream
 * under the same contexts as the console, so plugin panels (which read them through
 * `/admin/plugin-api.js`) work here unchanged; shows the sign-in form or the portal. A session that
 * ends (expired, revoked) brings the sign-in form back saying why, keeping the address.
 */
export class ToPortal extends LitElement {
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
        padding: var(--wa-space-l);
      }
    `,
  ];

  declare phase: Phase;
  declare notice: string | null;
  declare failure: string | null;
  readonly api = new ApiClient();
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
      if (this.phase === 'signed-in') this.#signedOut(t('portal:login.sessionEnded', { reason }));
    };
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#start();
  }

  async #start(): Promise<void> {
    this.phase = 'starting';
    try {
      const me = await this.api.resume();
      if (me) this.#signedIn(me);
      else this.phase = 'signed-out';
    } catch (error) {
      this.failure = error instanceof ApiError && error.status === 0 ? t('portal:offline') : t('portal:error', { message: (error as Error).message });
      this.phase = 'failed';
    }
  }

  #signedIn(me: Me): void {
    // Another user may have signed in on this page: their panel list is not this one's.
    forgetPanels(this.api);
    this.#session.setValue(me);
    this.stream.start();
    this.notice = null;
    this.phase = 'signed-in';
  }

  #signedOut(notice: string): void {
    this.stream.stop();
    this.#session.setValue(null);
    this.notice = notice;
    this.phase = 'signed-out';
  }

  render() {
    switch (this.phase) {
      case 'starting':
        return html`<div class="center" role="status"><wa-spinner aria-label=${t('portal:loading')}></wa-spinner></div>`;
      case 'failed':
        return html`<main class="center">
          <wa-callout variant="danger" role="alert">
            <p>${this.failure}</p>
            <wa-button @click=${() => this.#start()}>${t('portal:retry')}</wa-button>
          </wa-callout>
        </main>`;
      case 'signed-out':
        return html`<to-portal-login .notice=${this.notice} @signed-in=${(e: CustomEvent<Me>) => this.#signedIn(e.detail)}></to-portal-login>`;
      case 'signed-in':
        return html`<to-portal-shell @signed-out=${() => this.#signedOut(t('portal:login.signedOut'))}></to-portal-shell>`;
    }
  }
}

customElements.define('to-portal', ToPortal);

declare global {
  interface HTMLElementTagNameMap {
    'to-portal': ToPortal;
  }
}
