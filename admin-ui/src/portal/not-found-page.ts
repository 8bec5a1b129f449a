import { LitElement, html } from 'lit';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { pageStyles } from './styles.ts';

/** `<to-portal-not-found>`: an address the portal does not know, or a request the customer may not see (`request`). */
export class ToPortalNotFound extends LitElement {
  static properties = { request: { type: Boolean } };
  static styles = [sharedStyles, pageStyles];
  declare request: boolean;

  constructor() {
    super();
    this.request = false;
    new I18nController(this);
  }

  render() {
    return html`<div class="page" data-not-found>
      <h1>${t(this.request ? 'portal:request.notFound' : 'portal:notFound')}</h1>
      <p>${t(this.request ? 'portal:request.notFoundText' : 'portal:notFoundText')}</p>
      <p><a href="/portal/requests">${t('portal:request.back')}</a></p>
    </div>`;
  }
}

customElements.define('to-portal-not-found', ToPortalNotFound);
