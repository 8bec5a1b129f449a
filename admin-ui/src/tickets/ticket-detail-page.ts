import { ContextConsumer } from '@lit/context';
import { Router, type RouterLocation } from '@vaadin/router';
import { LitElement, type PropertyValues, html } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { ApiError } from '../api/client.ts';
import { apiContext, can, sessionContext } from '../api/context.ts';
import type { CommentMessage, PresenceUser, StreamMessage, TicketMessage } from '../api/stream.ts';
import { StreamController } from '../api/stream-controller.ts';
import type { Comment, Page } from '../api/types.ts';
import { loadPanels } from '../plugins/panels.ts';
import { I18nController } from '../i18n/controller.ts';
import { i18n, t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { ShortcutController } from '../shell/shortcuts.ts';
import { type Catalog, loadCatalog } from './catalog.ts';
import { CATEGORY_VARIANT, formatDate } from './format.ts';
import { LAST_LIST_KEY } from './list-query.ts';
import { knownUser, userById } from './people.ts';
import './comment-composer.ts';
import { conversationEntryStyles, renderEntry } from './conversation-entry.ts';
import './ticket-fields.ts';
import './detail/history-panel.ts';
import './detail/links-panel.ts';
import './detail/merge-split-panel.ts';
import './detail/ticket-details-form.ts';
import './detail/time-panel.ts';
import { MarkdownController, markdownStyles } from './detail/markdown-view.ts';
import { FIRST_COMMENTS, readTicket, takeEarlyReading } from './detail/early-read.ts';
import { MessageBodies } from './detail/message-bodies.ts';
import type { DetailTicket } from './detail/ticket-api.ts';
import { neighbour } from './detail/neighbours.ts';
import { detailPageStyles } from './detail/page-styles.ts';
import '../plugins/zone.ts';

/** The page's one-column layout (`detail/page-styles.ts`), where the sidebar is above the conversation. */
const ONE_COLUMN = window.matchMedia('(max-width: 60rem)');

/**
 * `<to-ticket-detail-page>` (`/admin/tickets/:id`): the ticket's conversation — description,
 * public replies and internal notes — with the composer below it and the fields beside it.
 * Live: the ticket is subscribed on the stream, so changes and messages by others appear as they
 * happen; this user's presence is announced (viewing, or replying while the composer holds text)
 * and the other agents' presence is shown above the conversation. The sidebar holds the fields,
 * the type's custom fields, links, merge and split, and time; the history folds out under the
 * conversation. Shortcuts: `r` reply, `n` note, `a` assign to me, `t` timer, `h` history, `j` / `k`
 * next / previous ticket of the list.
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
    historyOpen: { state: true },
    entryPanels: { state: true },
    rest: { state: true },
  };
  static styles = [sharedStyles, markdownStyles, conversationEntryStyles, detailPageStyles];

  declare location: RouterLocation | undefined;
  declare ticket: DetailTicket | null;
  declare comments: Comment[];
  declare nextCursor: string | null;
  declare catalog: Catalog | null;
  declare error: string | null;
  /** Other agents on this ticket now (from `presence`). */
  declare others: PresenceUser[];
  /** The last change someone else made while the page was open ("Ben changed priority"). */
  declare liveNote: string;
  declare deleted: boolean;
  declare historyOpen: boolean;
  /** Whether a plugin has panels under each message (`comment.attachments`). */
  declare entryPanels: boolean;
  /**
   * The parts besides the conversation (sidebar, composer, history) are drawn: one frame after the
   * conversation, so the messages an agent opened the ticket for are painted first (beside each
   * other; in one column, at once).
   */
  declare rest: boolean;
  #id = '';
  /** Bumped when a message body or an author's name becomes ready, so the conversation is drawn again. */
  #drawn = 0;
  #replying = false;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #session = new ContextConsumer(this, { context: sessionContext });
  readonly #live = new StreamController(this, (message) => this.#onStream(message));
  readonly #description = new MarkdownController(this);
  readonly #bodies = new MessageBodies(
    () => this.#api.value!,
    () => this.#redraw(),
  );

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
    this.historyOpen = false;
    this.entryPanels = false;
    this.rest = false;
    new I18nController(this);
    const compose = (kind: 'reply' | 'note') => (event: KeyboardEvent) => {
      const composer = this.renderRoot.querySelector('to-comment-composer');
      if (!composer) return;
      event.preventDefault();
      void composer.compose(kind);
    };
    const run = (selector: 'to-ticket-fields' | 'to-ticket-time', action: (el: any) => unknown) => (event: KeyboardEvent) => {
      const el = this.renderRoot.querySelector(selector);
      if (!el) return;
      event.preventDefault();
      void action(el);
    };
    new ShortcutController(this, {
      r: compose('reply'),
      n: compose('note'),
      a: run('to-ticket-fields', (fields) => fields.assignToMe()),
      t: run('to-ticket-time', (time) => time.toggleTimer()),
      j: (event) => {
        event.preventDefault();
        void this.#goNeighbour(1);
      },
      k: (event) => {
        event.preventDefault();
        void this.#goNeighbour(-1);
      },
      h: (event) => {
        event.preventDefault();
        this.historyOpen = !this.historyOpen;
      },
    });
  }

  connectedCallback(): void {
    super.connectedCallback();
    loadPanels(this.#api.value!).then(
      (panels) => {
        this.entryPanels = panels.some((panel) => panel.zone === 'comment.attachments');
      },
      () => {},
    );
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
      // In one column the sidebar comes first: drawing it late would push the conversation down.
      this.rest = ONE_COLUMN.matches;
      this.comments = [];
      this.#bodies.clear();
      this.others = [];
      this.liveNote = '';
      this.deleted = false;
      this.#replying = false;
      this.#live.listen([{ ticketId: id }]);
      // Presence is for agents (staff who may read internal notes).
      this.#live.presence(can(this.#session.value, 'tickets.notes.read') ? id : null, 'viewing');
      void this.#load(takeEarlyReading(this.#api.value!, id));
    }
    // Bodies are rendered before the entries are drawn, in one batch, so they appear in one frame.
    if (changed.has('comments')) this.#bodies.render(this.comments);
  }

  #redraw(): void {
    this.#drawn++;
    this.requestUpdate();
  }

  /** The author's name if it is known now; otherwise it is read and the conversation drawn again. */
  #author(id: string): string | null {
    const api = this.#api.value!;
    const user = knownUser(api, id);
    if (user !== undefined) return user?.name ?? id;
    void userById(api, id).then(() => this.#redraw());
    return null;
  }

  /** Reads the ticket and its first messages (or takes the reading the list started when the link was pressed). */
  async #load(early: ReturnType<typeof takeEarlyReading> = null): Promise<void> {
    const api = this.#api.value!;
    const id = this.#id;
    this.error = null;
    try {
      const [ticket, page] = await (early ?? readTicket(api, id));
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
        // Links and time are not part of the ticket: what another agent did there is read again.
        if (message.actorId && message.actorId !== me) {
          void this.renderRoot.querySelector('to-ticket-links')?.reload();
          void this.renderRoot.querySelector('to-ticket-time')?.reload();
        }
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

  /** `j` / `k`: the next or previous ticket of the list the agent came from. */
  async #goNeighbour(step: 1 | -1): Promise<void> {
    const id = await neighbour(this.#api.value!, this.#id, step).catch(() => null);
    if (id) Router.go(`/admin/tickets/${id}`);
    else this.liveNote = t(step === 1 ? 'ticketDetail:lastInList' : 'ticketDetail:firstInList');
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
    if (this.ticket && !this.rest) {
      const id = this.#id;
      // A task queued from the frame's callback runs once that frame is painted.
      requestAnimationFrame(() =>
        setTimeout(() => {
          if (id === this.#id) this.rest = true;
        }),
      );
    }
  }

  async #loadMore(): Promise<void> {
    if (!this.nextCursor) return;
    const page = await this.#api.value!.get<Page<Comment>>(`/tickets/${encodeURIComponent(this.#id)}/comments`, { limit: FIRST_COMMENTS, cursor: this.nextCursor });
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
              ${this.#description.render(ticket.description)}
            </div>`
          : null}
        ${this.comments.length === 0 ? html`<p class="meta">${t('ticket:noComments')}</p>` : null}
        <ol>
          ${guard([this.comments, this.#drawn, this.entryPanels, i18n.language], () =>
            repeat(
              this.comments,
              (c) => c.id,
              (c) => html`<li>${renderEntry({ comment: c, author: c.authorId ? this.#author(c.authorId) : null, body: this.#bodies.get(c), panels: this.entryPanels })}</li>`,
            ),
          )}
        </ol>
        ${this.nextCursor ? html`<wa-button appearance="outlined" @click=${this.#loadMore}>${t('ticket:loadEarlier')}</wa-button>` : null}
        ${!this.rest ? null : can(me, 'tickets.comment')
          ? html`<to-comment-composer
              .ticketId=${ticket.id}
              .ticket=${ticket}
              .canNote=${can(me, 'tickets.notes.write')}
              @comment-added=${(e: CustomEvent<Comment>) => this.#addComment(e.detail)}
              @draft-changed=${this.#draftChanged}
            ></to-comment-composer>`
          : null}
        ${this.rest
          ? html`<details class="history" .open=${this.historyOpen} @toggle=${(e: Event) => (this.historyOpen = (e.target as HTMLDetailsElement).open)}>
              <summary>${t('ticketDetail:history.title')}</summary>
              ${this.historyOpen ? html`<to-ticket-history .ticketId=${ticket.id} .version=${ticket.version}></to-ticket-history>` : null}
            </details>`
          : null}
      </section>
      <aside
        aria-label=${t('ticketDetail:sidebar')}
        @ticket-changed=${(e: CustomEvent<DetailTicket>) => {
          this.ticket = e.detail;
        }}
        @ticket-stale=${() => this.#load()}
        @ticket-refresh=${() => this.#load()}
      >
        ${this.rest
          ? html`<to-ticket-fields .ticket=${ticket} .catalog=${this.catalog}></to-ticket-fields>
              <to-ticket-details-form .ticket=${ticket}></to-ticket-details-form>
              <to-ticket-links .ticket=${ticket}></to-ticket-links>
              <to-ticket-merge-split .ticket=${ticket} .comments=${this.comments}></to-ticket-merge-split>
              <to-ticket-time .ticketId=${ticket.id}></to-ticket-time>
              <to-zone zone="ticket.sidebar" .ticket=${ticket}></to-zone>`
          : null}
      </aside>`;
  }
}

customElements.define('to-ticket-detail-page', ToTicketDetailPage);

declare global {
  interface HTMLElementTagNameMap {
    'to-ticket-detail-page': ToTicketDetailPage;
  }
}
