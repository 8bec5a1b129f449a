import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { apiContext, sessionContext } from '../api/context.ts';
import type { Page, Ticket } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import '../plugins/zone.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { OPEN_CATEGORIES } from './format.ts';
import './request-list.ts';
import { pageStyles } from './styles.ts';

/**
 * `<to-portal-home>` (`/portal/`): a greeting, the `portal.home` zone's plugin sections (such as
 * knowledge-base search), and the customer's five most recently active open requests.
 */
export class ToPortalHome extends LitElement {
  static properties = { recent: { state: true }, failure: { state: true } };
  static styles = [
    sharedStyles,
    pageStyles,
    css`
      .sections {
        display: grid;
        gap: var(--wa-space-l);
      }
      .new {
        justify-self: start;
      }
    `,
  ];

  declare recent: Ticket[] | null;
  declare failure: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #session = new ContextConsumer(this, { context: sessionContext, subscribe: true });

  constructor() {
    super();
    this.recent = null;
    this.failure = '';
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.#api.value!.get<Page<Ticket>>('/tickets', { statusCategory: OPEN_CATEGORIES, sort: '-updated', limit: 5 }).then(
      (page) => {
        this.recent = page.items;
      },
      (error: Error) => {
        this.failure = t('portal:error', { message: error.message });
      },
    );
  }

  render() {
    return html`<div class="page">
      <h1>${t('portal:welcome', { name: this.#session.value?.name ?? '' })}</h1>
      <a class="new" href="/portal/requests/new">${t('portal:newRequest')}</a>
      <div class="sections"><to-zone zone="portal.home"></to-zone></div>
      <section aria-labelledby="recent" class="page">
        <h2 id="recent">${t('portal:recent')}</h2>
        ${this.failure ? html`<wa-callout variant="danger" role="alert">${this.failure}</wa-callout>` : nothing}
        ${this.recent === null && !this.failure
          ? html`<wa-spinner aria-label=${t('portal:loading')}></wa-spinner>`
          : this.recent?.length
            ? html`<to-portal-request-list .tickets=${this.recent} label=${t('portal:recent')}></to-portal-request-list>`
            : html`<p>${t('portal:list.empty')}</p>`}
        <p><a href="/portal/requests">${t('portal:allRequests')}</a></p>
      </section>
    </div>`;
  }
}

customElements.define('to-portal-home', ToPortalHome);
