/**
 * `<to-knowledge-base-nav>` (zone `nav.main`): the main navigation's way to the knowledge base,
 * whose editor is a section of the settings page (the console has no plugin pages of its own yet).
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
    return html`<a href="/admin/settings">${s('navLink')}</a>`;
  }
}
customElements.define('to-knowledge-base-nav', ToKnowledgeBaseNav);
