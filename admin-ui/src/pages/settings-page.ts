import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { apiContext } from '../api/context.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { loadPanels } from '../plugins/panels.ts';
import '../admin/admin-nav.ts';
import '../plugins/zone.ts';
import { sharedStyles } from '../shell/shared-styles.ts';

/**
 * `<to-settings-page>` (`/admin/settings`): the settings sections plugins contribute
 * (`settings.section` zone). The console's own administration pages will join them here.
 */
export class ToSettingsPage extends LitElement {
  static properties = { count: { state: true } };
  static styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        gap: var(--wa-space-l);
        max-width: 48rem;
      }
      p {
        margin: 0;
        color: var(--wa-color-text-quiet);
      }
    `,
  ];

  declare count: number | null;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.count = null;
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    loadPanels(this.#api.value!).then(
      (panels) => {
        this.count = panels.filter((p) => p.zone === 'settings.section').length;
      },
      () => {
        this.count = 0;
      },
    );
  }

  render() {
    return html`<to-admin-nav></to-admin-nav>
      <h1>${t('shell:settings')}</h1>
      ${this.count === 0 ? html`<p>${t('shell:noPluginSettings')}</p>` : null}
      <to-zone zone="settings.section"></to-zone>`;
  }
}

customElements.define('to-settings-page', ToSettingsPage);

declare global {
  interface HTMLElementTagNameMap {
    'to-settings-page': ToSettingsPage;
  }
}
