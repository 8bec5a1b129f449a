import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { ApiError } from '../api/client.ts';
import { apiContext } from '../api/context.ts';
import type { Comment } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';

type Kind = 'reply' | 'note';
const draftKey = (ticketId: string) => `ticketops.draft.${ticketId}`;

/**
 * `<to-comment-composer>`: writes a public reply or, for staff, an internal note
 * (`POST /tickets/{id}/comments`). The draft is kept in this tab's session storage, so a session
 * that ends mid-sentence loses nothing. Fires `comment-added` with the new comment.
 */
export class ToCommentComposer extends LitElement {
  static properties = { ticketId: { attribute: false }, canNote: { attribute: false }, kind: { state: true }, busy: { state: true }, error: { state: true }, status: { state: true } };
  static styles = [
    sharedStyles,
    css`
      form {
        display: grid;
        gap: var(--wa-space-s);
        padding: var(--wa-space-m);
        border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        border-radius: var(--wa-border-radius-l);
        background: var(--wa-color-surface-default);
      }
      form.note {
        border: var(--wa-border-width-m) dashed var(--wa-color-warning-border-loud);
        background: var(--wa-color-warning-fill-quiet);
      }
      .actions {
        display: flex;
        align-items: center;
        gap: var(--wa-space-s);
      }
      .status {
        color: var(--wa-color-text-quiet);
      }
    `,
  ];

  declare ticketId: string;
  declare canNote: boolean;
  declare kind: Kind;
  declare busy: boolean;
  declare error: string | null;
  declare status: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.ticketId = '';
    this.canNote = false;
    this.kind = 'reply';
    this.busy = false;
    this.error = null;
    this.status = '';
    new I18nController(this);
  }

  get #textarea(): HTMLTextAreaElement {
    return this.renderRoot.querySelector('wa-textarea') as unknown as HTMLTextAreaElement;
  }

  #saveDraft(): void {
    const body = this.#textarea.value;
    if (body) sessionStorage.setItem(draftKey(this.ticketId), JSON.stringify({ kind: this.kind, body }));
    else sessionStorage.removeItem(draftKey(this.ticketId));
    this.#draftChanged();
  }

  /** Tells the page whether the composer holds text (the page then announces "replying"). */
  #draftChanged(): void {
    const hasText = (this.#textarea?.value ?? '').trim().length > 0;
    this.dispatchEvent(new CustomEvent('draft-changed', { detail: { hasText }, bubbles: true, composed: true }));
  }

  /** Shows the draft kept for this ticket (none: an empty composer). */
  updated(changed: Map<string, unknown>): void {
    if (!changed.has('ticketId')) return;
    let draft: { kind: Kind; body: string } | null = null;
    try {
      draft = JSON.parse(sessionStorage.getItem(draftKey(this.ticketId)) ?? 'null');
    } catch {
      sessionStorage.removeItem(draftKey(this.ticketId));
    }
    this.kind = draft?.kind === 'note' && this.canNote ? 'note' : 'reply';
    this.#textarea.value = draft?.body ?? '';
    this.#draftChanged();
  }

  /** Puts the cursor in the message, as a public reply or (for staff) an internal note: the `r` and `n` shortcuts. */
  async compose(kind: Kind): Promise<void> {
    if (kind === 'note' && !this.canNote) return;
    if (this.kind !== kind) {
      this.kind = kind;
      this.#saveDraft();
    }
    await this.updateComplete;
    (this.renderRoot.querySelector('wa-textarea') as HTMLElement | null)?.focus();
  }

  /** Ctrl+Enter (⌘+Enter) in the message sends it; Escape leaves the field (so shortcuts work again). */
  #keydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.renderRoot.querySelector('form')?.requestSubmit();
    } else if (event.key === 'Escape') {
      (this.renderRoot.querySelector('wa-textarea') as HTMLElement | null)?.blur();
    }
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const body = this.#textarea.value.trim();
    if (!body) return;
    this.busy = true;
    this.error = null;
    this.status = '';
    try {
      const comment = await this.#api.value!.post<Comment>(`/tickets/${encodeURIComponent(this.ticketId)}/comments`, { body, internal: this.kind === 'note' });
      this.#textarea.value = '';
      sessionStorage.removeItem(draftKey(this.ticketId));
      this.#draftChanged();
      this.status = t('ticket:sent');
      this.dispatchEvent(new CustomEvent('comment-added', { detail: comment, bubbles: true, composed: true }));
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  render() {
    const note = this.kind === 'note';
    return html`<form class=${note ? 'note' : 'reply'} aria-label=${t('ticket:composer')} @submit=${this.#submit}>
      ${this.canNote
        ? html`<wa-radio-group
            label=${t('ticket:kind')}
            orientation="horizontal"
            name="kind"
            .value=${this.kind}
            @change=${(e: Event) => {
              this.kind = (e.target as HTMLInputElement).value as Kind;
              this.#saveDraft();
            }}
          >
            <wa-radio value="reply" appearance="button">${t('ticket:publicReply')}</wa-radio>
            <wa-radio value="note" appearance="button">${t('ticket:internalNote')}</wa-radio>
          </wa-radio-group>`
        : null}
      <wa-textarea
        name="body"
        label=${t('ticket:body')}
        placeholder=${note ? t('ticket:bodyPlaceholderNote') : t('ticket:bodyPlaceholderReply')}
        rows="4"
        resize="auto"
        @input=${() => this.#saveDraft()}
        @keydown=${this.#keydown}
      ></wa-textarea>
      ${this.error ? html`<wa-callout variant="danger" role="alert">${t('shell:error', { message: this.error })}</wa-callout>` : null}
      <div class="actions">
        <wa-button type="submit" variant=${note ? 'warning' : 'brand'} ?loading=${this.busy}>${note ? t('ticket:addNote') : t('ticket:send')}</wa-button>
        <span class="status" role="status">${this.status}</span>
      </div>
    </form>`;
  }
}

customElements.define('to-comment-composer', ToCommentComposer);

declare global {
  interface HTMLElementTagNameMap {
    'to-comment-composer': ToCommentComposer;
  }
}
