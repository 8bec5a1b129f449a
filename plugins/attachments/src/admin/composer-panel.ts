/**
 * `<to-attachments-composer>` (zone `ticket.composer`): files for the message being written.
 * "Attach files" (a button opening the file picker), files dropped anywhere on the composer, or
 * files pasted into it (a screenshot from the clipboard: in the console its image reference is put
 * into the message once uploaded);
 * each file uploads at once — before the message exists, as the user's own upload — with its
 * progress, a Cancel, and on failure the API's reason in words with Retry, Replace and Remove. An
 * uploaded file can be inserted into the message (`![name](attachment:<id>)` for an image, drawn
 * as its thumbnail; a link chip otherwise). Sending waits for uploads still running and is
 * refused, naming them, while one has failed; once the message exists, every uploaded file is
 * linked to it (`POST /attachments/{id}/link`).
 *
 * The same element serves the customer portal's forms (zone `portal.composer`), where messages are
 * plain text: there it offers no "Insert", and a new request's files go on the ticket itself.
 */
import {
  type AdminPanelContext,
  type ApiClient,
  ApiError,
  ContextConsumer,
  I18nController,
  LitElement,
  apiContext,
  css,
  html,
  i18n,
  nothing,
  sharedStyles,
  t,
} from '@ticketops/admin-ui/plugin-api';
import type { ComposerHandle } from '@ticketops/plugin-sdk/admin.ts';
import { type Attachment, attachmentsChanged, formatSize, isThumbnailable, markdownReference } from './files.ts';
import { paperclipIcon } from './icons.ts';
import { type UploadHandle, upload } from './upload.ts';

interface Item {
  key: number;
  file: File;
  state: 'uploading' | 'done' | 'failed';
  /** Bytes of the request body sent so far, of `total` (upload progress events). */
  loaded: number;
  total: number;
  attachment?: Attachment;
  error?: string;
  handle?: UploadHandle;
  /** Pasted into the message: once uploaded, its reference goes where the cursor is (console only). */
  pasted?: boolean;
}

/** The API's reason in words: its own detail for 413, 415 and 400 (infected names the signature), else what failed. */
function reason(error: unknown): string {
  if (error instanceof ApiError) return error.status === 0 ? t('attachments:network') : error.message;
  return String((error as Error)?.message ?? error);
}

export class ToAttachmentsComposer extends LitElement {
  static properties = { panel: { attribute: false }, items: { state: true }, dropping: { state: true }, note: { state: true } };
  static styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        gap: var(--wa-space-xs);
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--wa-space-s);
      }
      .hint {
        color: var(--wa-color-text-quiet);
        font-size: var(--wa-font-size-s);
      }
      .dropping {
        font-weight: var(--wa-font-weight-semibold);
        color: var(--wa-color-brand-on-quiet);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--wa-space-xs);
      }
      li {
        display: grid;
        gap: var(--wa-space-2xs);
        padding: var(--wa-space-xs) var(--wa-space-s);
        border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        border-radius: var(--wa-border-radius-m);
        background: var(--wa-color-surface-default);
      }
      li[data-state='failed'] {
        border-color: var(--wa-color-danger-border-loud);
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--wa-space-xs);
      }
      .name {
        font-weight: var(--wa-font-weight-semibold);
        overflow-wrap: anywhere;
      }
      .size,
      .state {
        font-size: var(--wa-font-size-s);
        color: var(--wa-color-text-quiet);
      }
      .progress {
        flex: 1 1 10rem;
      }
      .error {
        color: var(--wa-color-danger-on-quiet);
        font-size: var(--wa-font-size-s);
        margin: 0;
      }
      button {
        font: inherit;
        font-size: var(--wa-font-size-s);
        padding: var(--wa-space-3xs) var(--wa-space-s);
        color: var(--wa-color-text-normal);
        background: var(--wa-color-surface-default);
        border: var(--wa-border-width-s) solid var(--wa-color-neutral-border-loud);
        border-radius: var(--wa-border-radius-m);
        cursor: pointer;
      }
      button[data-attach] {
        display: inline-flex;
        align-items: center;
        gap: var(--wa-space-2xs);
        font-size: var(--wa-font-size-m);
      }
      .visually-hidden-input {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
    `,
  ];

  declare panel: AdminPanelContext | undefined;
  declare items: Item[];
  declare dropping: boolean;
  declare note: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  #next = 0;
  #ticketId: string | null = null;
  #composer: ComposerHandle | null = null;
  #stopParticipating: (() => void) | null = null;
  #replacing: Item | null = null;

  constructor() {
    super();
    this.items = [];
    this.dropping = false;
    this.note = '';
    new I18nController(this);
  }

  readonly #dragOver = (event: DragEvent) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.dropping = true;
  };
  readonly #dragLeave = (event: DragEvent) => {
    const target = this.#composer?.dropTarget;
    if (target && event.relatedTarget instanceof Node && target.contains(event.relatedTarget)) return;
    this.dropping = false;
  };
  readonly #paste = (event: ClipboardEvent) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (!files.length) return;
    // Files only: pasted text stays the message's.
    event.preventDefault();
    this.#add(files, { pasted: true });
  };
  readonly #drop = (event: DragEvent) => {
    const files = event.dataTransfer?.files;
    this.dropping = false;
    if (!files?.length) return;
    event.preventDefault();
    this.#add([...files]);
  };

  /** Joins the composer (drop target, sending) when it is handed over; a new ticket starts an empty list. */
  willUpdate(): void {
    const composer = this.panel?.composer ?? null;
    if (composer !== this.#composer) {
      this.#leave();
      this.#composer = composer;
      if (composer) {
        composer.dropTarget.addEventListener('dragover', this.#dragOver);
        composer.dropTarget.addEventListener('dragleave', this.#dragLeave);
        composer.dropTarget.addEventListener('drop', this.#drop);
        composer.dropTarget.addEventListener('paste', this.#paste);
        this.#stopParticipating = composer.participate({ beforeSend: () => this.#beforeSend(), afterSend: (comment) => this.#afterSend(comment) });
      }
    }
    const ticketId = this.panel?.ticket?.id ?? null;
    if (ticketId !== this.#ticketId) {
      this.#ticketId = ticketId;
      for (const item of this.items) item.handle?.cancel();
      this.items = [];
      this.note = '';
    }
  }

  #leave(): void {
    const target = this.#composer?.dropTarget;
    target?.removeEventListener('dragover', this.#dragOver);
    target?.removeEventListener('dragleave', this.#dragLeave);
    target?.removeEventListener('drop', this.#drop);
    target?.removeEventListener('paste', this.#paste);
    this.#stopParticipating?.();
    this.#stopParticipating = null;
    this.#composer = null;
  }

  #update(item: Item, change: Partial<Item>): void {
    Object.assign(item, change);
    this.items = [...this.items];
  }

  #add(files: File[], options: { pasted?: boolean } = {}): void {
    for (const file of files) {
      const item: Item = { key: this.#next++, file, state: 'uploading', loaded: 0, total: 0, pasted: options.pasted };
      this.items = [...this.items, item];
      this.#start(item);
    }
  }

  #start(item: Item): void {
    const api = this.#api.value as ApiClient;
    const handle = upload(api, item.file, (loaded, total) => this.#update(item, { loaded, total }));
    this.#update(item, { state: 'uploading', loaded: 0, total: 0, error: undefined, attachment: undefined, handle });
    handle.done.then(
      (attachment) => {
        if (item.handle !== handle) return;
        this.#update(item, { state: 'done', attachment, handle: undefined });
        // A pasted screenshot shows in the message like one inserted by hand (the portal's messages are plain text).
        if (item.pasted && this.panel?.zone === 'ticket.composer' && isThumbnailable(attachment.mimeType)) this.#composer?.insert(markdownReference(attachment));
      },
      (error) => {
        if (item.handle !== handle) return;
        const aborted = error instanceof ApiError && error.code === 'aborted';
        this.#update(item, { state: 'failed', error: aborted ? t('attachments:cancelled') : reason(error), handle: undefined });
      },
    );
  }

  #remove(item: Item): void {
    item.handle?.cancel();
    this.items = this.items.filter((other) => other !== item);
    // Left unlinked, the upload is removed by the plugin's clean-up job; nothing to do here.
  }

  #pick(replacing: Item | null): void {
    this.#replacing = replacing;
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')!;
    input.multiple = replacing === null;
    input.click();
  }

  #picked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    input.multiple = true;
    const replacing = this.#replacing;
    this.#replacing = null;
    if (!files.length) return;
    if (replacing && this.items.includes(replacing)) {
      replacing.handle?.cancel();
      replacing.file = files[0]!;
      this.#start(replacing);
    } else {
      this.#add(files);
    }
  }

  async #beforeSend(): Promise<void> {
    const running = this.items.filter((item) => item.state === 'uploading');
    if (running.length) {
      this.note = t('attachments:waiting');
      await Promise.allSettled(running.map((item) => item.handle?.done));
      this.note = '';
    }
    const failed = this.items.filter((item) => item.state === 'failed');
    if (failed.length) throw new Error(t('attachments:notSent', { names: this.#names(failed) }));
  }

  async #afterSend(comment: { id: string; ticketId: string }): Promise<void> {
    const api = this.#api.value as ApiClient;
    const uploaded = this.items.filter((item) => item.state === 'done');
    // A portal's new request hands over its description as the message, with the ticket's id: the files go on the ticket itself.
    const target = comment.id === comment.ticketId ? { ticketId: comment.ticketId } : { ticketId: comment.ticketId, commentId: comment.id };
    const results = await Promise.allSettled(uploaded.map((item) => api.post(`/attachments/${encodeURIComponent(item.attachment!.id)}/link`, target)));
    const failed = uploaded.filter((_, index) => results[index]!.status === 'rejected');
    this.items = failed;
    attachmentsChanged(comment.ticketId);
    if (failed.length) {
      const first = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')!;
      throw new Error(t('attachments:notLinked', { names: this.#names(failed), message: reason(first.reason) }));
    }
  }

  #names(items: Item[]): string {
    return new Intl.ListFormat(i18n.language).format(items.map((item) => item.attachment?.name ?? item.file.name));
  }

  #renderItem(item: Item) {
    const name = item.attachment?.name ?? item.file.name;
    const percent = Math.min(100, Math.round((item.loaded / Math.max(item.total, 1)) * 100));
    return html`<li data-state=${item.state} data-file=${item.file.name} data-progress=${percent}>
      <div class="row">
        <span class="name">${name}</span>
        <span class="size">${formatSize(item.attachment?.size ?? item.file.size, i18n.language)}</span>
        ${item.state === 'done' ? html`<span class="state" data-done>✓ ${t('attachments:done')}</span>` : nothing}
      </div>
      ${item.state === 'uploading'
        ? html`<div class="row">
            <wa-progress-bar class="progress" value=${percent} label=${t('attachments:progress', { name })}></wa-progress-bar>
            <span class="state" role="status">${t('attachments:uploading', { name, percent })}</span>
            <button type="button" aria-label=${t('attachments:cancel', { name })} @click=${() => item.handle?.cancel()}>${t('attachments:cancelShort')}</button>
          </div>`
        : nothing}
      ${item.state === 'failed'
        ? html`<p class="error" role="alert">${t('attachments:failed', { message: item.error })}</p>
            <div class="row">
              <button type="button" aria-label=${t('attachments:retry', { name })} @click=${() => this.#start(item)}>${t('attachments:retryShort')}</button>
              <button type="button" aria-label=${t('attachments:replace', { name })} @click=${() => this.#pick(item)}>${t('attachments:replaceShort')}</button>
              <button type="button" aria-label=${t('attachments:remove', { name })} @click=${() => this.#remove(item)}>${t('attachments:removeShort')}</button>
            </div>`
        : nothing}
      ${item.state === 'done'
        ? html`<div class="row">
            ${this.panel?.zone === 'ticket.composer'
              ? html`<button
                  type="button"
                  aria-label=${t(isThumbnailable(item.attachment!.mimeType) ? 'attachments:insertImage' : 'attachments:insert', { name })}
                  @click=${() => this.#composer?.insert(markdownReference(item.attachment!))}
                >
                  ${t('attachments:insertShort')}
                </button>`
              : nothing}
            <button type="button" aria-label=${t('attachments:remove', { name })} @click=${() => this.#remove(item)}>${t('attachments:removeShort')}</button>
          </div>`
        : nothing}
    </li>`;
  }

  render() {
    return html`<div class="bar">
        <button type="button" data-attach @click=${() => this.#pick(null)}>${paperclipIcon} ${t('attachments:attach')}</button>
        <input class="visually-hidden-input" type="file" multiple tabindex="-1" aria-label=${t('attachments:chooseFiles')} @change=${this.#picked} />
        <span class=${this.dropping ? 'dropping' : 'hint'}>${this.dropping ? t('attachments:dropNow') : t('attachments:dropHint')}</span>
        <span class="hint" role="status">${this.note}</span>
      </div>
      ${this.items.length ? html`<ul aria-label=${t('attachments:uploads')}>${this.items.map((item) => this.#renderItem(item))}</ul>` : nothing}`;
  }
}

customElements.define('to-attachments-composer', ToAttachmentsComposer);
