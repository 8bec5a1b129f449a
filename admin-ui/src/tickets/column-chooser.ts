import { LitElement, css, html } from 'lit';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { fieldLabel } from './field-value.ts';
import type { ListField } from './list-query.ts';

/**
 * `<to-column-chooser>`: which plugin list fields (`GET /list-fields`, e.g. the SLA due times)
 * the ticket list shows as columns — a disclosure with a checkbox per field. Fires
 * `columns-changed` with the chosen names; the list page remembers them.
 */
export class ToColumnChooser extends LitElement {
  static properties = { fields: { attribute: false }, chosen: { attribute: false } };
  static styles = [
    sharedStyles,
    css`
      :host {
        display: inline-block;
        position: relative;
      }
      summary {
        cursor: pointer;
        padding: var(--wa-space-2xs) var(--wa-space-s);
        border: var(--wa-border-width-s) solid var(--wa-color-neutral-border-loud);
        border-radius: var(--wa-border-radius-s);
        background: var(--wa-color-surface-default);
        color: var(--wa-color-text-normal);
      }
      fieldset {
        position: absolute;
        z-index: 2;
        inset-inline-end: 0;
        margin: var(--wa-space-2xs) 0 0;
        min-width: 18rem;
        display: grid;
        gap: var(--wa-space-xs);
        padding: var(--wa-space-s) var(--wa-space-m);
        border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        border-radius: var(--wa-border-radius-m);
        background: var(--wa-color-surface-raised);
        color: var(--wa-color-text-normal);
        box-shadow: var(--wa-shadow-m);
      }
      legend {
        font-weight: var(--wa-font-weight-semibold);
        padding: 0;
      }
      label {
        display: flex;
        gap: var(--wa-space-xs);
        align-items: center;
      }
      input {
        width: 1.1rem;
        height: 1.1rem;
        accent-color: var(--wa-color-brand-fill-loud);
      }
      p {
        margin: 0;
        color: var(--wa-color-text-quiet);
        font-size: var(--wa-font-size-s);
      }
    `,
  ];

  declare fields: ListField[];
  declare chosen: string[];

  constructor() {
    super();
    this.fields = [];
    this.chosen = [];
    new I18nController(this);
  }

  #toggle(name: string, on: boolean): void {
    // Kept in the order the server lists the fields, whatever order they were ticked in.
    const chosen = this.fields.map((f) => f.name).filter((n) => (n === name ? on : this.chosen.includes(n)));
    this.dispatchEvent(new CustomEvent('columns-changed', { detail: chosen, bubbles: true, composed: true }));
  }

  render() {
    if (this.fields.length === 0) return null;
    return html`<details>
      <summary>${t('listColumns:columns')}</summary>
      <fieldset>
        <legend>${t('listColumns:choose')}</legend>
        ${this.fields.map(
          (field) => html`<label title=${field.description}
            ><input type="checkbox" .checked=${this.chosen.includes(field.name)} @change=${(e: Event) => this.#toggle(field.name, (e.target as HTMLInputElement).checked)} />${fieldLabel(field)}</label
          >`,
        )}
        <p>${t('listColumns:sortHint')}</p>
      </fieldset>
    </details>`;
  }
}

customElements.define('to-column-chooser', ToColumnChooser);

declare global {
  interface HTMLElementTagNameMap {
    'to-column-chooser': ToColumnChooser;
  }
}
