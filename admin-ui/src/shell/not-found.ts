import { LitElement, html } from 'lit';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from './shared-styles.ts';

/** `<to-not-found>`: any console address no route knows. */
export class ToNotFound extends LitElement {
  static styles = sharedStyles;

  constructor() {
    super();
    new I18nController(this);
  }

  render() {
    return html`<h1>${t('shell:notFound')}</h1>
      <p><a href="/admin/tickets">${t('shell:backToTickets')}</a></p>`;
  }
}

customElements.define('to-not-found', ToNotFound);
