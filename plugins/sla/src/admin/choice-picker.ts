/**
 * `<to-sla-choice-picker>`: picks several things by name — groups, organizations, ticket types —
 * where the API wants their ids. Type to find one (a datalist of the names), Enter or "Add" to take
 * it; chosen ones show as chips with a remove button. Fires `change` with the chosen values
 * (`detail`). A chosen value the options do not know (deleted since) still shows, by its id.
 */
import { I18nController, LitElement, css, html, t } from '@ticketops/admin-ui/plugin-api';
import { formStyles } from './shared.ts';

export interface Choice {
  /** What the API stores (an id, a type name, or null for "none"). */
  value: string | null;
  label: string;
}

let instances = 0;

export class ToSlaChoicePicker extends LitElement {
  static properties = { label: {}, options: { attribute: false }, chosen: { attribute: false }, problem: { state: true } };
  static styles = [
    formStyles,
    css`
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: 0.35rem;
        list-style: none;
        padding: 0;
        margin: 0.35rem 0 0;
      }
      .chip {
        display: inline-flex;
        align-items: center;
        gap: 0.25rem;
        border: 1px solid currentColor;
        border-radius: 999px;
        padding: 0.05rem 0.15rem 0.05rem 0.6rem;
      }
      .chip button {
        min-width: 1.75rem;
      }
      .add {
        display: flex;
        gap: 0.35rem;
      }
    `,
  ];

  declare label: string;
  declare options: Choice[];
  declare chosen: (string | null)[];
  declare problem: string;
  readonly #id = `pick-${++instances}`;

  constructor() {
    super();
    this.label = '';
    this.options = [];
    this.chosen = [];
    this.problem = '';
    new I18nController(this);
  }

  #labelOf(value: string | null): string {
    return this.options.find((o) => o.value === value)?.label ?? String(value);
  }

  #set(values: (string | null)[]): void {
    this.chosen = values;
    this.dispatchEvent(new CustomEvent('change', { detail: values, bubbles: true, composed: true }));
  }

  #add(): void {
    const input = this.renderRoot.querySelector('input') as HTMLInputElement;
    const text = input.value.trim().toLowerCase();
    if (!text) return;
    const match = this.options.find((o) => o.label.toLowerCase() === text) ?? this.options.filter((o) => o.label.toLowerCase().includes(text)).at(0);
    if (!match) {
      this.problem = t('sla:pickNoMatch', { text: input.value.trim() });
      return;
    }
    this.problem = '';
    input.value = '';
    if (!this.chosen.includes(match.value)) this.#set([...this.chosen, match.value]);
  }

  render() {
    const free = this.options.filter((o) => !this.chosen.includes(o.value));
    return html`<div class="field">
      <label for=${this.#id}>${this.label}</label>
      <div class="add">
        <input id=${this.#id} list="${this.#id}-options" autocomplete="off" aria-describedby="${this.#id}-problem"
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              this.#add();
            }
          }} />
        <datalist id="${this.#id}-options">${free.map((o) => html`<option value=${o.label}></option>`)}</datalist>
        <button type="button" @click=${() => this.#add()}>${t('sla:pickAdd')}</button>
      </div>
      <p class="field-error" id="${this.#id}-problem" role="status">${this.problem}</p>
      <ul class="chips" aria-label=${t('sla:pickChosen', { what: this.label })}>
        ${this.chosen.map((value) => html`<li class="chip">${this.#labelOf(value)}
          <button type="button" aria-label=${t('sla:pickRemove', { name: this.#labelOf(value) })} @click=${() => this.#set(this.chosen.filter((v) => v !== value))}>×</button></li>`)}
      </ul>
    </div>`;
  }
}

customElements.define('to-sla-choice-picker', ToSlaChoicePicker);
