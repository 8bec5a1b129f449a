import { LitElement, html } from 'lit';
import { I18nController } from '../i18n/controller.ts';
import { LANGUAGES, type Language, i18n, setLanguage, t } from '../i18n/i18n.ts';
import { sharedStyles } from './shared-styles.ts';

/** Each language named in itself, so the switch is readable whatever is selected. */
const NAMES: Record<Language, string> = { en: 'English', de: 'Deutsch' };

/** `<to-language-switch>`: English or German; the choice is kept in this browser. */
export class ToLanguageSwitch extends LitElement {
  static styles = sharedStyles;

  constructor() {
    super();
    new I18nController(this);
  }

  render() {
    return html`<wa-select
      size="small"
      label=${t('shell:language')}
      class="inline-label"
      .value=${i18n.language}
      @change=${(e: Event) => setLanguage((e.target as HTMLSelectElement).value as Language)}
    >
      ${LANGUAGES.map((lng) => html`<wa-option value=${lng} lang=${lng}>${NAMES[lng]}</wa-option>`)}
    </wa-select>`;
  }
}

customElements.define('to-language-switch', ToLanguageSwitch);

declare global {
  interface HTMLElementTagNameMap {
    'to-language-switch': ToLanguageSwitch;
  }
}
