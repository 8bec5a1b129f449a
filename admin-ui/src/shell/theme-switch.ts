import { LitElement, html } from 'lit';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from './shared-styles.ts';
import { THEMES, type ThemeChoice, setTheme, storedTheme } from './theme.ts';

const LABEL: Record<ThemeChoice, string> = { system: 'shell:themeSystem', light: 'shell:themeLight', dark: 'shell:themeDark' };

/** `<to-theme-switch>`: system, light or dark; the choice is kept in this browser. */
export class ToThemeSwitch extends LitElement {
  static properties = { choice: { state: true } };
  static styles = sharedStyles;
  declare choice: ThemeChoice;

  constructor() {
    super();
    this.choice = storedTheme();
    new I18nController(this);
  }

  #change(event: Event): void {
    this.choice = (event.target as HTMLSelectElement).value as ThemeChoice;
    setTheme(this.choice);
  }

  render() {
    return html`<wa-select size="small" label=${t('shell:theme')} class="inline-label" .value=${this.choice} @change=${this.#change}>
      ${THEMES.map((choice) => html`<wa-option value=${choice}>${t(LABEL[choice])}</wa-option>`)}
    </wa-select>`;
  }
}

customElements.define('to-theme-switch', ToThemeSwitch);

declare global {
  interface HTMLElementTagNameMap {
    'to-theme-switch': ToThemeSwitch;
  }
}
