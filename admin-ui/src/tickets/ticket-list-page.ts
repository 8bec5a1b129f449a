import { ContextConsumer } from '@lit/context';
import { Router, type RouterLocation } from '@vaadin/router';
import { LitElement, type PropertyValues, html } from 'lit';
import { ApiError } from '../api/client.ts';
import { apiContext, can, sessionContext } from '../api/context.ts';
import type { StreamMessage, StreamTarget } from '../api/stream.ts';
import { StreamController } from '../api/stream-controller.ts';
import type { Page, SavedView } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { ShortcutController } from '../shell/shortcuts.ts';
import { type Catalog, loadCatalog, loadViews } from './catalog.ts';
import { fieldLabel } from './field-value.ts';
import { readTicketsOnPress } from './detail/early-read.ts';
import { ticketListPageStyles } from './list/page-styles.ts';
import { LAST_LIST_KEY, type ListField, type ListState, type ListedTicket, listQuery, readColumns, searchFromState, sortedField, stateFromSearch, writeColumns } from './list-query.ts';
import './bulk-bar.ts';
import './column-chooser.ts';
import './ticket-filters.ts';
import './ticket-table.ts';
import './view-list.ts';

/** Rows per request (the API's maximum): the next page is read when the drawn rows near the end. */
const PAGE_SIZE = 100;
/** Rows followed live before the table says which it draws. */
const FIRST_FOLLOWED = 50;
/** Scrolling settles for this long before the stream follows the rows now drawn (the server allows 20 messages a second). */
const FOLLOW_DELAY_MS = 250;

/**
 * `<to-ticket-list-page>` (`/admin/tickets`): saved views with counts, filters, full-text search,
 * sort, rows read page by page as the user scrolls (with a "Load more" button for keyboard users), and multi-select with bulk actions. The address holds the state.
 */
export class ToTicketListPage extends LitElement {
  static properties = {
    location: { attribute: false },
    tickets: { state: true },
    nextCursor: { state: true },
    loading: { state: true },
    error: { state: true },
    selected: { state: true },
    catalog: { state: true },
    views: { state: true },
    notice: { state: true },
    changed: { state: true },
    fresh: { state: true },
    listFields: { state: true },
    columns: { state: true },
    viewPath: { state: true },
  };
  static styles = [sharedStyles, ticketListPageStyles];

  declare location: RouterLocation | undefined;
  declare tickets: ListedTicket[];
  declare nextCursor: string | null;
  declare loading: boolean;
  declare error: string | null;
  declare selected: ReadonlySet<string>;
  declare catalog: Catalog | null;
  declare views: SavedView[];
  declare notice: string;
  /** Rows changed by someone else since they were shown (highlighted for a moment). */
  declare changed: ReadonlySet<string>;
  /** Tickets new to this list (created, or now in the view) that are not shown yet. */
  declare fresh: ReadonlySet<string>;
  /** The plugin list fields there are (`GET /list-fields`) and the ones shown as columns (remembered in localStorage). */
  declare listFields: ListField[];
  declare columns: string[];
  /** The list is a saved view read through `/views/{id}/tickets`, whose sort the view fixes. */
  declare viewPath: boolean;
  #state: ListState = {};
  readonly #live = new StreamController(this, (message) => this.#onStream(message));
  #fade: ReturnType<typeof setTimeout> | null = null;
  #search: string | null = null;
  #listFieldsRead: Promise<ListField[]> = Promise.resolve([]);
  #request = 0;
  /** The rows the table draws: only those are followed live (10,000 subscriptions would flood the stream). */
  #drawn = { first: 0, last: FIRST_FOLLOWED - 1 };
  #follow: ReturnType<typeof setTimeout> | null = null;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #session = new ContextConsumer(this, { context: sessionContext });

  constructor() {
    super();
    this.tickets = [];
    this.nextCursor = null;
    this.loading = false;
    this.error = null;
    this.selected = new Set();
    this.catalog = null;
    this.views = [];
    this.notice = '';
    this.changed = new Set();
    this.fresh = new Set();
    this.listFields = [];
    this.columns = readColumns();
    this.viewPath = false;
    new I18nController(this);
    // Pressing on a ticket's link starts reading the ticket before the detail opens.
    readTicketsOnPress(this, () => this.#api.value);
    const table = () => this.renderRoot.querySelector('to-ticket-table');
    const open = (event: KeyboardEvent) => {
      const ticket = table()?.current;
      if (!ticket) return;
      event.preventDefault();
      Router.go(`/admin/tickets/${ticket.id}`);
    };
    new ShortcutController(this, {
      j: (event) => {
        event.preventDefault();
        void table()?.move(1);
      },
      k: (event) => {
        event.preventDefault();
        void table()?.move(-1);
      },
      o: open,
      // Enter on a link or button does what it always does; elsewhere it opens the current row.
      Enter: (event) => {
        if (event.composedPath().some((node) => node instanceof HTMLAnchorElement || node instanceof HTMLButtonElement || (node instanceof HTMLElement && node.tagName.startsWith('WA-')))) return;
        open(event);
      },
      x: (event) => {
        event.preventDefault();
        table()?.toggleCurrent();
      },
    });
  }

  connectedCallback(): void {
    super.connectedCallback();
    // The ticket detail (with its markdown renderer) is where the agent goes next: fetch its code
    // while the browser is idle, so opening a ticket waits only for the ticket's data.
    const prefetch = () => void import('./ticket-detail-page.ts').catch(() => {});
    if ('requestIdleCallback' in window) window.requestIdleCallback(prefetch, { timeout: 3000 });
    else setTimeout(prefetch, 1500);
    const api = this.#api.value!;
    loadCatalog(api, this.#session.value ?? null).then(
      (catalog) => {
        this.catalog = catalog;
      },
      () => {},
    );
    this.#listFieldsRead = api.get<Page<ListField>>('/list-fields').then(
      (page) => (this.listFields = page.items),
      () => [],
    );
  }

  willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('location')) {
      const search = this.location?.search ?? window.location.search;
      if (search !== this.#search) {
        this.#search = search;
        this.#state = stateFromSearch(search);
        sessionStorage.setItem(LAST_LIST_KEY, search);
        this.selected = new Set();
        void this.#load(false);
      }
    }
  }

  async #load(append: boolean): Promise<void> {
    const api = this.#api.value!;
    const request = ++this.#request;
    this.loading = true;
    this.error = null;
    try {
      const state = this.#state;
      // A view made since the definitions were read makes them read again.
      if (state.view && !this.views.some((v) => v.id === state.view)) this.views = await loadViews(api, this.views.length > 0);
      const view = state.view ? this.views.find((v) => v.id === state.view) : undefined;
      const query = listQuery(state, view);
      const path = query === null && view ? `/views/${encodeURIComponent(view.id)}/tickets` : '/tickets';
      this.viewPath = path !== '/tickets';
      const known = await this.#listFieldsRead;
      const fields = this.columns.filter((name) => known.some((f) => f.name === name));
      const page = await api.get<Page<ListedTicket>>(path, { ...(query ?? {}), fields, limit: PAGE_SIZE, cursor: append ? (this.nextCursor ?? undefined) : undefined });
      if (request !== this.#request) return;
      this.tickets = append ? this.tickets.concat(page.items) : page.items;
      this.nextCursor = page.nextCursor ?? null;
      if (!append) {
        this.fresh = new Set();
        this.#drawn = { first: 0, last: FIRST_FOLLOWED - 1 };
        this.#listen();
      }
    } catch (error) {
      if (request !== this.#request) return;
      if (!(error instanceof ApiError && error.status === 401)) this.error = (error as Error).message;
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  /** The next page, unless one is being read or there is none. */
  #loadMore(): void {
    if (this.nextCursor && !this.loading) void this.#load(true);
  }

  /** The drawn rows, once scrolling settles, become the ones followed live. */
  #drawnChanged(event: CustomEvent<{ first: number; last: number }>): void {
    this.#drawn = event.detail;
    if (this.#follow) clearTimeout(this.#follow);
    this.#follow = setTimeout(() => {
      this.#follow = null;
      this.#listen();
    }, FOLLOW_DELAY_MS);
  }

  /** The drawn tickets, and the view shown, are followed live. */
  #listen(): void {
    const targets: StreamTarget[] = this.tickets.slice(this.#drawn.first, this.#drawn.last + 1).map((ticket) => ({ ticketId: ticket.id }));
    if (this.#state.view) targets.push({ viewId: this.#state.view });
    this.#live.listen(targets);
  }

  /** Changes by anyone, as the stream tells them: shown rows change in place; new ones are offered. */
  #onStream(message: StreamMessage): void {
    switch (message.type) {
      case 'ticket.created':
      case 'ticket.updated':
      case 'comment.created': {
        const ticket = message.ticket;
        if (!ticket) return;
        const index = this.tickets.findIndex((t) => t.id === ticket.id);
        if (index >= 0) {
          const shown = this.tickets[index]!;
          if (shown.version > ticket.version) return;
          if (shown.version === ticket.version && message.type !== 'comment.created') return;
          const tickets = [...this.tickets];
          // The stream's ticket has no list-field values: the shown ones stay until the list is read again.
          tickets[index] = { ...ticket, snippet: shown.snippet, fields: shown.fields };
          this.tickets = tickets;
          if (message.actorId !== this.#session.value?.id) this.#highlight(ticket.id);
          return;
        }
        const state = this.#state;
        const inView = state.view ? (message.viewIds ?? []).includes(state.view) : false;
        const unfiltered = !state.view && !state.q && !state.status && !state.priority && !state.assigneeId;
        if (inView || (unfiltered && message.type === 'ticket.created')) this.fresh = new Set([...this.fresh, ticket.id]);
        return;
      }
      case 'ticket.deleted':
        if (this.tickets.some((t) => t.id === message.ticketId)) {
          this.tickets = this.tickets.filter((t) => t.id !== message.ticketId);
          this.#listen();
        }
        return;
      case 'stream.reconnected':
        // Whatever changed while the connection was down was missed: read the list again.
        void this.#load(false);
        return;
    }
  }

  #highlight(id: string): void {
    this.changed = new Set([...this.changed, id]);
    if (this.#fade) clearTimeout(this.#fade);
    this.#fade = setTimeout(() => {
      this.changed = new Set();
    }, 4000);
  }

  updated(): void {
    this.toggleAttribute('data-live', this.#live.live);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.#fade) clearTimeout(this.#fade);
    if (this.#follow) clearTimeout(this.#follow);
  }

  #changeFilters(event: CustomEvent<Partial<Record<keyof ListState, string>>>): void {
    const next: ListState = { ...this.#state };
    for (const [key, value] of Object.entries(event.detail) as [keyof ListState, string][]) {
      if (value) next[key] = value;
      else delete next[key];
    }
    // Relevance is the default with words to search for; other sorts stay as chosen.
    if ('q' in event.detail && !next.q && next.sort === undefined) delete next.sort;
    Router.go(`/admin/tickets${searchFromState(next)}`);
  }

  #changeColumns(event: CustomEvent<string[]>): void {
    const added = event.detail.some((name) => !this.columns.includes(name));
    this.columns = event.detail;
    writeColumns(this.columns);
    // A column sorted by and then hidden stops sorting; a new column needs its values.
    const sorted = this.#state.sort?.replace(/^-/, '');
    if (sorted && this.listFields.some((f) => f.name === sorted) && !this.columns.includes(sorted)) {
      const next = { ...this.#state };
      delete next.sort;
      Router.go(`/admin/tickets${searchFromState(next)}`);
    } else if (added) void this.#load(false);
  }

  #sortBy(event: CustomEvent<string>): void {
    Router.go(`/admin/tickets${searchFromState({ ...this.#state, sort: event.detail })}`);
  }

  #bulkDone(event: CustomEvent<{ message: string }>): void {
    this.notice = event.detail.message;
    this.selected = new Set();
    void this.#load(false);
    void this.renderRoot.querySelector('to-view-list')?.refresh();
  }

  render() {
    const state = this.#state;
    const view = state.view ? this.views.find((v) => v.id === state.view) : undefined;
    const me = this.#session.value ?? null;
    // Columns only for fields the server still has (a plugin may have been disabled since).
    const columns = this.columns.map((name) => this.listFields.find((f) => f.name === name)).filter((f): f is ListField => f !== undefined);
    const sortField = this.viewPath ? undefined : sortedField(state.sort, this.listFields);
    return html`<aside><to-view-list .active=${state.view ?? ''}></to-view-list></aside>
      <section class="content" aria-labelledby="list-title" aria-busy=${this.loading ? 'true' : 'false'}>
        <div class="heading">
          <h1 id="list-title">${view?.name ?? t('tickets:title')}</h1>
          <span class="meta" role="status">${this.loading ? t('shell:loading') : t('tickets:shown', { count: this.tickets.length })}</span>
          <span class="fresh" role="status"
            >${this.fresh.size > 0
              ? html`<span>${t('tickets:fresh', { count: this.fresh.size })}</span>
                  <wa-button size="small" appearance="outlined" @click=${() => this.#load(false)}>${t('tickets:showFresh')}</wa-button>`
              : null}</span
          >
          <to-column-chooser .fields=${this.listFields} .chosen=${this.columns} @columns-changed=${this.#changeColumns}></to-column-chooser>
        </div>
        ${sortField ? html`<p class="sort-note" data-sort-note>${t('listColumns:sortedNote', { field: fieldLabel(sortField) })}</p>` : null}
        <to-ticket-filters .state=${state} .catalog=${this.catalog} @filters-changed=${this.#changeFilters}></to-ticket-filters>
        ${this.notice ? html`<wa-callout variant="success" role="status">${this.notice}</wa-callout>` : null}
        ${this.error ? html`<wa-callout variant="danger" role="alert">${t('shell:error', { message: this.error })}</wa-callout>` : null}
        ${this.selected.size > 0 && can(me, 'tickets.bulk')
          ? html`<to-bulk-bar
              .ids=${[...this.selected]}
              .priorities=${this.catalog?.priorities ?? []}
              @bulk-done=${this.#bulkDone}
              @clear-selection=${() => {
                this.selected = new Set();
              }}
            ></to-bulk-bar>`
          : null}
        <to-ticket-table
          .tickets=${this.tickets}
          .selected=${this.selected}
          .changed=${this.changed}
          .agents=${this.catalog?.agents ?? []}
          .columns=${columns}
          .sort=${state.sort}
          .sortable=${!this.viewPath}
          @sort-changed=${this.#sortBy}
          @near-end=${this.#loadMore}
          @range-changed=${this.#drawnChanged}
          @selection-changed=${(e: CustomEvent<Set<string>>) => {
            this.selected = e.detail;
            this.notice = '';
          }}
        ></to-ticket-table>
        ${!this.loading && this.tickets.length === 0 ? html`<p class="empty">${t('tickets:empty')}</p>` : null}
        ${this.nextCursor
          ? html`<div class="more"><wa-button ?loading=${this.loading} @click=${this.#loadMore}>${t('tickets:loadMore')}</wa-button></div>`
          : null}
      </section>`;
  }
}

customElements.define('to-ticket-list-page', ToTicketListPage);

declare global {
  interface HTMLElementTagNameMap {
    'to-ticket-list-page': ToTicketListPage;
  }
}
