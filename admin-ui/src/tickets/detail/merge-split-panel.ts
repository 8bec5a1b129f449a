import '@awesome.me/webawesome/dist/components/checkbox/checkbox.js';
import { ContextConsumer } from '@lit/context';
import { LitElement, html } from 'lit';
import { apiContext, can, sessionContext } from '../../api/context.ts';
import type { Comment, Ticket } from '../../api/types.ts';
import { I18nController } from '../../i18n/controller.ts';
import { t } from '../../i18n/i18n.ts';
import { sharedStyles } from '../../shell/shared-styles.ts';
import { panelStyles } from './panel-styles.ts';
import { type DetailTicket, isSignedOut } from './ticket-api.ts';
import './ticket-picker.ts';

/**
 * `<to-ticket-merge-split>`: merging other tickets into this one (pick them, confirm, and undo
 * right after with `unmerge`; a merged ticket offers its own undo), and splitting chosen messages
 * off into a new, linked ticket (undone with `unsplit`). Fires `ticket-refresh` after each, so the
 * page reads the ticket and its conversation again.
 */
export class ToTicketMergeSplit extends LitElement {
  static properties = {
    ticket: { attribute: false },
    comments: { attribute: false },
    chosen: { state: true },
    confirming: { state: true },
    merged: { state: true },
    split: { state: true },
    selected: { state: true },
    splitOpen: { state: true },
    message: { state: true },
    busy: { state: true },
  };
  static styles = [sharedStyles, panelStyles];

  declare ticket: DetailTicket;
  declare comments: Comment[];
  /** Tickets picked to merge into this one. */
  declare chosen: Ticket[];
  declare confirming: boolean;
  /** Tickets merged into this one just now (undo offered). */
  declare merged: Ticket[];
  /** The ticket split off just now (undo offered). */
  declare split: Ticket | null;
  /** Comment ids chosen to split off. */
  declare selected: Set<string>;
  /** The split form is open: only then are its choices drawn (a control per message is a lot to draw with every ticket). */
  declare splitOpen: boolean;
  declare message: string;
  declare busy: boolean;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #session = new ContextConsumer(this, { context: sessionContext });
  #shownId = '';

  constructor() {
    super();
    this.comments = [];
    this.chosen = [];
    this.confirming = false;
    this.merged = [];
    this.split = null;
    this.selected = new Set();
    this.splitOpen = false;
    this.message = '';
    this.busy = false;
    new I18nController(this);
  }

  willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('ticket') && this.ticket && this.ticket.id !== this.#shownId) {
      this.#shownId = this.ticket.id;
      this.chosen = [];
      this.confirming = false;
      this.merged = [];
      this.split = null;
      this.selected = new Set();
      this.splitOpen = false;
      this.message = '';
    }
  }

  async #run(action: () => Promise<string>): Promise<void> {
    this.busy = true;
    this.message = '';
    try {
      this.message = await action();
      this.dispatchEvent(new CustomEvent('ticket-refresh', { bubbles: true, composed: true }));
    } catch (error) {
      if (!isSignedOut(error)) this.message = t('shell:error', { message: (error as Error).message });
    } finally {
      this.busy = false;
    }
  }

  #post<T>(path: string, body?: unknown): Promise<T> {
    return this.#api.value!.post<T>(path, body);
  }

  #merge(): Promise<void> {
    const sources = this.chosen;
    return this.#run(async () => {
      await this.#post(`/tickets/${this.ticket.id}/merge`, { ticketIds: sources.map((s) => s.id) });
      this.merged = sources;
      this.chosen = [];
      this.confirming = false;
      return t('ticketDetail:merge.done', { numbers: sources.map((s) => `#${s.number}`).join(', ') });
    });
  }

  #unmerge(sources: { id: string; number?: number }[]): Promise<void> {
    return this.#run(async () => {
      for (const source of sources) await this.#post(`/tickets/${source.id}/unmerge`);
      this.merged = [];
      return t('ticketDetail:merge.undone');
    });
  }

  #split(): Promise<void> {
    const commentIds = this.comments.filter((c) => this.selected.has(c.id)).map((c) => c.id);
    const title = ((this.renderRoot.querySelector('wa-input[name="splitTitle"]') as HTMLInputElement | null)?.value ?? '').trim();
    return this.#run(async () => {
      this.split = await this.#post<Ticket>(`/tickets/${this.ticket.id}/split`, { commentIds, ...(title ? { title } : {}) });
      this.selected = new Set();
      return t('ticketDetail:split.done', { number: this.split.number });
    });
  }

  #unsplit(): Promise<void> {
    const made = this.split!;
    return this.#run(async () => {
      await this.#post(`/tickets/${made.id}/unsplit`);
      this.split = null;
      return t('ticketDetail:split.undone', { number: made.number });
    });
  }

  #toggle(id: string, on: boolean): void {
    const next = new Set(this.selected);
    if (on) next.add(id);
    else next.delete(id);
    this.selected = next;
  }

  #renderMerge() {
    const ticket = this.ticket;
    if (ticket.mergedIntoId) {
      return html`<p data-merged-into>${t('ticketDetail:merge.isMerged')}
        <a href=${`/admin/tickets/${ticket.mergedIntoId}`}>${t('ticketDetail:merge.openTarget')}</a>
        <wa-button size="small" ?loading=${this.busy} @click=${() => this.#unmerge([{ id: ticket.id }])}>${t('ticketDetail:merge.undo')}</wa-button>
      </p>`;
    }
    return html`<details>
      <summary>${t('ticketDetail:merge.title')}</summary>
      <to-ticket-picker
        label=${t('ticketDetail:merge.find')}
        .exceptId=${ticket.id}
        @ticket-picked=${(e: CustomEvent<Ticket>) => {
          if (!this.chosen.some((c) => c.id === e.detail.id)) this.chosen = [...this.chosen, e.detail];
          this.confirming = false;
        }}
      ></to-ticket-picker>
      ${this.chosen.length
        ? html`<ul class="items" aria-label=${t('ticketDetail:merge.chosen')}>
              ${this.chosen.map(
                (c) => html`<li>
                  #${c.number} ${c.title}
                  <wa-button size="small" appearance="plain" @click=${() => (this.chosen = this.chosen.filter((x) => x.id !== c.id))}>${t('ticketDetail:merge.drop')}<span class="visually-hidden"> #${c.number}</span></wa-button>
                </li>`,
              )}
            </ul>
            ${this.confirming
              ? html`<p role="alert">${t('ticketDetail:merge.confirmText', { numbers: this.chosen.map((c) => `#${c.number}`).join(', '), target: `#${ticket.number}` })}</p>
                  <div class="row">
                    <wa-button variant="danger" ?loading=${this.busy} @click=${this.#merge}>${t('ticketDetail:merge.confirm')}</wa-button>
                    <wa-button appearance="outlined" @click=${() => (this.confirming = false)}>${t('ticketDetail:cancel')}</wa-button>
                  </div>`
              : html`<wa-button variant="warning" @click=${() => (this.confirming = true)}>${t('ticketDetail:merge.start', { count: this.chosen.length })}</wa-button>`}`
        : null}
    </details>`;
  }

  #renderSplit() {
    if (!this.comments.length) return null;
    // Mention tokens are long and say nothing here: shown as a bare "@".
    const excerpt = (c: Comment) => {
      const text = c.body.replace(/@(user|group):[a-z]+_[a-z0-9]+/g, '@…');
      return text.length > 60 ? `${text.slice(0, 60)}…` : text;
    };
    return html`<details .open=${this.splitOpen} @toggle=${(e: Event) => (this.splitOpen = (e.target as HTMLDetailsElement).open)}>
      <summary>${t('ticketDetail:split.title')}</summary>
      ${this.splitOpen
        ? html`<fieldset class="choices">
              <legend>${t('ticketDetail:split.choose')}</legend>
              ${this.comments.map(
                (c) => html`<wa-checkbox data-comment=${c.id} .checked=${this.selected.has(c.id)} @change=${(e: Event) => this.#toggle(c.id, (e.target as HTMLInputElement).checked)}>
                  ${c.internal ? `${t('ticket:internalNote')}: ` : ''}${excerpt(c)}
                </wa-checkbox>`,
              )}
            </fieldset>
            <wa-input name="splitTitle" label=${t('ticketDetail:split.newTitle')}></wa-input>
            <wa-button variant="warning" ?disabled=${!this.selected.size} ?loading=${this.busy} @click=${this.#split}>${t('ticketDetail:split.start', { count: this.selected.size })}</wa-button>`
        : null}
    </details>`;
  }

  render() {
    if (!this.ticket || !can(this.#session.value, 'tickets.merge')) return null;
    return html`<section aria-labelledby="merge-title">
      <h2 id="merge-title">${t('ticketDetail:merge.heading')}</h2>
      ${this.#renderMerge()} ${this.#renderSplit()}
      ${this.merged.length
        ? html`<wa-button size="small" ?loading=${this.busy} @click=${() => this.#unmerge(this.merged)}>${t('ticketDetail:merge.undo')}</wa-button>`
        : null}
      ${this.split
        ? html`<p>
            <a href=${`/admin/tickets/${this.split.id}`}>${t('ticketDetail:split.open', { number: this.split.number })}</a>
            <wa-button size="small" ?loading=${this.busy} @click=${this.#unsplit}>${t('ticketDetail:split.undo')}</wa-button>
          </p>`
        : null}
      <p class="message" role="status">${this.message}</p>
    </section>`;
  }
}

customElements.define('to-ticket-merge-split', ToTicketMergeSplit);

declare global {
  interface HTMLElementTagNameMap {
    'to-ticket-merge-split': ToTicketMergeSplit;
  }
}
