import { ContextConsumer } from '@lit/context';
import { Router } from '@vaadin/router';
import { LitElement, css, html } from 'lit';
import { apiContext, can, sessionContext } from '../api/context.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { LAST_LIST_KEY } from '../tickets/list-query.ts';
import { routes } from './routes.ts';
import { ShortcutController, shortcuts } from './shortcuts.ts';
import { frameStyles } from './frame-styles.ts';
import { sharedStyles } from './shared-styles.ts';
import './global-search.ts';
import './language-switch.ts';
import './notifications.ts';
import './shortcut-help.ts';
import '../plugins/zone.ts';
import './theme-switch.ts';

/**
 * `<to-shell>`: the frame around every page — banner with the global search, theme and language
 * switches and the user; the main navigation; and the main region where the router renders the
 * current page. Fires `signed-out` after logging out.
 */
export class ToShell extends LitElement {
  static properties = { path: { state: true } };
  static styles = [
    sharedStyles,
    frameStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: 10rem 1fr;
        grid-template-rows: auto 1fr;
        grid-template-areas: 'banner banner' 'nav main';
        min-height: 100vh;
      }
      header {
        grid-area: banner;
        gap: var(--wa-space-m);
      }
      .brand {
        white-space: nowrap;
      }
      to-global-search {
        flex: 1 1 20rem;
        min-width: 10rem;
        max-width: 32rem;
      }
      .tools {
        margin-left: auto;
        display: flex;
        align-items: center;
        gap: var(--wa-space-s);
      }
      .user {
        white-space: nowrap;
      }
      nav {
        grid-area: nav;
        padding: var(--wa-space-m) var(--wa-space-s);
        border-right: var(--wa-border-width-s) solid var(--wa-color-surface-border);
      }
      nav ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--wa-space-2xs);
      }
      nav a {
        display: block;
        padding: var(--wa-space-xs) var(--wa-space-s);
        border-radius: var(--wa-border-radius-m);
        color: inherit;
        text-decoration: none;
      }
      .keys {
        margin-top: var(--wa-space-l);
        font: inherit;
        font-size: var(--wa-font-size-s);
        color: var(--wa-color-text-quiet);
        background: none;
        border: 0;
        padding: var(--wa-space-xs) var(--wa-space-s);
        text-align: left;
        cursor: pointer;
      }
      .keys kbd {
        font-family: var(--wa-font-family-code, monospace);
        border: var(--wa-border-width-s) solid var(--wa-color-neutral-border-normal);
        border-radius: var(--wa-border-radius-s);
        padding: 0 0.35em;
      }
      .plugin-nav {
        display: grid;
        gap: var(--wa-space-2xs);
        margin-top: var(--wa-space-2xs);
      }
      nav a[aria-current='page'] {
        background: var(--wa-color-brand-fill-quiet);
        color: var(--wa-color-brand-on-quiet);
        font-weight: var(--wa-font-weight-semibold);
      }
      main {
        grid-area: main;
        padding: var(--wa-space-l);
        min-width: 0;
      }
      main:focus {
        outline: none;
      }
      @media (max-width: 48rem) {
        :host {
          grid-template-columns: 1fr;
          grid-template-areas: 'banner' 'nav' 'main';
        }
        header {
          flex-wrap: wrap;
        }
        .tools {
          flex-wrap: wrap;
          margin-left: 0;
        }
        nav {
          border-right: 0;
          border-bottom: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        }
        nav ul {
          display: flex;
          flex-wrap: wrap;
        }
        .user,
        .keys {
          display: none;
        }
      }
    `,
  ];

  declare path: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #session = new ContextConsumer(this, { context: sessionContext, subscribe: true });
  #router: Router | null = null;
  readonly #onLocation = () => {
    this.path = window.location.pathname;
  };

  constructor() {
    super();
    this.path = window.location.pathname;
    new I18nController(this);
    const go = (path: string) => (event: KeyboardEvent) => {
      event.preventDefault();
      Router.go(path);
    };
    new ShortcutController(this, {
      '/': (event) => {
        event.preventDefault();
        this.renderRoot.querySelector('to-global-search')?.focus();
      },
      '?': (event) => {
        event.preventDefault();
        this.renderRoot.querySelector('to-shortcut-help')?.show();
      },
      'g l': (event) => go(`/admin/tickets${sessionStorage.getItem(LAST_LIST_KEY) ?? ''}`)(event),
      'g d': go('/admin/dashboard'),
      'g s': go('/admin/settings'),
    });
  }

  connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('vaadin-router-location-changed', this.#onLocation);
    shortcuts.modalOpen = () => this.renderRoot.querySelector('to-shortcut-help')?.open ?? false;
    shortcuts.attach();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    shortcuts.detach();
    window.removeEventListener('vaadin-router-location-changed', this.#onLocation);
    this.#router?.unsubscribe();
    this.#router = null;
  }

  firstUpdated(): void {
    const outlet = this.renderRoot.querySelector('#outlet') as HTMLElement;
    this.#router = new Router(outlet, { baseUrl: '/admin/' });
    void this.#router.setRoutes(routes);
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

  render() {
    const me = this.#session.value;
    const current = (prefix: string) => (this.path.startsWith(prefix) ? 'page' : undefined);
    return html`<a class="skip" href="#main" @click=${this.#focusMain}>${t('shell:skipToContent')}</a>
      <header role="banner">
        <a class="brand" href="/admin/tickets">${t('shell:appName')}</a>
        <to-global-search></to-global-search>
        <div class="tools">
          <to-notifications></to-notifications>
          <to-language-switch></to-language-switch>
          <to-theme-switch></to-theme-switch>
          ${me ? html`<span class="user" title=${me.email}>${t('shell:signedInAs', { name: me.name })}</span>` : null}
          <wa-button size="small" appearance="outlined" @click=${this.#logout}>${t('shell:signOut')}</wa-button>
        </div>
      </header>
      <nav aria-label=${t('shell:mainNav')}>
        <ul>
          <li><a href="/admin/dashboard" aria-current=${current('/admin/dashboard') ?? 'false'}>${t('shell:navDashboard')}</a></li>
          <li><a href="/admin/tickets" aria-current=${current('/admin/tickets') ?? 'false'}>${t('shell:navTickets')}</a></li>
          <li><a href="/admin/settings" aria-current=${this.path.replace(/\/$/, '') === '/admin/settings' ? 'page' : 'false'}>${t('shell:navSettings')}</a></li>
          <li><a href=${can(me, 'users.read') ? '/admin/settings/users' : '/admin/settings/tokens'} aria-current=${current('/admin/settings/') ?? 'false'}>${t('admin:nav')}</a></li>
        </ul>
        <div class="plugin-nav"><to-zone zone="nav.main"></to-zone></div>
        <button class="keys" aria-keyshortcuts="?" @click=${() => this.renderRoot.querySelector('to-shortcut-help')?.show()}>
          ${t('shell:shortcuts')} <kbd aria-hidden="true">?</kbd>
        </button>
      </nav>
      <main id="main" tabindex="-1"><div id="outlet"></div></main>
      <to-shortcut-help></to-shortcut-help>`;
  }
}

customElements.define('to-shell', ToShell);

declare global {
  interface HTMLElementTagNameMap {
    'to-shell': ToShell;
  }
}
