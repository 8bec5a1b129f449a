import { ContextConsumer } from '@lit/context';
import { LitElement, type PropertyValues, css, html } from 'lit';
import { ApiError } from '../api/client.ts';
import { apiContext, sessionContext } from '../api/context.ts';
import { StreamController } from '../api/stream-controller.ts';
import type { StreamMessage } from '../api/stream.ts';
import type { Comment, Page, Ticket } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import './conversation.ts';
import { formatWhen, statusLabel } from './format.ts';
import './not-found-page.ts';
import './reply-form.ts';
import { pageStyles } from './styles.ts';

/** The request's description as the conversation's first message; its id is the ticket's (see docs/portal.md). */
function descriptionMessage(ticket: Ticket): Comment {
  return { id: ticket.id, ticketId: ticket.id, authorId: ticket.requesterId ?? null, body: ticket.description ?? '', internal: false, createdAt: ticket.createdAt ?? '' };
}

/**
 * `<to-portal-request>` (`/portal/requests/:id`): one request — subject, number, status — with its
 * public conversation and a reply form. Kept current from the stream (a support reply or a status
 * change shows without a reload). A request the customer may not see answers 404 from the API,
 * shown as "Request not found" (never saying whether it exists).
 */
export class ToPortalRequest extends LitElement {
  static properties = {
    ticketId: { attribute: false },
    ticket: { state: true },
    comments: { state: true },
    missing: { state: true },
    failure: { state: true },
    solving: { state: true },
    said: { state: true },
  };
  static styles = [
    sharedStyles,
    pageStyles,
    css`
      .head {
        display: grid;
        gap: var(--wa-space-xs);
      }
      .facts,
      .solve {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--wa-space-s);
      }
    `,
  ];

  declare ticketId: string;
  declare ticket: Ticket | null;
  declare comments: Comment[];
  declare missing: boolean;
  declare failure: string;
  declare solving: boolean;
  /** What the last action did, announced politely (a status region that is always present). */
  declare said: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #session = new ContextConsumer(this, { context: sessionContext, subscribe: true });
  readonly #stream = new StreamController(this, (message) => this.#onStream(message));
  #request = 0;

  constructor() {
    super();
    this.ticketId = '';
    this.ticket = null;
    this.comments = [];
    this.missing = false;
    this.failure = '';
    this.solving = false;
    this.said = '';
    new I18nController(this);
  }

  /** The requester marks the request solved (a later reply reopens it). */
  async #solve(): Promise<void> {
    this.solving = true;
    try {
      this.ticket = await this.#api.value!.post<Ticket>(`/tickets/${encodeURIComponent(this.ticketId)}/solve`);
      this.said = t('portal:request.solvedNow');
    } catch (error) {
      this.said = t('portal:request.solveFailed', { message: (error as Error).message });
    } finally {
      this.solving = false;
    }
  }

  #solveControls(ticket: Ticket) {
    const mine = !!ticket.requesterId && ticket.requesterId === this.#session.value?.id;
    if (ticket.statusCategory === 'solved') return html`<p class="card" data-solved>${t('portal:request.solvedNote')}</p>`;
    if (!mine) return null;
    return html`<div class="solve">
      <wa-button variant="success" appearance="outlined" ?loading=${this.solving} @click=${() => this.#solve()}>${t('portal:request.solve')}</wa-button>
      <span class="quiet">${t('portal:request.solveHint')}</span>
    </div>`;
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('ticketId') && this.ticketId) {
      this.ticket = null;
      this.comments = [];
      this.missing = false;
      this.#stream.listen([{ ticketId: this.ticketId }]);
      void this.#read();
    }
  }

  protected updated(): void {
    // Tests (and curious users of the DOM) can tell when new messages will arrive by themselves.
    this.toggleAttribute('data-live', this.#stream.live && this.ticket !== null);
  }

  async #read(): Promise<void> {
    const request = ++this.#request;
    const api = this.#api.value!;
    try {
      const ticket = await api.get<Ticket>(`/tickets/${encodeURIComponent(this.ticketId)}`);
      const comments: Comment[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<Comment> = await api.get<Page<Comment>>(`/tickets/${encodeURIComponent(this.ticketId)}/comments`, { limit: 500, cursor });
        comments.push(...page.items);
        cursor = page.nextCursor ?? null;
      } while (cursor);
      if (request !== this.#request) return;
      this.ticket = ticket;
      this.comments = comments;
      this.failure = '';
    } catch (error) {
      if (request !== this.#request) return;
      if (error instanceof ApiError && error.status === 404) this.missing = true;
      else this.failure = t('portal:error', { message: (error as Error).message });
    }
  }

  #onStream(message: StreamMessage): void {
    if (!('ticketId' in message) || message.ticketId !== this.ticketId || !this.ticket) return;
    if (message.type === 'ticket.updated' && message.ticket) this.ticket = message.ticket;
    if (message.type === 'comment.created') {
      if (message.ticket) this.ticket = message.ticket;
      const comment = message.comment;
      if (comment && !comment.internal && !this.comments.some((c) => c.id === comment.id)) this.comments = [...this.comments, comment];
    }
    if (message.type === 'ticket.deleted') this.missing = true;
  }

  /** After the customer's own reply: show it at once (the stream's copy is then skipped). */
  #replied(event: CustomEvent<Comment>): void {
    if (!this.comments.some((c) => c.id === event.detail.id)) this.comments = [...this.comments, event.detail];
  }

  render() {
    if (this.missing) return html`<to-portal-not-found request></to-portal-not-found>`;
    if (this.failure) return html`<wa-callout variant="danger" role="alert">${this.failure}</wa-callout>`;
    const ticket = this.ticket;
    if (!ticket) return html`<wa-spinner aria-label=${t('portal:loading')}></wa-spinner>`;
    const closed = ticket.statusCategory === 'closed';
    return html`<div class="page">
      <div class="head">
        <h1>${t('portal:request.title', { number: ticket.number, title: ticket.title })}</h1>
        <div class="facts">
          <span class="quiet">${t('portal:request.status')}:</span>
          <span class="status" data-category=${ticket.statusCategory} data-status>${statusLabel(ticket.statusCategory)}</span>
          <span class="quiet">${t('portal:request.opened', { when: formatWhen(ticket.createdAt) })}</span>
        </div>
      </div>
      <section aria-labelledby="conversation" class="page">
        <h2 id="conversation">${t('portal:request.conversation')}</h2>
        <to-portal-conversation .messages=${[descriptionMessage(ticket), ...this.comments]} me=${this.#session.value?.id ?? ''} requester=${ticket.requesterId ?? ''}></to-portal-conversation>
      </section>
      ${closed
        ? html`<p class="card">${t('portal:request.closedNote')} <a href="/portal/requests/new">${t('portal:newRequest')}</a></p>`
        : html`${this.#solveControls(ticket)}<to-portal-reply-form .ticket=${ticket} @replied=${this.#replied}></to-portal-reply-form>`}
      <p role="status" class="quiet" data-said>${this.said}</p>
    </div>`;
  }
}

customElements.define('to-portal-request', ToPortalRequest);
