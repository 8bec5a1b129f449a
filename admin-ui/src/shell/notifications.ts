import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { apiContext, sessionContext } from '../api/context.ts';
import type { StreamMessage, StreamState } from '../api/stream.ts';
import { StreamController } from '../api/stream-controller.ts';
import type { Me, Ticket } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { userById } from '../tickets/people.ts';
import { bellIcon } from './icons.ts';
import { sharedStyles } from './shared-styles.ts';

export interface Notice {
  /** Unique: the kind and what it is about (a comment, a ticket change, a job). */
  key: string;
  kind: 'assigned' | 'mentioned' | 'bulk';
  at: number;
  read: boolean;
  ticketId?: string;
  number?: number;
  title?: string;
  actor?: string;
  done?: number;
  total?: number;
  state?: 'running' | 'completed' | 'failed';
}

const KEEP = 30;
const storageKey = (userId: string) => `ticketops.notifications.${userId}`;

/** True when a comment's text mentions the user: `@user:<id>` (what the console inserts) or `@email`. */
export function mentions(body: string, me: Pick<Me, 'id' | 'email'>): boolean {
  const text = body.toLowerCase();
  return text.includes(`@user:${me.id.toLowerCase()}`) || text.includes(`@${me.email.toLowerCase()}`);
}

/**
 * `<to-notifications>`: the shell's notification area, fed by the stream. It subscribes to "mine"
 * (tickets assigned to or requested by this user) and reads every message the console receives:
 * a ticket assigned to this user by someone else, a comment mentioning this user, and the
 * progress of this user's background bulk changes. A button with the unread count opens the
 * list; new notifications are also announced to screen readers. It shows, too, when the stream
 * is down and being reconnected. Kept in this tab's session storage.
 */
export class ToNotifications extends LitElement {
  static properties = { items: { state: true }, open: { state: true }, streamState: { state: true }, announcement: { state: true } };
  static styles = [
    sharedStyles,
    css`
      :host {
        position: relative;
        display: inline-flex;
        align-items: center;
        gap: var(--wa-space-xs);
      }
      .toggle {
        display: inline-flex;
        align-items: center;
        gap: var(--wa-space-2xs);
        font: inherit;
        color: inherit;
        background: transparent;
        border: var(--wa-border-width-s) solid var(--wa-color-neutral-border-normal);
        border-radius: var(--wa-border-radius-m);
        padding: var(--wa-space-xs) var(--wa-space-s);
        font-size: var(--wa-font-size-m);
        cursor: pointer;
        white-space: nowrap;
      }
      .toggle:hover {
        background: var(--wa-color-neutral-fill-quiet);
      }
      .count {
        font-size: var(--wa-font-size-xs);
        min-width: 1.4em;
        padding: 0 0.35em;
        border-radius: var(--wa-border-radius-pill);
        background: var(--wa-color-danger-fill-loud);
        color: var(--wa-color-danger-on-loud);
        font-weight: var(--wa-font-weight-semibold);
        text-align: center;
      }
      .panel {
        position: absolute;
        top: calc(100% + var(--wa-space-xs));
        right: 0;
        z-index: 20;
        width: min(24rem, 90vw);
        max-height: 70vh;
        overflow: auto;
        background: var(--wa-color-surface-raised);
        border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        border-radius: var(--wa-border-radius-l);
        box-shadow: var(--wa-shadow-l);
        padding: var(--wa-space-s);
      }
      .panel header {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--wa-space-s);
        margin-bottom: var(--wa-space-xs);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--wa-space-2xs);
      }
      li {
        padding: var(--wa-space-xs) var(--wa-space-s);
        border-radius: var(--wa-border-radius-m);
      }
      li.unread {
        background: var(--wa-color-brand-fill-quiet);
      }
      li p {
        margin: 0;
      }
      time {
        font-size: var(--wa-font-size-xs);
        color: var(--wa-color-text-quiet);
      }
      .empty {
        color: var(--wa-color-text-quiet);
        margin: 0;
      }
      .link-button {
        font: inherit;
        font-size: var(--wa-font-size-s);
        background: none;
        border: 0;
        padding: 0;
        color: var(--wa-color-text-link, var(--wa-color-brand-on-quiet));
        text-decoration: underline;
        cursor: pointer;
      }
      .offline {
        font-size: var(--wa-font-size-xs);
        color: var(--wa-color-warning-on-quiet);
        background: var(--wa-color-warning-fill-quiet);
        border-radius: var(--wa-border-radius-pill);
        padding: 0 var(--wa-space-xs);
        white-space: nowrap;
      }
      wa-progress-bar {
        --track-height: 0.4rem;
        margin-top: var(--wa-space-2xs);
      }
      /* On a phone the bell sits at the left: the list spans the screen instead of hanging off it. */
      @media (max-width: 48rem) {
        .panel {
          position: fixed;
          inset: 4rem var(--wa-space-s) auto var(--wa-space-s);
          width: auto;
        }
      }
    `,
  ];

  declare items: Notice[];
  declare open: boolean;
  declare streamState: StreamState;
  declare announcement: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #session = new ContextConsumer(this, { context: sessionContext, subscribe: true });
  readonly #live = new StreamController(
    this,
    (message) => void this.#onStream(message),
    (state) => {
      this.streamState = state;
    },
  );
  readonly #onDocumentClick = (event: MouseEvent) => {
    if (this.open && !event.composedPath().includes(this)) this.open = false;
  };

  constructor() {
    super();
    this.items = [];
    this.open = false;
    this.streamState = 'connecting';
    this.announcement = '';
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.#live.listen([{ mine: true }]);
    this.streamState = this.#live.stream?.state ?? 'stopped';
    const me = this.#session.value;
    if (me) {
      try {
        this.items = JSON.parse(sessionStorage.getItem(storageKey(me.id)) ?? '[]');
      } catch {
        this.items = [];
      }
    }
    document.addEventListener('click', this.#onDocumentClick);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('click', this.#onDocumentClick);
  }

  get unread(): number {
    return this.items.filter((item) => !item.read).length;
  }

  async #onStream(message: StreamMessage): Promise<void> {
    const me = this.#session.value;
    if (!me) return;
    if (message.type === 'bulk.progress') {
      this.#put({ key: `bulk:${message.jobId}`, kind: 'bulk', at: Date.now(), read: false, done: message.done, total: message.total, state: message.state }, message.state !== 'running');
      return;
    }
    if (message.type !== 'ticket.created' && message.type !== 'ticket.updated' && message.type !== 'comment.created') return;
    if (!message.actorId || message.actorId === me.id || !message.ticket) return;
    const ticket: Ticket = message.ticket;
    const about = { ticketId: ticket.id, number: ticket.number, title: ticket.title };
    if (message.type === 'comment.created') {
      const comment = message.comment;
      if (!comment || !mentions(comment.body, me)) return;
      const actor = (await userById(this.#api.value!, message.actorId))?.name;
      this.#put({ key: `mention:${comment.id}`, kind: 'mentioned', at: Date.now(), read: false, actor, ...about }, true);
      return;
    }
    const assignedNow = message.type === 'ticket.created' ? ticket.assigneeId === me.id : (message.changes ?? []).includes('assigneeId') && ticket.assigneeId === me.id;
    if (!assignedNow) return;
    const actor = (await userById(this.#api.value!, message.actorId))?.name;
    this.#put({ key: `assigned:${ticket.id}:${ticket.version}`, kind: 'assigned', at: Date.now(), read: false, actor, ...about }, true);
  }

  /** Adds a notification, or updates the one with the same key (bulk progress); newest first. */
  #put(notice: Notice, announce: boolean): void {
    const others = this.items.filter((item) => item.key !== notice.key);
    this.items = [notice, ...others].slice(0, KEEP);
    const me = this.#session.value;
    if (me) sessionStorage.setItem(storageKey(me.id), JSON.stringify(this.items));
    if (announce) this.announcement = this.#text(notice);
  }

  #text(item: Notice): string {
    const ticket = t('shell:ticketRef', { number: item.number, title: item.title });
    const actor = item.actor ?? t('ticket:someone');
    switch (item.kind) {
      case 'assigned':
        return t('shell:noticeAssigned', { actor, ticket });
      case 'mentioned':
        return t('shell:noticeMentioned', { actor, ticket });
      case 'bulk':
        return item.state === 'completed'
          ? t('shell:noticeBulkDone', { done: item.done, total: item.total })
          : item.state === 'failed'
            ? t('shell:noticeBulkFailed', { done: item.done, total: item.total })
            : t('shell:noticeBulkRunning', { done: item.done, total: item.total });
    }
  }

  #markAllRead(): void {
    this.items = this.items.map((item) => ({ ...item, read: true }));
    const me = this.#session.value;
    if (me) sessionStorage.setItem(storageKey(me.id), JSON.stringify(this.items));
  }

  #opened(item: Notice): void {
    this.open = false;
    this.items = this.items.map((i) => (i.key === item.key ? { ...i, read: true } : i));
    const me = this.#session.value;
    if (me) sessionStorage.setItem(storageKey(me.id), JSON.stringify(this.items));
  }

  #toggle(): void {
    this.open = !this.open;
    if (this.open) void this.updateComplete.then(() => (this.renderRoot.querySelector('.panel') as HTMLElement | null)?.focus());
  }

  #keydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.open) {
      event.stopPropagation();
      this.open = false;
      (this.renderRoot.querySelector('.toggle') as HTMLElement).focus();
    }
  }

  render() {
    const unread = this.unread;
    const offline = this.streamState === 'waiting' || this.streamState === 'stopped';
    return html`${offline ? html`<span class="offline" role="status">${t('shell:streamOffline')}</span>` : null}
      <button
        class="toggle"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="notifications-panel"
        aria-label=${unread ? t('shell:notificationsUnread', { count: unread }) : t('shell:notifications')}
        @click=${this.#toggle}
      >
        ${bellIcon}
        ${unread ? html`<span class="count" aria-hidden="true">${unread}</span>` : null}
      </button>
      <span class="visually-hidden" role="status">${this.announcement}</span>
      ${this.open
        ? html`<section id="notifications-panel" class="panel" role="region" aria-labelledby="notifications-title" tabindex="-1" @keydown=${this.#keydown}>
            <header>
              <h2 id="notifications-title">${t('shell:notifications')}</h2>
              ${unread ? html`<button class="link-button" @click=${this.#markAllRead}>${t('shell:markAllRead')}</button>` : null}
            </header>
            ${this.items.length === 0
              ? html`<p class="empty">${t('shell:noNotifications')}</p>`
              : html`<ul>
                  ${repeat(
                    this.items,
                    (item) => item.key,
                    (item) => html`<li class=${item.read ? '' : 'unread'} data-kind=${item.kind}>
                      <p>
                        ${item.ticketId
                          ? html`<a
                              href="/admin/tickets/${item.ticketId}"
                              @click=${() => this.#opened(item)}
                              >${this.#text(item)}</a
                            >`
                          : this.#text(item)}
                      </p>
                      ${item.kind === 'bulk' && item.total
                        ? html`<wa-progress-bar value=${Math.round(((item.done ?? 0) / item.total) * 100)} label=${this.#text(item)}></wa-progress-bar>`
                        : null}
                      <time datetime=${new Date(item.at).toISOString()}>${new Intl.DateTimeFormat(document.documentElement.lang || 'en', { timeStyle: 'short' }).format(item.at)}</time>
                    </li>`,
                  )}
                </ul>`}
          </section>`
        : null}`;
  }
}

customElements.define('to-notifications', ToNotifications);

declare global {
  interface HTMLElementTagNameMap {
    'to-notifications': ToNotifications;
  }
}
