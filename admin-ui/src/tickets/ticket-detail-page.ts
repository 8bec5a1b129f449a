import { ContextConsumer } from '@lit/context';
import type { RouterLocation } from '@vaadin/router';
import { LitElement, type PropertyValues, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ApiError } from '../api/client.ts';
import { apiContext, can, sessionContext } from '../api/context.ts';
import type { CommentMessage, PresenceUser, StreamMessage, TicketMessage } from '../api/stream.ts';
import { StreamController } from '../api/stream-controller.ts';
import type { Comment, Page, Ticket } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { ShortcutController } from '../shell/shortcuts.ts';
import { type Catalog, loadCatalog } from './catalog.ts';
import { CATEGORY_VARIANT, formatDate } from './format.ts';
import { LAST_LIST_KEY } from './list-query.ts';
import { userById } from './people.ts';
import './comment-composer.ts';
import './conversation-entry.ts';
import './ticket-fields.ts';
import '../plugins/zone.ts';

/**
 * `<to-ticket-detail-page>` (`/admin/tickets/:id`): the ticket's conversation — description,
 * public replies and internal notes — with the composer below it and the fields beside it.
 * Live: the ticket is subscribed on the stream, so changes and messages by others appear as they
 * happen; this user's presence is announced (viewing, or replying while the composer holds text)
 * and the other agents' presence is shown above the conversation.
 */
export class ToTicketDetailPage extends LitElement {
  static properties = {
    location: { attribute: false },
    ticket: { state: true },
    comments: { state: true },
    nextCursor: { state: true },
    catalog: { state: true },
    error: { state: true },
    others: { state: true },
    liveNote: { state: true },
    deleted: { state: true },
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
      .presence {
        display: flex;
        flex-wrap: wrap;
        gap: var(--wa-space-xs);
        margin: 0;
        font-size: var(--wa-font-size-s);
      }
      .presence .replying {
        font-weight: var(--wa-font-weight-semibold);
        color: var(--wa-color-warning-on-quiet);
        background: var(--wa-color-warning-fill-quiet);
        border: var(--wa-border-width-s) solid var(--wa-color-warning-border-quiet);
        border-radius: var(--wa-border-radius-pill);
        padding: 0 var(--wa-space-xs);
      }
      .presence .viewing {
        color: var(--wa-color-text-quiet);
      }
      .live {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--wa-space-xs) var(--wa-space-m);
      }
      .live-note {
        margin: 0;
        font-size: var(--wa-font-size-s);
        color: var(--wa-color-text-quiet);
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
  /** Other agents on this ticket now (from `presence`). */
  declare others: PresenceUser[];
  /** The last change someone else made while the page was open ("Ben changed priority"). */
  declare liveNote: string;
  declare deleted: boolean;
  #id = '';
  #replying = false;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #session = new ContextConsumer(this, { context: sessionContext });
  readonly #live = new StreamController(this, (message) => this.#onStream(message));

  constructor() {
    super();
    this.ticket = null;
    this.comments = [];
    this.nextCursor = null;
    this.catalog = null;
    this.error = null;
    this.others = [];
    this.liveNote = '';
    this.deleted = false;
    new I18nController(this);
    const compose = (kind: 'reply' | 'note') => (event: KeyboardEvent) => {
      const composer = this.renderRoot.querySelector('to-comment-composer');
      if (!composer) return;
      event.preventDefault();
      void composer.compose(kind);
    };
    new ShortcutController(this, { r: compose('reply'), n: compose('note') });
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
      this.others = [];
      this.liveNote = '';
      this.deleted = false;
      this.#replying = false;
      this.#live.listen([{ ticketId: id }]);
      // Presence is for agents (staff who may read internal notes).
      this.#live.presence(can(this.#session.value, 'tickets.notes.read') ? id : null, 'viewing');
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

  /** Adds a message unless it is there already (the stream and the composer both bring this user's own). */
  #addComment(comment: Comment): void {
    if (this.nextCursor || this.comments.some((c) => c.id === comment.id)) return;
    this.comments = [...this.comments, comment];
  }

  #onStream(message: StreamMessage): void {
    if (message.type === 'stream.reconnected') {
      if (this.#id) void this.#load();
      return;
    }
    if (!('ticketId' in message) || message.ticketId !== this.#id) return;
    const me = this.#session.value?.id;
    switch (message.type) {
      case 'presence':
        this.others = message.users.filter((user) => user.userId !== me);
        return;
      case 'ticket.updated':
      case 'comment.created': {
        if (message.ticket && this.ticket && message.ticket.version >= this.ticket.version) this.ticket = message.ticket;
        if (message.type === 'comment.created' && message.comment) this.#addComment(message.comment);
        if (message.actorId && message.actorId !== me) void this.#tell(message);
        return;
      }
      case 'ticket.deleted':
        this.deleted = true;
        return;
    }
  }

  /** Says who changed what, in the polite status line under the title. */
  async #tell(message: TicketMessage | CommentMessage): Promise<void> {
    const user = await userById(this.#api.value!, message.actorId!);
    const name = user?.name ?? t('ticket:someone');
    if (message.type === 'comment.created') {
      this.liveNote = t(message.comment?.internal ? 'ticket:liveNoted' : 'ticket:liveReplied', { name });
    } else {
      const fields = (message.changes ?? []).map((field) => t(`ticket:field.${field}`, { defaultValue: field }));
      this.liveNote = t('ticket:liveChanged', { name, fields: new Intl.ListFormat(document.documentElement.lang || 'en').format(fields) });
    }
  }

  #draftChanged(event: CustomEvent<{ hasText: boolean }>): void {
    if (event.detail.hasText === this.#replying || !can(this.#session.value, 'tickets.notes.read')) return;
    this.#replying = event.detail.hasText;
    this.#live.presence(this.#id, this.#replying ? 'replying' : 'viewing');
  }

  #renderPresence() {
    const lang = document.documentElement.lang || 'en';
    const names = (state: string) => this.others.filter((u) => u.state === state).map((u) => u.name);
    const list = (items: string[]) => new Intl.ListFormat(lang).format(items);
    const replying = names('replying');
    const viewing = names('viewing');
    return html`<p class="presence" role="status" aria-live="polite">
      ${replying.length ? html`<span class="replying" data-presence="replying">✎ ${t('ticket:presenceReplying', { names: list(replying), count: replying.length })}</span>` : null}
      ${viewing.length ? html`<span class="viewing" data-presence="viewing">${t('ticket:presenceViewing', { names: list(viewing), count: viewing.length })}</span>` : null}
    </p>`;
  }

  updated(): void {
    this.toggleAttribute('data-live', this.#live.live);
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
          <wa-badge data-field="status" variant=${CATEGORY_VARIANT[ticket.statusCategory] ?? 'neutral'} appearance="filled-outlined">${ticket.status}</wa-badge>
          <to-zone zone="ticket.toolbar" .ticket=${ticket}></to-zone>
        </div>
        ${this.deleted ? html`<wa-callout variant="warning" role="alert">${t('ticket:deleted')}</wa-callout>` : null}
        <div class="live">${this.#renderPresence()}<p class="live-note" role="status">${this.liveNote}</p></div>
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
              @comment-added=${(e: CustomEvent<Comment>) => this.#addComment(e.detail)}
              @draft-changed=${this.#draftChanged}
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
        <to-zone zone="ticket.sidebar" .ticket=${ticket}></to-zone>
      </aside>`;
  }
}

customElements.define('to-ticket-detail-page', ToTicketDetailPage);

declare global {
  interface HTMLElementTagNameMap {
    'to-ticket-detail-page': ToTicketDetailPage;
  }
}
