import { ContextConsumer } from '@lit/context';
import type { ComposerHandle, ComposerParticipant } from '@ticketops/plugin-sdk/admin.ts';
import { LitElement, css, html, nothing } from 'lit';
import { ApiError } from '../api/client.ts';
import { apiContext, sessionContext } from '../api/context.ts';
import type { Comment, Ticket } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { lockIcon, replyIcon } from '../shell/icons.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { loadCatalog } from './catalog.ts';
import { loadGroups } from './detail/directory.ts';
import { MarkdownController, markdownStyles } from './detail/markdown-view.ts';
import { type MentionCandidate, MentionSuggest, mentionStyles } from './detail/mention-suggest.ts';
import { type PickedMention, toTokens } from './detail/mentions.ts';
import '../plugins/zone.ts';

type Kind = 'reply' | 'note';
type Tab = 'write' | 'preview';
interface Draft {
  kind: Kind;
  body: string;
  mentions?: PickedMention[];
}
const draftKey = (ticketId: string) => `ticketops.draft.${ticketId}`;

/**
 * `<to-comment-composer>`: writes a public reply or, for staff, an internal note
 * (`POST /tickets/{id}/comments`) in markdown, with a sanitized preview tab and `@` suggestions of
 * agents and groups (shown as `@Name`, sent as the API's `@user:<id>` / `@group:<id>`). The draft
 * is kept in this tab's session storage, so a session that ends mid-sentence loses nothing.
 * Fires `comment-added` with the new comment and `draft-changed` when it starts or stops holding text.
 * Plugin panels of the `ticket.composer` zone (attachments) sit under the message: they may insert
 * text and take part in sending (wait before it, act on the new comment after it).
 */
export class ToCommentComposer extends LitElement {
  static properties = {
    ticketId: { attribute: false },
    ticket: { attribute: false },
    canNote: { attribute: false },
    kind: { state: true },
    tab: { state: true },
    busy: { state: true },
    error: { state: true },
    status: { state: true },
  };
  static styles = [
    sharedStyles,
    markdownStyles,
    mentionStyles,
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
      .kind-label {
        display: inline-flex;
        align-items: center;
        gap: var(--wa-space-3xs);
        font-weight: var(--wa-font-weight-semibold);
      }
      .note .kind-label {
        color: var(--wa-color-warning-on-quiet);
      }
      [role='tablist'] {
        display: flex;
        gap: var(--wa-space-2xs);
        border-bottom: var(--wa-border-width-s) solid var(--wa-color-surface-border);
      }
      [role='tab'] {
        font: inherit;
        color: var(--wa-color-text-normal);
        background: none;
        border: none;
        border-bottom: 3px solid transparent;
        padding: var(--wa-space-2xs) var(--wa-space-s);
        cursor: pointer;
      }
      [role='tab'][aria-selected='true'] {
        border-bottom-color: var(--wa-color-brand-border-loud);
        font-weight: var(--wa-font-weight-semibold);
      }
      label {
        font-weight: var(--wa-font-weight-semibold);
      }
      #panel-write:not([hidden]) {
        display: grid;
        gap: var(--wa-space-2xs);
      }
      textarea {
        width: 100%;
        min-height: 7rem;
        resize: vertical;
        font: inherit;
        color: var(--wa-color-text-normal);
        background: var(--wa-form-control-background-color, var(--wa-color-surface-default));
        border: var(--wa-border-width-s) solid var(--wa-form-control-border-color, var(--wa-color-neutral-border-loud));
        border-radius: var(--wa-form-control-border-radius, var(--wa-border-radius-m));
        padding: var(--wa-space-xs) var(--wa-space-s);
      }
      .preview {
        min-height: 7rem;
        padding: var(--wa-space-xs) var(--wa-space-s);
        border: var(--wa-border-width-s) dashed var(--wa-color-surface-border);
        border-radius: var(--wa-border-radius-m);
        background: var(--wa-color-surface-default);
      }
      .hint,
      .status {
        color: var(--wa-color-text-quiet);
        font-size: var(--wa-font-size-s);
        margin: 0;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--wa-space-s);
      }
    `,
  ];

  declare ticketId: string;
  /** The ticket, handed to the `ticket.composer` zone's panels. */
  declare ticket: Ticket | null;
  declare canNote: boolean;
  declare kind: Kind;
  declare tab: Tab;
  declare busy: boolean;
  declare error: string | null;
  declare status: string;
  #mentions: PickedMention[] = [];
  #candidates: MentionCandidate[] = [];
  readonly #participants = new Set<ComposerParticipant>();
  /** What `ticket.composer` panels get: the same object for the composer's life. */
  readonly #handle: ComposerHandle = ((host: ToCommentComposer): ComposerHandle => ({
    get dropTarget(): HTMLElement {
      return host.renderRoot.querySelector('form') ?? host;
    },
    insert: (text) => host.#insert(text),
    participate: (participant) => {
      host.#participants.add(participant);
      return () => host.#participants.delete(participant);
    },
  }))(this);
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #session = new ContextConsumer(this, { context: sessionContext });
  readonly #preview = new MarkdownController(this);
  readonly #suggest = new MentionSuggest(
    this,
    () => this.#candidates,
    (mention) => {
      this.#mentions = [...this.#mentions.filter((m) => m.label !== mention.label), mention];
    },
  );

  constructor() {
    super();
    this.ticketId = '';
    this.ticket = null;
    this.canNote = false;
    this.kind = 'reply';
    this.tab = 'write';
    this.busy = false;
    this.error = null;
    this.status = '';
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#loadCandidates();
  }

  /** Agents and groups that can be mentioned (staff only: the API ignores anyone else). */
  async #loadCandidates(): Promise<void> {
    const api = this.#api.value!;
    const [catalog, groups] = await Promise.all([loadCatalog(api, this.#session.value ?? null).catch(() => null), loadGroups(api)]);
    this.#candidates = [
      ...(catalog?.agents ?? []).map((u): MentionCandidate => ({ kind: 'user', id: u.id, name: u.name, detail: u.email })),
      ...groups.map((g): MentionCandidate => ({ kind: 'group', id: g.id, name: g.name })),
    ];
  }

  /** Puts text at the cursor (or the end) of the message, for a plugin panel, and keeps the draft. */
  #insert(text: string): void {
    const area = this.#textarea;
    const start = area.selectionStart ?? area.value.length;
    const end = area.selectionEnd ?? start;
    area.setRangeText(text, start, end, 'end');
    this.#saveDraft();
    this.requestUpdate();
  }

  /** Runs every participant's step; the errors' messages, joined (empty when all went well). */
  async #runParticipants(step: (participant: ComposerParticipant) => Promise<void> | undefined): Promise<string> {
    const results = await Promise.allSettled([...this.#participants].map((participant) => step(participant)));
    return results
      .filter((result): result is PromiseRejectedResult => result.status === 'rejected')
      .map((result) => (result.reason as Error)?.message ?? String(result.reason))
      .join(' ');
  }

  get #textarea(): HTMLTextAreaElement {
    return this.renderRoot.querySelector('textarea')!;
  }

  #saveDraft(): void {
    const body = this.#textarea.value;
    const draft: Draft = { kind: this.kind, body, mentions: this.#mentions };
    if (body) sessionStorage.setItem(draftKey(this.ticketId), JSON.stringify(draft));
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
    let draft: Draft | null = null;
    try {
      draft = JSON.parse(sessionStorage.getItem(draftKey(this.ticketId)) ?? 'null');
    } catch {
      sessionStorage.removeItem(draftKey(this.ticketId));
    }
    this.kind = draft?.kind === 'note' && this.canNote ? 'note' : 'reply';
    this.tab = 'write';
    this.#mentions = draft?.mentions ?? [];
    this.#textarea.value = draft?.body ?? '';
    this.#draftChanged();
  }

  /** Puts the cursor in the message, as a public reply or (for staff) an internal note: the `r` and `n` shortcuts. */
  async compose(kind: Kind): Promise<void> {
    if (kind === 'note' && !this.canNote) return;
    this.tab = 'write';
    if (this.kind !== kind) {
      this.kind = kind;
      this.#saveDraft();
    }
    await this.updateComplete;
    this.#textarea.focus();
  }

  /** The suggestions take their keys first; then Ctrl+Enter (⌘+Enter) sends, Escape leaves the field (so shortcuts work again). */
  #keydown(event: KeyboardEvent): void {
    if (this.#suggest.keydown(event)) return;
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.renderRoot.querySelector('form')?.requestSubmit();
    } else if (event.key === 'Escape') {
      this.#textarea.blur();
    }
  }

  #input(): void {
    this.#suggest.input(this.#textarea);
    this.#saveDraft();
  }

  /** Tabs: a click or Arrow keys between them (focus follows the selected tab). */
  #tabKey(event: KeyboardEvent): void {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    this.#selectTab(this.tab === 'write' ? 'preview' : 'write', true);
  }

  async #selectTab(tab: Tab, focus = false): Promise<void> {
    this.tab = tab;
    this.#suggest.close();
    await this.updateComplete;
    if (focus) this.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`)?.focus();
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const body = toTokens(this.#textarea.value.trim(), this.#mentions);
    if (!body) return;
    this.busy = true;
    this.error = null;
    this.status = '';
    try {
      // Plugin panels first (uploads still running are waited for; a failed one stops the send).
      const notReady = await this.#runParticipants((participant) => participant.beforeSend?.());
      if (notReady) {
        this.error = notReady;
        return;
      }
      const comment = await this.#api.value!.post<Comment>(`/tickets/${encodeURIComponent(this.ticketId)}/comments`, { body, internal: this.kind === 'note' });
      this.#textarea.value = '';
      this.#mentions = [];
      this.tab = 'write';
      sessionStorage.removeItem(draftKey(this.ticketId));
      this.#draftChanged();
      this.status = t('ticket:sent');
      this.dispatchEvent(new CustomEvent('comment-added', { detail: comment, bubbles: true, composed: true }));
      const afterwards = await this.#runParticipants((participant) => participant.afterSend?.({ id: comment.id, ticketId: comment.ticketId, internal: comment.internal }));
      if (afterwards) this.error = afterwards;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  #renderKind(note: boolean) {
    if (!this.canNote) return null;
    return html`<wa-radio-group
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
    </wa-radio-group>
    <p class="kind-label" data-kind-label>${note ? lockIcon : replyIcon} ${note ? t('ticketDetail:composer.noteHint') : t('ticketDetail:composer.replyHint')}</p>`;
  }

  render() {
    const note = this.kind === 'note';
    const writing = this.tab === 'write';
    const text = this.#textarea?.value ?? '';
    return html`<form class=${note ? 'note' : 'reply'} aria-label=${t('ticket:composer')} @submit=${this.#submit}>
      ${this.#renderKind(note)}
      <div role="tablist" aria-label=${t('ticketDetail:composer.tabs')} @keydown=${this.#tabKey}>
        <button type="button" role="tab" id="tab-write" aria-controls="panel-write" aria-selected=${writing ? 'true' : 'false'} tabindex=${writing ? 0 : -1} @click=${() => this.#selectTab('write')}>
          ${t('ticketDetail:composer.write')}
        </button>
        <button type="button" role="tab" id="tab-preview" aria-controls="panel-preview" aria-selected=${writing ? 'false' : 'true'} tabindex=${writing ? -1 : 0} @click=${() => this.#selectTab('preview')}>
          ${t('ticketDetail:composer.preview')}
        </button>
      </div>
      <div role="tabpanel" id="panel-write" aria-labelledby="tab-write" ?hidden=${!writing}>
        <label for="body">${t('ticket:body')}</label>
        <div class="mentions">
          <textarea
            id="body"
            name="body"
            rows="5"
            placeholder=${note ? t('ticket:bodyPlaceholderNote') : t('ticket:bodyPlaceholderReply')}
            aria-describedby="format-hint"
            aria-autocomplete="list"
            aria-controls=${this.#suggest.open ? 'mention-list' : nothing}
            aria-activedescendant=${this.#suggest.activeId || nothing}
            @input=${this.#input}
            @keydown=${this.#keydown}
            @blur=${() => this.#suggest.close()}
          ></textarea>
          ${this.#suggest.render()}
        </div>
        <p class="hint" id="format-hint">${t('ticketDetail:composer.hint')}</p>
      </div>
      <div role="tabpanel" id="panel-preview" aria-labelledby="tab-preview" class="preview" tabindex="0" ?hidden=${writing}>
        ${writing ? null : text.trim() ? this.#preview.render(toTokens(text, this.#mentions)) : html`<p class="hint">${t('ticketDetail:composer.nothing')}</p>`}
      </div>
      <to-zone zone="ticket.composer" .ticket=${this.ticket} .composer=${this.#handle}></to-zone>
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
