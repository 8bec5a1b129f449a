/**
 * `<to-knowledge-base-revisions>`: an article's revisions, newest first, each restorable (a new
 * version with that content; the article's `version` goes along as If-Match). Fires `restored`
 * with the article, or `stale` when someone else changed it first.
 */
import { ApiError, ContextConsumer, LitElement, apiContext, formStyles, html, i18n } from '@ticketops/admin-ui/plugin-api';
import { type Article, type Revision, problemText, s } from './api.ts';

export class ToKnowledgeBaseRevisions extends LitElement {
  static properties = { articleId: {}, version: { type: Number }, revisions: { state: true }, problem: { state: true } };
  static styles = [formStyles];
  declare articleId: string;
  declare version: number;
  declare revisions: Revision[];
  declare problem: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.revisions = [];
    this.problem = '';
  }

  updated(changed: Map<string, unknown>): void {
    if ((changed.has('articleId') || changed.has('version')) && this.articleId) void this.#read();
  }

  async #read(): Promise<void> {
    try {
      this.revisions = (await this.#api.value!.get<{ items: Revision[] }>(`/knowledge-base/articles/${encodeURIComponent(this.articleId)}/revisions`)).items;
    } catch (error) {
      this.problem = problemText(error);
    }
  }

  async #restore(number: number): Promise<void> {
    this.problem = '';
    try {
      const res = await this.#api.value!.request<Article>('POST', `/knowledge-base/articles/${encodeURIComponent(this.articleId)}/revisions/${number}/restore`, {
        headers: { 'if-match': `"${this.version}"` },
      });
      this.dispatchEvent(new CustomEvent('restored', { detail: { article: res.data, number } }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) this.dispatchEvent(new CustomEvent('stale'));
      else this.problem = problemText(error);
    }
  }

  render() {
    const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
    return html`<section aria-labelledby="revisions-heading">
      <h4 id="revisions-heading">${s('revisions')}</h4>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : ''}
      <ol reversed>
        ${this.revisions.map(
          (r) => html`<li>
            ${s('revision', { number: r.number, action: s(`action.${r.action}`), at: format.format(new Date(r.createdAt)) })}
            ${r.number === this.version ? '' : html`<button type="button" @click=${() => this.#restore(r.number)}>${s('restore', { number: r.number })}</button>`}
          </li>`,
        )}
      </ol>
    </section>`;
  }
}
customElements.define('to-knowledge-base-revisions', ToKnowledgeBaseRevisions);
