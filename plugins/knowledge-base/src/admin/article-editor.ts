/**
 * `<to-knowledge-base-article-editor>`: writes one article — title and markdown text per
 * language with a sanitized preview, default language, visibility, category, tags — then saves it
 * (a new article is created as a draft; a known one is sent with If-Match, so a change someone else
 * saved meanwhile is reported instead of overwritten), publishes, archives or deletes it, and shows
 * its files and revisions. Fires `changed` after every write and `closed` when done.
 */
import { ApiError, ContextConsumer, LitElement, apiContext, css, formStyles, html, i18n, nothing } from '@ticketops/admin-ui/plugin-api';
import { type Article, type Category, LANGUAGES, type Language, categoryName, problemText, s, treeOrder } from './api.ts';
import './article-body.ts';
import './article-files.ts';
import './revisions.ts';

type Texts = Record<Language, { title: string; body: string }>;
const emptyTexts = (): Texts => ({ en: { title: '', body: '' }, de: { title: '', body: '' } });

export class ToKnowledgeBaseArticleEditor extends LitElement {
  static properties = {
    articleId: {},
    categories: { attribute: false },
    article: { state: true },
    texts: { state: true },
    language: { state: true },
    preview: { state: true },
    notice: { state: true },
    problem: { state: true },
    stale: { state: true },
  };
  static styles = [
    formStyles,
    css`
      .tabs {
        display: flex;
        gap: var(--wa-space-xs);
      }
      .tabs [aria-selected='true'] {
        font-weight: bold;
        text-decoration: underline;
      }
      textarea {
        min-height: 14em;
        width: 100%;
        font-family: var(--wa-font-family-code, monospace);
      }
      .rendered {
        border: 1px solid var(--wa-color-neutral-border-quiet, #ccc);
        padding: var(--wa-space-s);
        border-radius: var(--wa-border-radius-m, 6px);
      }
    `,
  ];
  declare articleId: string | null;
  declare categories: Category[];
  declare article: Article | null;
  declare texts: Texts;
  declare language: Language;
  declare preview: boolean;
  declare notice: string;
  declare problem: string;
  declare stale: boolean;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.articleId = null;
    this.categories = [];
    this.article = null;
    this.texts = emptyTexts();
    this.language = 'en';
    this.preview = false;
    this.notice = '';
    this.problem = '';
    this.stale = false;
  }

  updated(changed: Map<string, unknown>): void {
    if (changed.has('articleId')) {
      if (this.articleId && this.articleId !== this.article?.id) void this.#load();
      if (!this.articleId) this.#show(null);
    }
  }

  #show(article: Article | null): void {
    this.article = article;
    const texts = emptyTexts();
    for (const l of LANGUAGES) if (article?.translations[l]) texts[l] = { ...article.translations[l]! };
    this.texts = texts;
    this.language = article?.defaultLanguage ?? (i18n.language === 'de' ? 'de' : 'en');
    this.stale = false;
  }

  async #load(): Promise<void> {
    try {
      this.#show(await this.#api.value!.get<Article>(`/knowledge-base/articles/${encodeURIComponent(this.articleId!)}`));
    } catch (error) {
      this.problem = problemText(error);
    }
  }

  #field(name: string): string {
    return (this.renderRoot.querySelector(`[name=${name}]`) as HTMLInputElement | HTMLSelectElement | null)?.value ?? '';
  }

  #payload() {
    const translations: Record<string, { title: string; body: string } | null> = {};
    for (const l of LANGUAGES) {
      const text = this.texts[l];
      if (text.title.trim()) translations[l] = { title: text.title.trim(), body: text.body };
      else if (this.article?.translations[l]) translations[l] = null;
    }
    const tags = this.#field('tags').split(/[\s,]+/).filter(Boolean);
    return {
      defaultLanguage: this.#field('defaultLanguage') as Language,
      visibility: this.#field('visibility'),
      categoryId: this.#field('categoryId') || null,
      tags: [...new Set(tags)],
      translations,
    };
  }

  async #run(work: () => Promise<Article>, notice: (a: Article) => string): Promise<void> {
    this.notice = '';
    this.problem = '';
    try {
      const article = await work();
      this.#show(article);
      this.articleId = article.id;
      this.notice = notice(article);
      this.dispatchEvent(new CustomEvent('changed', { detail: article }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) this.stale = true;
      else this.problem = problemText(error);
    }
  }

  #ifMatch() {
    return { 'if-match': `"${this.article!.version}"` };
  }

  #save(event: Event): void {
    event.preventDefault();
    const api = this.#api.value!;
    if (!this.article) {
      void this.#run(async () => (await api.request<Article>('POST', '/knowledge-base/articles', { body: this.#payload() })).data, () => s('created'));
      return;
    }
    void this.#run(
      async () => (await api.request<Article>('PATCH', `/knowledge-base/articles/${this.article!.id}`, { body: this.#payload(), headers: this.#ifMatch() })).data,
      (a) => s('saved', { version: a.version }),
    );
  }

  #transition(verb: 'publish' | 'archive'): void {
    void this.#run(
      async () => (await this.#api.value!.request<Article>('POST', `/knowledge-base/articles/${this.article!.id}/${verb}`, { headers: this.#ifMatch() })).data,
      () => s(verb === 'publish' ? 'published' : 'archived'),
    );
  }

  async #delete(): Promise<void> {
    const title = this.texts[this.article!.defaultLanguage].title;
    if (!confirm(s('confirmDelete', { title }))) return;
    try {
      await this.#api.value!.request('DELETE', `/knowledge-base/articles/${this.article!.id}`, { headers: this.#ifMatch() });
      this.dispatchEvent(new CustomEvent('changed'));
      this.dispatchEvent(new CustomEvent('closed', { detail: { notice: s('deleted') } }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) this.stale = true;
      else this.problem = problemText(error);
    }
  }

  #insert(markdown: string): void {
    const area = this.renderRoot.querySelector('textarea');
    const text = this.texts[this.language].body;
    const at = area?.selectionStart ?? text.length;
    const body = `${text.slice(0, at)}${markdown}${text.slice(at)}`;
    this.texts = { ...this.texts, [this.language]: { ...this.texts[this.language], body } };
  }

  #edit(key: 'title' | 'body', value: string): void {
    this.texts = { ...this.texts, [this.language]: { ...this.texts[this.language], [key]: value } };
  }

  render() {
    const a = this.article;
    const text = this.texts[this.language];
    return html`<form @submit=${(e: Event) => this.#save(e)} aria-label=${a ? s('edit') : s('newArticle')}>
      ${a ? html`<p class="quiet">${s(`state.${a.state}`)} · ${s(`visibility.${a.visibility}`)} · ${s('versionLabel', { version: a.version })}</p>` : nothing}
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${this.stale
        ? html`<p class="problem" role="alert">${s('stale')} <button type="button" @click=${() => this.#load()}>${s('reload')}</button></p>`
        : nothing}
      <div class="tabs" role="tablist" aria-label=${s('translation')}>
        ${LANGUAGES.map(
          (l) => html`<button type="button" role="tab" aria-selected=${String(l === this.language)} @click=${() => (this.language = l)}>${s(`language.${l}`)}</button>`,
        )}
      </div>
      <div class="field">
        <label for="title">${s('title')} (${s(`language.${this.language}`)})</label>
        <input id="title" name="title" maxlength="300" .value=${text.title} @input=${(e: Event) => this.#edit('title', (e.target as HTMLInputElement).value)} />
      </div>
      <div class="tabs">
        <button type="button" aria-pressed=${String(!this.preview)} @click=${() => (this.preview = false)}>${s('write')}</button>
        <button type="button" aria-pressed=${String(this.preview)} @click=${() => (this.preview = true)}>${s('preview')}</button>
      </div>
      ${this.preview
        ? html`<to-knowledge-base-article-body class="rendered" .markdown=${text.body} aria-label=${s('preview')}></to-knowledge-base-article-body>`
        : html`<div class="field">
            <label for="body">${s('body')}</label>
            <textarea id="body" name="body" .value=${text.body} @input=${(e: Event) => this.#edit('body', (e.target as HTMLTextAreaElement).value)}></textarea>
          </div>`}
      <div class="row">
        <div class="field">
          <label for="defaultLanguage">${s('defaultLanguage')}</label>
          <select id="defaultLanguage" name="defaultLanguage">
            ${LANGUAGES.map((l) => html`<option value=${l} ?selected=${(a?.defaultLanguage ?? this.language) === l}>${s(`language.${l}`)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="visibility">${s('visibilityLabel')}</label>
          <select id="visibility" name="visibility">
            ${(['internal', 'public'] as const).map((v) => html`<option value=${v} ?selected=${(a?.visibility ?? 'internal') === v}>${s(`visibility.${v}`)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="categoryId">${s('category')}</label>
          <select id="categoryId" name="categoryId">
            <option value="">${s('noCategory')}</option>
            ${treeOrder(this.categories).map(
              (c) => html`<option value=${c.id} ?selected=${a?.categoryId === c.id}>${'— '.repeat(c.depth - 1)}${categoryName(c, i18n.language)}</option>`,
            )}
          </select>
        </div>
      </div>
      <div class="field">
        <label for="tags">${s('tags')}</label>
        <input id="tags" name="tags" .value=${(a?.tags ?? []).join(' ')} />
      </div>
      <div class="actions">
        <button class="primary" type="submit">${s('save')}</button>
        ${a && a.state !== 'published' ? html`<button type="button" @click=${() => this.#transition('publish')}>${s('publish')}</button>` : nothing}
        ${a && a.state !== 'archived' ? html`<button type="button" @click=${() => this.#transition('archive')}>${s('archive')}</button>` : nothing}
        ${a ? html`<button class="danger" type="button" @click=${() => this.#delete()}>${s('delete')}</button>` : nothing}
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('closed'))}>${s('close')}</button>
      </div>
    </form>
    ${a
      ? html`<to-knowledge-base-article-files .articleId=${a.id} @insert=${(e: CustomEvent<string>) => this.#insert(e.detail)}></to-knowledge-base-article-files>
          <to-knowledge-base-revisions
            .articleId=${a.id}
            .version=${a.version}
            @restored=${(e: CustomEvent<{ article: Article; number: number }>) => {
              this.#show(e.detail.article);
              this.notice = s('restored', { number: e.detail.number, version: e.detail.article.version });
              this.dispatchEvent(new CustomEvent('changed', { detail: e.detail.article }));
            }}
            @stale=${() => (this.stale = true)}
          ></to-knowledge-base-revisions>`
      : html`<p class="quiet">${s('filesHint')}</p>`}`;
  }
}
customElements.define('to-knowledge-base-article-editor', ToKnowledgeBaseArticleEditor);
