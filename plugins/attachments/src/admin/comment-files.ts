/**
 * `<to-attachments-comment>` (zone `comment.attachments`): the files of one message — kind icon,
 * name, size, and the scan status in words when it is not clean ("unscanned"; "infected", which is
 * never offered for download). Read from `GET /attachments?ticketId=` once per ticket for all its
 * messages (the API leaves out what the user may not see, such as internal notes' files for a
 * customer), grouped by `commentId`; read again when the composer has linked new files.
 *
 * The same element sits under the customer portal's messages (zone `portal.message.attachments`),
 * where images show as their thumbnails; the portal's description message (id = the ticket's id)
 * lists the files on the ticket itself.
 */
import { type AdminPanelContext, type ApiClient, ContextConsumer, I18nController, LitElement, apiContext, css, html, i18n, nothing, sharedStyles, t } from '@ticketops/admin-ui/plugin-api';
import { type Attachment, attachmentChanges, fileKind, formatSize, isThumbnailable, ticketAttachments } from './files.ts';
import { KIND_ICON } from './icons.ts';

export class ToAttachmentsComment extends LitElement {
  static properties = { panel: { attribute: false }, files: { state: true }, failure: { state: true } };
  static styles = [
    sharedStyles,
    css`
      ul {
        list-style: none;
        margin: var(--wa-space-s) 0 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: var(--wa-space-xs);
      }
      li {
        display: inline-flex;
        align-items: center;
        gap: var(--wa-space-2xs);
        padding: var(--wa-space-3xs) var(--wa-space-s);
        border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        border-radius: var(--wa-border-radius-pill);
        background: var(--wa-color-surface-lowered);
        font-size: var(--wa-font-size-s);
      }
      li[data-thumbnail] {
        border-radius: var(--wa-border-radius-m);
        padding: var(--wa-space-2xs) var(--wa-space-s) var(--wa-space-2xs) var(--wa-space-2xs);
      }
      img {
        display: block;
        width: 4rem;
        height: 4rem;
        object-fit: cover;
        border-radius: var(--wa-border-radius-s);
      }
      li[data-status='infected'] {
        border-color: var(--wa-color-danger-border-loud);
      }
      a {
        color: var(--wa-color-text-link, var(--wa-color-brand-on-quiet));
        overflow-wrap: anywhere;
      }
      .size {
        color: var(--wa-color-text-quiet);
      }
      .status {
        font-weight: var(--wa-font-weight-semibold);
        color: var(--wa-color-warning-on-quiet);
      }
      [data-status='infected'] .status,
      .failed {
        color: var(--wa-color-danger-on-quiet);
      }
    `,
  ];

  declare panel: AdminPanelContext | undefined;
  declare files: Attachment[];
  declare failure: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  #shown: string | null = null;
  /** Only the latest read counts (a read begun before the composer linked new files may end after it). */
  #request = 0;
  readonly #changed = (event: Event) => {
    if ((event as CustomEvent<string>).detail === this.panel?.comment?.ticketId) void this.#read();
  };

  constructor() {
    super();
    this.files = [];
    this.failure = '';
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    attachmentChanges.addEventListener('changed', this.#changed);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    attachmentChanges.removeEventListener('changed', this.#changed);
  }

  willUpdate(): void {
    const id = this.panel?.comment?.id ?? null;
    if (id && id !== this.#shown) {
      this.#shown = id;
      void this.#read();
    }
  }

  async #read(): Promise<void> {
    const comment = this.panel?.comment;
    if (!comment) return;
    const request = ++this.#request;
    try {
      const all = await ticketAttachments(this.#api.value as ApiClient, comment.ticketId);
      if (request !== this.#request || this.panel?.comment?.id !== comment.id) return;
      // The portal's description message carries the ticket's id: its files are the ticket's own (no comment).
      const commentId = comment.id === comment.ticketId ? null : comment.id;
      this.files = all.filter((file) => file.commentId === commentId);
      this.failure = '';
    } catch (error) {
      if (request !== this.#request) return;
      this.failure = t('attachments:readFailed', { message: (error as Error).message });
    }
  }

  #renderFile(file: Attachment) {
    const kind = fileKind(file.mimeType);
    const size = formatSize(file.size, i18n.language);
    const infected = file.status === 'infected';
    // In the portal an image shows as its thumbnail (same origin, made by the API); elsewhere as its kind's icon.
    const thumbnail = !infected && this.panel?.zone === 'portal.message.attachments' && isThumbnailable(file.mimeType);
    return html`<li data-status=${file.status} data-attachment=${file.id} ?data-thumbnail=${thumbnail}>
      ${thumbnail ? html`<img src="/api/v1/attachments/${encodeURIComponent(file.id)}/thumbnail?size=64" alt="" width="64" height="64" loading="lazy" />` : KIND_ICON[kind]}
      <span class="visually-hidden">${t(`attachments:kind.${kind}`)}:</span>
      ${infected
        ? html`<span class="name">${file.name}</span>`
        : html`<a href="/api/v1/attachments/${encodeURIComponent(file.id)}/content" download=${file.name} aria-label=${t('attachments:download', { name: file.name, size })}>${file.name}</a>`}
      <span class="size">${size}</span>
      ${file.status === 'clean' ? nothing : html`<span class="status">${t(infected ? 'attachments:infected' : 'attachments:unscanned')}</span>`}
    </li>`;
  }

  render() {
    if (this.failure) return html`<p class="failed" role="status">${this.failure}</p>`;
    if (!this.files.length) return nothing;
    return html`<ul aria-label=${t('attachments:files')}>${this.files.map((file) => this.#renderFile(file))}</ul>`;
  }
}

customElements.define('to-attachments-comment', ToAttachmentsComment);
