/**
 * `<to-knowledge-base-article-body>`: an article's markdown drawn as sanitized HTML (see
 * markdown.ts). The HTML is set on a container after each render rather than through a Lit
 * directive, so the panel needs nothing of Lit beyond what the console's plugin API shares.
 */
import { LitElement, css, html } from '@ticketops/admin-ui/plugin-api';
import { renderArticle } from './markdown.ts';

export class ToKnowledgeBaseArticleBody extends LitElement {
  static properties = { markdown: {} };
  static styles = css`
    :host {
      display: block;
      line-height: 1.5;
      overflow-wrap: anywhere;
    }
    img {
      max-width: 100%;
      height: auto;
    }
    pre {
      overflow-x: auto;
    }
  `;
  declare markdown: string;

  constructor() {
    super();
    this.markdown = '';
  }

  render() {
    return html`<div class="rendered"></div>`;
  }

  updated(): void {
    const target = this.renderRoot.querySelector('.rendered');
    if (target) target.innerHTML = renderArticle(this.markdown ?? '');
  }
}
customElements.define('to-knowledge-base-article-body', ToKnowledgeBaseArticleBody);
