import { ContextConsumer } from '@lit/context';
import type { RouterLocation } from '@vaadin/router';
import { LitElement, type PropertyValues, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ApiError } from '../api/client.ts';
import { apiContext, can, sessionContext } from '../api/context.ts';
import type { Comment, Page, Ticket } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { type Catalog, loadCatalog } from './catalog.ts';
import { CATEGORY_VARIANT, formatDate } from './format.ts';
import { LAST_LIST_KEY } from './list-query.ts';
import './comment-composer.ts';
import './conversation-entry.ts';
import './ticket-fields.ts';

/**
 * `<to-ticket-detail-page>` (`/admin/tickets/:id`): the ticket's conversation — description,
 * public replies and internal notes — with the composer below it and the fields beside it.
 */
export class ToTicketDetailPage extends LitElement {
  static properties = {
    location: { attribute: false },
    ticket: { state: true },
    comments: { state: true },
    nextCursor: { state: true },
    catalog: { state: true },
    error: { state: true },
  };
  static styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1fr) 16rem;
        grid-template-areas: 'head head' 'talk side';
        gap: var(--wa-space-l);
        align-items: start;
      }
      .head {
        grid-area: head;
        display: grid;
        gap: var(--wa-space-xs);
      }
      .title {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--wa-space-s);
      }
      .number {
        color: var(--wa-color-text-quiet);
        font-weight: var(--wa-font-weight-normal);
      }
      .talk {
        grid-area: talk;
        display: grid;
        gap: var(--wa-space-m);
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--wa-space-m);
      }
      .description {
        border-left: var(--wa-border-width-l) solid var(--wa-color-brand-border-normal);
        padding: var(--wa-space-s) var(--wa-space-m);
        background: var(--wa-color-surface-lowered);
        border-radius: var(--wa-border-radius-m);
      }
      .description p {
        white-space: pre-wrap;
        margin: var(--wa-space-xs) 0 0;
      }
      .meta {
        color: var(--wa-color-text-quiet);
        font-size: var(--wa-font-size-s);
      }
      aside {
        grid-area: side;
        position: sticky;
        top: var(--wa-space-m);
        padding: var(--wa-space-m);
        border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        border-radius: var(--wa-border-radius-l);
        background: var(--wa-color-surface-raised);
      }
      @media (max-width: 60rem) {
        :host {
          grid-template-columns: 1fr;
          grid-template-areas: 'head' 'side' 'talk';
        }
        aside {
          position: static;
        }
      }
    `,
  ];

  declare location: RouterLocation | undefined;
  declare ticket: Ticket | null;
  declare comments: Comment[];
  declare nextCursor: string | null;
  declare catalog: Catalog | null;
  declare error: string | null;
  #id = '';
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #session = new ContextConsumer(this, { context: sessionContext });

  constructor() {
    super();
    this.ticket = null;
    this.comments = [];
    this.nextCursor = null;
    this.catalog = null;
    this.error = null;
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    loadCatalog(this.#api.value!, this.#session.value ?? null).then(
      (catalog) => {
        this.catalog = catalog;
      },
      () => {},
    );
  }

  willUpdate(changed: PropertyValues<this>): void {
    const id = String(this.location?.params.id ?? '');
    if (changed.has('location') && id && id !== this.#id) {
      this.#id = id;
      this.ticket = null;
      this.comments = [];
      void this.#load();
    }
  }

  async #load(): Promise<void> {
    const api = this.#api.value!;
    const id = this.#id;
    this.error = null;
    try {
      const [ticket, page] = await Promise.all([
        api.get<Ticket>(`/tickets/${encodeURIComponent(id)}`),
        api.get<Page<Comment>>(`/tickets/${encodeURIComponent(id)}/comments`, { limit: 100 }),
      ]);
      if (id !== this.#id) return;
      this.ticket = ticket;
      this.comments = page.items;
      this.nextCursor = page.nextCursor ?? null;
      document.title = `#${ticket.number} ${ticket.title} · TicketOps`;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) this.error = (error as Error).message;
    }
  }

  async #loadMore(): Promise<void> {
    if (!this.nextCursor) return;
    const page = await this.#api.value!.get<Page<Comment>>(`/tickets/${encodeURIComponent(this.#id)}/comments`, { limit: 100, cursor: this.nextCursor });
    this.comments = [...this.comments, ...page.items];
    this.nextCursor = page.nextCursor ?? null;
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    document.title = 'TicketOps';
  }

  render() {
    const back = `/admin/tickets${sessionStorage.getItem(LAST_LIST_KEY) ?? ''}`;
    if (this.error) {
      return html`<div class="head">
        <a href=${back}>← ${t('ticket:back')}</a>
        <wa-callout variant="danger" role="alert">${t('shell:error', { message: this.error })}</wa-callout>
      </div>`;
    }
    const ticket = this.ticket;
    if (!ticket) return html`<div class="head" role="status"><wa-spinner aria-label=${t('shell:loading')}></wa-spinner></div>`;
    const me = this.#session.value ?? null;
    return html`<div class="head">
        <a href=${back}>← ${t('ticket:back')}</a>
        <div class="title">
          <h1><span class="number">#${ticket.number}</span> ${ticket.title}</h1>
          <wa-badge variant=${CATEGORY_VARIANT[ticket.statusCategory] ?? 'neutral'} appearance="filled-outlined">${ticket.status}</wa-badge>
        </div>
      </div>
      <section class="talk" aria-labelledby="conversation-title">
        <h2 id="conversation-title" class="visually-hidden">${t('ticket:conversation')}</h2>
        ${ticket.description
          ? html`<div class="description">
              <span class="meta">${t('ticket:description')} · ${formatDate(ticket.createdAt)}</span>
              <p>${ticket.description}</p>
            </div>`
          : null}
        ${this.comments.length === 0 ? html`<p class="meta">${t('ticket:noComments')}</p>` : null}
        <ol>
          ${repeat(
            this.comments,
            (c) => c.id,
            (c) => html`<li><to-conversation-entry .comment=${c}></to-conversation-entry></li>`,
          )}
        </ol>
        ${this.nextCursor ? html`<wa-button appearance="outlined" @click=${this.#loadMore}>${t('ticket:loadEarlier')}</wa-button>` : null}
        ${can(me, 'tickets.comment')
          ? html`<to-comment-composer
              .ticketId=${ticket.id}
              .canNote=${can(me, 'tickets.notes.write')}
              @comment-added=${(e: CustomEvent<Comment>) => {
                if (!this.nextCursor) this.comments = [...this.comments, e.detail];
              }}
            ></to-comment-composer>`
          : null}
      </section>
      <aside aria-label=${t('ticket:fields')}>
        <to-ticket-fields
          .ticket=${ticket}
          .catalog=${this.catalog}
          @ticket-changed=${(e: CustomEvent<Ticket>) => {
            this.ticket = e.detail;
          }}
          @ticket-stale=${() => this.#load()}
        ></to-ticket-fields>
      </aside>`;
  }
}

customElements.define('to-ticket-detail-page', ToTicketDetailPage);

declare global {
  interface HTMLElementTagNameMap {
    'to-ticket-detail-page': ToTicketDetailPage;
  }
}
