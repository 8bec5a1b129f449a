import { LitElement, css, html } from 'lit';
import { I18nController } from '../i18n/controller.ts';
import { LANGUAGES, type Language, i18n, setLanguage, t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';

/** Each language named in itself, so the list is readable whatever is selected. */
const NAMES: Record<Language, string> = { en: 'English', de: 'Deutsch' };

/** `<to-portal-language>`: English or German, a native select (lighter than the console's); kept in this browser. */
export class ToPortalLanguage extends LitElement {
  static styles = [
    sharedStyles,
    css`
      label {
        display: inline-flex;
        align-items: center;
        gap: var(--wa-space-xs);
        font-size: var(--wa-font-size-s);
      }
      select {
        font: inherit;
        color: var(--wa-color-text-normal);
        background: var(--wa-color-surface-default);
        border: var(--wa-border-width-s) solid var(--wa-color-neutral-border-loud);
        border-radius: var(--wa-border-radius-m);
        padding: var(--wa-space-3xs) var(--wa-space-xs);
      }
    `,
  ];

  constructor() {
    super();
    new I18nController(this);
  }

  render() {
    return html`<label
      >${t('portal:language')}
      <select @change=${(e: Event) => setLanguage((e.target as HTMLSelectElement).value as Language)}>
        ${LANGUAGES.map((lng) => html`<option value=${lng} lang=${lng} ?selected=${i18n.language === lng}>${NAMES[lng]}</option>`)}
      </select></label
    >`;
  }
}

customElements.define('to-portal-language', ToPortalLanguage);
