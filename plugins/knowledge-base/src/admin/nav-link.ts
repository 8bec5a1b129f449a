/**
 * `<to-knowledge-base-nav>` (zone `nav.main`): the main navigation's way to the knowledge base's
 * page (`/admin/p/knowledge-base/articles`, the editor).
 */
import { I18nController, LitElement, css, html } from '@ticketops/admin-ui/plugin-api';
import { s } from './api.ts';

export class ToKnowledgeBaseNav extends LitElement {
  static properties = { panel: { attribute: false } };
  static styles = css`
    a {
      color: inherit;
    }
  `;
  declare panel: unknown;

  constructor() {
    super();
    new I18nController(this);
  }

  render() {
    return html`<a href="/admin/p/knowledge-base/articles">${s('navLink')}</a>`;
  }
}
customElements.define('to-knowledge-base-nav', ToKnowledgeBaseNav);
