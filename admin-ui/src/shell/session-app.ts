import { ContextProvider } from '@lit/context';
import { LitElement, type TemplateResult, css, html } from 'lit';
import { ApiClient, ApiError } from '../api/client.ts';
import { apiContext, sessionContext, streamContext } from '../api/context.ts';
import { StreamClient } from '../api/stream.ts';
import type { Me } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { forgetPanels } from '../plugins/panels.ts';
import { sharedStyles } from './shared-styles.ts';

type Phase = 'starting' | 'signed-out' | 'signed-in' | 'failed';

/** Where a page keeps the strings the session root shows. */
export interface SessionStrings {
  /** Prefix of `loading`, `offline`, `error`, `retry` (e.g. `shell:`). */
  page: string;
  /** Prefix of `sessionEnded` and `signedOut` (e.g. `login:`). */
  login: string;
}

/**
 * The root both pages share — the console (`<to-app>`) and the customer portal (`<to-portal>`):
 * provides the API client, the session and the stream under the console's contexts (so plugin
 * panels work in either page), resumes the session, and shows the page's sign-in form or its
 * signed-in view. A session that ends (idle, revoked, expired) brings the sign-in form back saying
 * why; the address stays, so signing in again returns to the page. Back online after starting
 * offline, it starts again.
 */
export abstract class SessionApp extends LitElement {
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
      /* Only listens for the view's events; the view lays itself out as the host's child. */
      .view {
        display: contents;
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

  protected abstract readonly strings: SessionStrings;
  /** The sign-in form; it fires `signed-in` with the user. */
  protected abstract signInView(notice: string | null): TemplateResult;
  /** The page once signed in; it fires `signed-out` when the user signs out. */
  protected abstract signedInView(): TemplateResult;
  /** Forgets what was read for the last user (another may sign in on the same page). */
  protected forgetUser(): void {
    forgetPanels(this.api);
  }

  constructor() {
    super();
    this.phase = 'starting';
    this.notice = null;
    this.failure = null;
    new I18nController(this);
    new ContextProvider(this, { context: apiContext, initialValue: this.api });
    new ContextProvider(this, { context: streamContext, initialValue: this.stream });
    this.api.onSessionEnded = (reason) => {
      if (this.phase === 'signed-in') this.#signedOut(t(`${this.strings.login}sessionEnded`, { reason }));
    };
  }

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
      // The page may come from the service worker's cache while the server is out of reach.
      const page = this.strings.page;
      this.failure = error instanceof ApiError && error.status === 0 ? t(`${page}offline`) : t(`${page}error`, { message: (error as Error).message });
      this.phase = 'failed';
    }
  }

  #signedIn(me: Me): void {
    this.forgetUser();
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
    const page = this.strings.page;
    switch (this.phase) {
      case 'starting':
        return html`<div class="center" role="status"><wa-spinner aria-label=${t(`${page}loading`)}></wa-spinner></div>`;
      case 'failed':
        return html`<main class="center">
          <wa-callout variant="danger" role="alert">
            <p>${this.failure}</p>
            <wa-button @click=${() => this.#start()}>${t(`${page}retry`)}</wa-button>
          </wa-callout>
        </main>`;
      case 'signed-out':
        return html`<div class="view" @signed-in=${(e: CustomEvent<Me>) => this.#signedIn(e.detail)}>${this.signInView(this.notice)}</div>`;
      case 'signed-in':
        return html`<div class="view" @signed-out=${() => this.#signedOut(t(`${this.strings.login}signedOut`))}>${this.signedInView()}</div>`;
    }
  }
}
