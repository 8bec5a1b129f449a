/**
 * `<to-email-details>` (zone `comment.attachments`, permission `email.message.read`): under a
 * message that came by email, a closed "Email details" disclosure — sender, subject, when it was
 * received, why it was threaded onto this ticket in words, the authentication verdict when it was
 * checked, the automatic-mail marks, the full text with the quoted history that was stripped from
 * the comment (read when opened, shown as plain text) and a link to the raw source. Messages of
 * other channels show nothing and ask nothing.
 */
import { type AdminPanelContext, type ApiClient, ContextConsumer, I18nController, LitElement, apiContext, css, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import { type InboundMessage, type ThreadReason, formatInstant, panelStyles } from './shared.ts';
import './strings.ts';
import { messageOfComment } from './ticket-messages.ts';

/** The threading reason in words ("Threaded by References: <id>", "New ticket", …). */
export function threadInWords(reason: ThreadReason): string {
  switch (reason.by) {
    case 'references':
      return t('email:inbound.thread.references', { messageId: reason.messageId });
    case 'token':
      return t('email:inbound.thread.token', { address: reason.address });
    case 'subject':
      return t('email:inbound.thread.subject', { number: reason.number });
    case 'bounce':
      return t('email:inbound.thread.bounce', { messageId: reason.messageId });
    case 'ignored':
      return t('email:inbound.thread.ignored', { why: reason.why });
    case 'new':
      return reason.notParticipant ? t('email:inbound.thread.newNotParticipant', { reason: threadInWords(reason.notParticipant) }) : t('email:inbound.thread.new');
  }
}

/** `Ana Lima <ana@example.com>, bob@example.com` — as a mail client shows a header's addresses. */
const addresses = (list: { name: string; address: string }[]) => list.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ');

export class ToEmailDetails extends LitElement {
  static properties = { panel: { attribute: false }, message: { state: true }, fullText: { state: true }, failure: { state: true } };
  static styles = [
    panelStyles,
    css`
      :host {
        display: block;
        margin-top: var(--wa-space-s);
        font-size: var(--wa-font-size-s);
      }
      summary {
        cursor: pointer;
        font-weight: var(--wa-font-weight-semibold);
        width: fit-content;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: var(--wa-space-3xs) var(--wa-space-m);
        margin: var(--wa-space-xs) 0;
      }
      dt {
        color: var(--wa-color-text-quiet);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      details details {
        margin-top: var(--wa-space-xs);
      }
      pre {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        margin: var(--wa-space-xs) 0 0;
        padding: var(--wa-space-xs);
        border-radius: var(--wa-border-radius-s);
        background: var(--wa-color-surface-lowered);
        color: var(--wa-color-text-normal);
        font-family: var(--wa-font-family-code, monospace);
        max-height: 24rem;
        overflow: auto;
      }
    `,
  ];

  declare panel: AdminPanelContext | undefined;
  declare message: InboundMessage | null;
  /** The full text (quoted history included), read when first opened. */
  declare fullText: string | null;
  declare failure: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  #shown: string | null = null;

  constructor() {
    super();
    this.message = null;
    this.fullText = null;
    this.failure = '';
    new I18nController(this);
  }

  willUpdate(): void {
    const comment = this.panel?.comment;
    const id = comment?.id ?? null;
    if (id === this.#shown) return;
    this.#shown = id;
    this.message = null;
    this.fullText = null;
    this.failure = '';
    // Only a message that came by email has details; no request for the others.
    if (comment && (comment.channel === undefined || comment.channel === 'email')) void this.#read(comment.ticketId, comment.id);
  }

  async #read(ticketId: string, commentId: string): Promise<void> {
    try {
      const message = await messageOfComment(this.#api.value as ApiClient, ticketId, commentId);
      if (this.#shown === commentId) this.message = message;
    } catch (error) {
      if (this.#shown === commentId) this.failure = t('email:inbound.readFailed', { message: (error as Error).message });
    }
  }

  async #openFullText(event: Event): Promise<void> {
    const message = this.message;
    if (!(event.target as HTMLDetailsElement).open || !message || this.fullText !== null) return;
    try {
      const full = await (this.#api.value as ApiClient).get<InboundMessage>(`/email/messages/${encodeURIComponent(message.id)}`);
      if (this.message?.id === message.id) this.fullText = full.fullText ?? '';
    } catch (error) {
      this.failure = t('email:inbound.readFailed', { message: (error as Error).message });
    }
  }

  render() {
    if (this.failure) return html`<p class="field-error" role="status">${this.failure}</p>`;
    const m = this.message;
    if (!m) return nothing;
    const auth = m.authentication;
    return html`<details data-email-message=${m.id}>
      <summary>${t('email:inbound.details')}</summary>
      <dl>
        <dt>${t('email:inbound.from')}</dt><dd>${m.sender ?? t('email:inbound.unknownSender')}</dd>
        ${m.to?.length ? html`<dt>${t('email:inbound.to')}</dt><dd data-to>${addresses(m.to)}</dd>` : nothing}
        ${m.cc?.length ? html`<dt>${t('email:inbound.cc')}</dt><dd data-cc>${addresses(m.cc)}</dd>` : nothing}
        ${m.subject ? html`<dt>${t('email:inbound.subject')}</dt><dd>${m.subject}</dd>` : nothing}
        ${m.sentAt ? html`<dt>${t('email:inbound.sent')}</dt><dd><time datetime=${m.sentAt} data-sent>${formatInstant(m.sentAt)}</time></dd>` : nothing}
        <dt>${t('email:inbound.date')}</dt><dd><time datetime=${m.createdAt}>${formatInstant(m.createdAt)}</time></dd>
        <dt>${t('email:inbound.messageId')}</dt><dd>${m.messageId}</dd>
        <dt>${t('email:inbound.threading')}</dt><dd data-thread>${threadInWords(m.thread)}</dd>
        ${auth?.checked ? html`<dt>${t('email:inbound.authentication')}</dt><dd>${t('email:inbound.authVerdict', auth)}</dd>` : nothing}
        ${m.automatic?.length ? html`<dt>${t('email:inbound.automatic')}</dt><dd>${m.automatic.join(', ')}</dd>` : nothing}
      </dl>
      <details @toggle=${this.#openFullText}>
        <summary>${t('email:inbound.quoted')}</summary>
        ${this.fullText === null ? html`<p>${t('email:inbound.loading')}</p>` : html`<pre>${this.fullText}</pre>`}
      </details>
      ${m.rawUrl ? html`<p><a href=${m.rawUrl} download="${m.id}.eml">${t('email:inbound.raw')}</a></p>` : html`<p class="quiet">${t('email:inbound.rawDropped')}</p>`}
    </details>`;
  }
}

customElements.define('to-email-details', ToEmailDetails);

declare global {
  interface HTMLElementTagNameMap {
    'to-email-details': ToEmailDetails;
  }
}
