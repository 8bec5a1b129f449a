/**
 * `<to-automation-rules>` (zone `settings.section`): the rules in the order they run (move up and
 * down: `PUT /rules/order`), each with its kind and state; the selected or new rule in the rule
 * builder (`<to-automation-rule-form>`), its dry run, and the execution log.
 */
import { ContextConsumer, I18nController, LitElement, apiContext, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import './dry-run-panel.ts';
import { type Catalog, emptyCatalog, loadCatalog } from './catalog.ts';
import { fieldErrors, unclaimed } from './form-errors.ts';
import { formStyles } from './form-styles.ts';
import './rule-form.ts';
import './runs-log.ts';
import type { ToAutomationRuns } from './runs-log.ts';
import type { Rule } from './shared.ts';

export class ToAutomationRules extends LitElement {
  static properties = { panel: { attribute: false }, rules: { state: true }, selected: { state: true }, catalog: { state: true }, problem: { state: true } };
  static styles = [formStyles];

  declare panel: unknown;
  declare rules: Rule[];
  declare selected: Rule | 'new' | null;
  declare catalog: Catalog;
  declare problem: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.rules = [];
    this.selected = null;
    this.catalog = emptyCatalog();
    this.problem = '';
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#read();
    void loadCatalog(this.#api.value!).then((c) => (this.catalog = c));
  }

  async #read(): Promise<void> {
    try {
      this.rules = (await this.#api.value!.get<{ items: Rule[] }>('/automation/rules')).items;
      if (this.selected && this.selected !== 'new') this.selected = this.rules.find((r) => r.id === (this.selected as Rule).id) ?? null;
      this.problem = '';
    } catch (error) {
      this.problem = unclaimed(fieldErrors(error), () => false).join(' · ');
    }
  }

  async #move(index: number, by: -1 | 1): Promise<void> {
    const ids = this.rules.map((r) => r.id);
    [ids[index], ids[index + by]] = [ids[index + by]!, ids[index]!];
    try {
      this.rules = (await this.#api.value!.request<{ items: Rule[] }>('PUT', '/automation/rules/order', { body: { ids } })).data.items;
    } catch (error) {
      this.problem = unclaimed(fieldErrors(error), () => false).join(' · ');
    }
  }

  async #saved(event: CustomEvent<Rule>): Promise<void> {
    await this.#read();
    this.selected = this.rules.find((r) => r.id === event.detail.id) ?? event.detail;
    await this.updateComplete;
    void this.renderRoot.querySelector<ToAutomationRuns>('to-automation-runs')?.read();
  }

  /** A blank form, also when a new rule's form is already open. */
  async #newRule(): Promise<void> {
    this.selected = null;
    await this.updateComplete;
    this.selected = 'new';
  }

  #list() {
    if (!this.rules.length) return html`<p class="quiet">${t('automation:noRules')}</p>`;
    return html`<table>
      <caption class="visually-hidden">${t('automation:rules')}</caption>
      <thead><tr><th scope="col">${t('automation:order')}</th><th scope="col">${t('automation:name')}</th><th scope="col">${t('automation:kindLabel')}</th><th scope="col">${t('automation:stateLabel')}</th></tr></thead>
      <tbody>${this.rules.map((r, i) => html`<tr data-rule=${r.id} aria-current=${this.selected !== 'new' && this.selected?.id === r.id ? 'true' : 'false'}>
        <td><div class="actions">
          <button type="button" ?disabled=${i === 0} aria-label=${t('automation:moveRuleUp', { name: r.name })} @click=${() => this.#move(i, -1)}>↑</button>
          <button type="button" ?disabled=${i === this.rules.length - 1} aria-label=${t('automation:moveRuleDown', { name: r.name })} @click=${() => this.#move(i, 1)}>↓</button>
        </div></td>
        <td><button type="button" class="link" @click=${() => (this.selected = r)}>${r.name}</button></td>
        <td>${t(`automation:kind.${r.kind}`)}</td>
        <td>${r.active ? t('automation:active') : t('automation:inactive')} · ${t(`automation:status.${r.status}`, { defaultValue: r.status })}${r.disabledReason ? html` · <span class="field-error">${r.disabledReason}</span>` : nothing}</td>
      </tr>`)}</tbody>
    </table>`;
  }

  render() {
    const rule = this.selected === 'new' ? null : this.selected;
    return html`<div class="actions"><button type="button" class="primary" @click=${this.#newRule}>${t('automation:newRule')}</button></div>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${this.#list()}
      ${this.selected ? html`<to-automation-rule-form .rule=${rule} .catalog=${this.catalog} @saved=${this.#saved}></to-automation-rule-form>` : nothing}
      ${rule ? html`<to-automation-dry-run .rule=${rule}></to-automation-dry-run>` : nothing}
      <to-automation-runs .rules=${this.rules} .ruleId=${rule?.id ?? ''}></to-automation-runs>`;
  }
}

customElements.define('to-automation-rules', ToAutomationRules);
