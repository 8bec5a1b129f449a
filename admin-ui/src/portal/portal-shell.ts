import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { apiContext, sessionContext } from '../api/context.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { frameStyles } from '../shell/frame-styles.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import './home-page.ts';
import './language-select.ts';
import './new-request-page.ts';
import './not-found-page.ts';
import './request-page.ts';
import './requests-page.ts';
import { PortalRouter } from './router.ts';

/**
 * `<to-portal-shell>`: the frame of every portal page — a banner with the navigation, the
 * language and sign-out; the main region with the current page. Narrow screens stack it all.
 * Fires `signed-out` after logging out.
 */
export class ToPortalShell extends LitElement {
  static styles = [
    sharedStyles,
    frameStyles,
    css`
      :host {
        display: grid;
        grid-template-rows: auto 1fr;
        min-height: 100vh;
      }
      header {
        flex-wrap: wrap;
        gap: var(--wa-space-s) var(--wa-space-l);
      }
      nav ul {
        display: flex;
        flex-wrap: wrap;
        gap: var(--wa-space-xs) var(--wa-space-m);
        list-style: none;
        margin: 0;
        padding: 0;
      }
      nav a {
        display: inline-block;
        padding: var(--wa-space-2xs) 0;
      }
      nav a[aria-current='page'] {
        font-weight: var(--wa-font-weight-bold);
        color: var(--wa-color-text-normal);
        text-decoration-thickness: 2px;
      }
      .tools {
        margin-left: auto;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--wa-space-s);
      }
      .user {
        color: var(--wa-color-text-quiet);
        font-size: var(--wa-font-size-s);
      }
      main {
        width: min(56rem, 100%);
        margin: 0 auto;
        padding: var(--wa-space-l) var(--wa-space-m);
      }
      main:focus {
        outline: none;
      }
      @media (max-width: 40rem) {
        header {
          padding: var(--wa-space-s) var(--wa-space-m);
        }
        .tools {
          margin-left: 0;
        }
      }
    `,
  ];

  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #session = new ContextConsumer(this, { context: sessionContext, subscribe: true });
  readonly #router = new PortalRouter(this);

  constructor() {
    super();
    new I18nController(this);
  }

  /** The document's title names the page (and follows the language). */
  protected updated(): void {
    const names: Record<string, string> = { requests: 'portal:requests', request: 'portal:requests', new: 'portal:newRequest', 'not-found': 'portal:notFound' };
    const page = names[this.#router.route.page];
    document.title = page ? `${t(page)} – ${t('portal:brand')}` : t('portal:brand');
  }

  /** A new page: focus its main region, so screen readers and keyboards start there. */
  onNavigated(): void {
    void this.updateComplete.then(() => {
      (this.renderRoot.querySelector('main') as HTMLElement | null)?.focus();
      window.scrollTo(0, 0);
    });
  }

  async #logout(): Promise<void> {
    // Signed out either way: a session that had already ended cannot be ended again.
    await this.#api.value!.logout().catch(() => {});
    this.dispatchEvent(new CustomEvent('signed-out', { bubbles: true, composed: true }));
  }

  #focusMain(event: Event): void {
    event.preventDefault();
    (this.renderRoot.querySelector('main') as HTMLElement).focus();
  }

  #page() {
    const route = this.#router.route;
    switch (route.page) {
      case 'home':
        return html`<to-portal-home></to-portal-home>`;
      case 'requests':
        return html`<to-portal-requests .search=${route.search}></to-portal-requests>`;
      case 'new':
        return html`<to-portal-new-request></to-portal-new-request>`;
      case 'request':
        return html`<to-portal-request .ticketId=${route.id}></to-portal-request>`;
      case 'not-found':
        return html`<to-portal-not-found></to-portal-not-found>`;
    }
  }

  render() {
    const me = this.#session.value;
    const page = this.#router.route.page;
    const current = (...pages: string[]) => (pages.includes(page) ? 'page' : 'false');
    return html`<a class="skip" href="#main" @click=${this.#focusMain}>${t('portal:skip')}</a>
      <header>
        <a class="brand" href="/portal/">${t('portal:brand')}</a>
        <nav aria-label=${t('portal:nav')}>
          <ul>
            <li><a href="/portal/" aria-current=${current('home')}>${t('portal:home')}</a></li>
            <li><a href="/portal/requests" aria-current=${current('requests', 'request')}>${t('portal:requests')}</a></li>
            <li><a href="/portal/requests/new" aria-current=${current('new')}>${t('portal:newRequest')}</a></li>
          </ul>
        </nav>
        <div class="tools">
          <to-portal-language></to-portal-language>
          ${me ? html`<span class="user" title=${me.email}>${t('portal:signedInAs', { name: me.name })}</span>` : null}
          <wa-button size="small" appearance="outlined" @click=${this.#logout}>${t('portal:signOut')}</wa-button>
        </div>
      </header>
      <main id="main" tabindex="-1">${this.#page()}</main>`;
  }
}

customElements.define('to-portal-shell', ToPortalShell);
