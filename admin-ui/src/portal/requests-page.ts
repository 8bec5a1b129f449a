import { ContextConsumer } from '@lit/context';
import { LitElement, type PropertyValues, css, html, nothing } from 'lit';
import { apiContext } from '../api/context.ts';
import type { Page, Ticket } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { CLOSED_CATEGORIES, OPEN_CATEGORIES } from './format.ts';
import './request-list.ts';
import { navigate } from './router.ts';
import { pageStyles } from './styles.ts';

type Show = 'open' | 'closed' | 'all';
const SHOWS: Show[] = ['open', 'closed', 'all'];
const CATEGORIES: Record<Show, string[] | undefined> = { open: OPEN_CATEGORIES, closed: CLOSED_CATEGORIES, all: undefined };

/**
 * `<to-portal-requests>` (`/portal/requests?show=open|closed|all&q=`): the customer's requests —
 * those the API lets them see, i.e. their own and, when their organization shares tickets, its
 * ones — newest activity first, filtered by open/closed and searched with the API's `q`. The
 * state is in the address, so it can be linked and reloaded; 25 at a time with "Show more".
 */
export class ToPortalRequests extends LitElement {
  static properties = { search: { attribute: false }, tickets: { state: true }, cursor: { state: true }, busy: { state: true }, failure: { state: true } };
  static styles = [
    sharedStyles,
    pageStyles,
    css`
      .filters {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: var(--wa-space-m);
      }
      .show {
        display: flex;
        gap: var(--wa-space-2xs);
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .show a {
        display: inline-block;
        padding: var(--wa-space-2xs) var(--wa-space-s);
        border: var(--wa-border-width-s) solid var(--wa-color-neutral-border-loud);
        border-radius: var(--wa-border-radius-pill);
        text-decoration: none;
        color: var(--wa-color-text-normal);
      }
      .show a[aria-current='page'] {
        background: var(--wa-color-brand-fill-loud);
        border-color: var(--wa-color-brand-fill-loud);
        color: var(--wa-color-brand-on-loud);
      }
      form.search {
        display: flex;
        flex: 1 1 18rem;
        align-items: end;
        gap: var(--wa-space-xs);
      }
      form.search wa-input {
        flex: 1;
      }
    `,
  ];

  declare search: URLSearchParams;
  declare tickets: Ticket[] | null;
  declare cursor: string | null;
  declare busy: boolean;
  declare failure: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  #request = 0;

  constructor() {
    super();
    this.search = new URLSearchParams();
    this.tickets = null;
    this.cursor = null;
    this.busy = false;
    this.failure = '';
    new I18nController(this);
  }

  get #show(): Show {
    const show = this.search.get('show');
    return SHOWS.includes(show as Show) ? (show as Show) : 'open';
  }

  get #q(): string {
    return this.search.get('q') ?? '';
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('search')) void this.#read(null);
  }

  async #read(cursor: string | null): Promise<void> {
    const request = ++this.#request;
    this.busy = true;
    try {
      const q = this.#q;
      const page = await this.#api.value!.get<Page<Ticket>>('/tickets', { statusCategory: CATEGORIES[this.#show], q, sort: q ? undefined : '-updated', limit: 25, cursor });
      if (request !== this.#request) return;
      this.tickets = cursor ? [...(this.tickets ?? []), ...page.items] : page.items;
      this.cursor = page.nextCursor ?? null;
      this.failure = '';
    } catch (error) {
      if (request === this.#request) this.failure = t('portal:error', { message: (error as Error).message });
    } finally {
      if (request === this.#request) this.busy = false;
    }
  }

  #href(show: Show, q = this.#q): string {
    const params = new URLSearchParams();
    if (show !== 'open') params.set('show', show);
    if (q) params.set('q', q);
    const text = params.toString();
    return `/portal/requests${text ? `?${text}` : ''}`;
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const q = String((event.currentTarget as HTMLFormElement).querySelector('wa-input')?.value ?? '').trim();
    navigate(this.#href(this.#show, q));
  }

  render() {
    const show = this.#show;
    return html`<div class="page">
      <h1>${t('portal:requests')}</h1>
      <div class="filters">
        <ul class="show" aria-label=${t('portal:list.show')}>
          ${SHOWS.map((s) => html`<li><a href=${this.#href(s)} aria-current=${s === show ? 'page' : 'false'}>${t(`portal:list.${s}`)}</a></li>`)}
        </ul>
        <form class="search" role="search" @submit=${this.#submit}>
          <wa-input type="search" label=${t('portal:list.search')} .value=${this.#q}></wa-input>
          <wa-button type="submit">${t('portal:list.searchButton')}</wa-button>
        </form>
      </div>
      ${this.failure ? html`<wa-callout variant="danger" role="alert">${this.failure}</wa-callout>` : nothing}
      ${this.tickets === null
        ? html`<wa-spinner aria-label=${t('portal:loading')}></wa-spinner>`
        : this.tickets.length === 0
          ? html`<p data-empty>${t('portal:list.empty')}</p>`
          : html`<to-portal-request-list .tickets=${this.tickets} label=${t('portal:requests')}></to-portal-request-list>`}
      ${this.cursor ? html`<div class="actions"><wa-button ?loading=${this.busy} @click=${() => this.#read(this.cursor)}>${t('portal:list.more')}</wa-button></div>` : nothing}
    </div>`;
  }
}

customElements.define('to-portal-requests', ToPortalRequests);
