/**
 * `<to-knowledge-base-article-files>`: an article's files — upload by the file picker (a labelled
 * button, so Tab and Enter work) or by dropping files on the box, each with a progress bar; a
 * finished image can be put into the text (`insert` event with its markdown).
 */
import { ContextConsumer, LitElement, apiContext, css, formStyles, html } from '@ticketops/admin-ui/plugin-api';
import { type FileInfo, problemText, s } from './api.ts';
import { fileMarkdown } from './markdown.ts';
import { uploadToArticle } from './upload.ts';

interface Pending {
  name: string;
  percent: number;
  error: string;
}

export class ToKnowledgeBaseArticleFiles extends LitElement {
  static properties = { articleId: {}, files: { state: true }, pending: { state: true }, dragging: { state: true } };
  static styles = [
    formStyles,
    css`
      .drop {
        border: 2px dashed var(--wa-color-neutral-border-normal, #888);
        border-radius: var(--wa-border-radius-m, 6px);
        padding: var(--wa-space-m);
        display: grid;
        gap: var(--wa-space-s);
      }
      .drop.dragging {
        border-color: var(--wa-color-brand-border-loud, #06c);
      }
      ul {
        margin: 0;
        padding-left: 1.2em;
      }
      input[type='file'] {
        position: absolute;
        width: 1px;
        height: 1px;
        opacity: 0;
      }
    `,
  ];
  declare articleId: string;
  declare files: FileInfo[];
  declare pending: Pending[];
  declare dragging: boolean;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.files = [];
    this.pending = [];
    this.dragging = false;
  }

  updated(changed: Map<string, unknown>): void {
    if (changed.has('articleId') && this.articleId) void this.#read();
  }

  async #read(): Promise<void> {
    try {
      this.files = (await this.#api.value!.get<{ items: FileInfo[] }>('/attachments', { owner: `knowledge-base.article:${this.articleId}` })).items;
    } catch {
      this.files = [];
    }
  }

  async #upload(list: FileList | File[]): Promise<void> {
    await Promise.all(
      [...list].map(async (file) => {
        const entry: Pending = { name: file.name, percent: 0, error: '' };
        this.pending = [...this.pending, entry];
        try {
          const uploaded = await uploadToArticle(this.#api.value!, this.articleId, file, (percent) => {
            entry.percent = percent;
            this.pending = [...this.pending];
          });
          this.pending = this.pending.filter((p) => p !== entry);
          this.files = [...this.files, uploaded];
        } catch (error) {
          entry.error = s('uploadFailed', { name: file.name, message: problemText(error) });
          this.pending = [...this.pending];
        }
      }),
    );
  }

  /** Deletes a file (its bytes go with the last reference); a reference left in the text then shows nothing. */
  async #remove(file: FileInfo): Promise<void> {
    try {
      await this.#api.value!.request('DELETE', `/attachments/${encodeURIComponent(file.id)}`);
      this.files = this.files.filter((f) => f.id !== file.id);
    } catch (error) {
      this.pending = [...this.pending, { name: file.name, percent: 0, error: problemText(error) }];
    }
  }

  #drop(event: DragEvent): void {
    event.preventDefault();
    this.dragging = false;
    if (event.dataTransfer?.files.length) void this.#upload(event.dataTransfer.files);
  }

  render() {
    return html`<section aria-labelledby="files-heading">
      <h4 id="files-heading">${s('files')}</h4>
      <div
        class="drop ${this.dragging ? 'dragging' : ''}"
        @dragover=${(e: DragEvent) => {
          e.preventDefault();
          this.dragging = true;
        }}
        @dragleave=${() => {
          this.dragging = false;
        }}
        @drop=${(e: DragEvent) => this.#drop(e)}
      >
        <p class="quiet">${s('filesHint')}</p>
        <div class="actions">
          <button type="button" @click=${() => (this.renderRoot.querySelector('input[type=file]') as HTMLInputElement).click()}>${s('chooseFiles')}</button>
          <input type="file" multiple tabindex="-1" aria-hidden="true" @change=${(e: Event) => {
            const input = e.target as HTMLInputElement;
            if (input.files?.length) void this.#upload(input.files).then(() => (input.value = ''));
          }} />
        </div>
        ${this.pending.map(
          (p) => html`<div>
            ${p.error
              ? html`<p class="problem" role="alert">${p.error}</p>`
              : html`<label>${s('uploading', { name: p.name, percent: p.percent })}<progress max="100" .value=${p.percent}></progress></label>`}
          </div>`,
        )}
        ${this.files.length === 0
          ? html`<p class="quiet">${s('noFiles')}</p>`
          : html`<ul>
              ${this.files.map(
                (f) => html`<li>
                  <a href="/api/v1/attachments/${f.id}/content">${f.name}</a>
                  <button type="button" aria-label=${`${s('insert')}: ${f.name}`} @click=${() => this.dispatchEvent(new CustomEvent('insert', { detail: fileMarkdown(f) }))}>${s('insert')}</button>
                  <button type="button" class="danger" aria-label=${`${s('delete')}: ${f.name}`} @click=${() => this.#remove(f)}>${s('delete')}</button>
                </li>`,
              )}
            </ul>`}
      </div>
    </section>`;
  }
}
customElements.define('to-knowledge-base-article-files', ToKnowledgeBaseArticleFiles);
