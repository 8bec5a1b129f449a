/**
 * `<to-automation-runs>`: the execution log (`GET /automation/runs`), newest first, filtered by rule
 * and outcome, a page at a time ("Older runs" follows the cursor). Each run opens to its condition
 * trace, applied actions, logs and error.
 */
import { ContextConsumer, I18nController, LitElement, apiContext, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import { fieldErrors, unclaimed } from './form-errors.ts';
import { formStyles } from './form-styles.ts';
import type { Rule, Run } from './shared.ts';
import { traceTree } from './trace-tree.ts';

const OUTCOMES = ['matched', 'no_match', 'error', 'timeout', 'memory', 'crashed', 'throttled', 'loop_stopped'];
const PAGE = 20;

export class ToAutomationRuns extends LitElement {
  static properties = { rules: { attribute: false }, ruleId: { attribute: false }, outcome: { state: true }, runs: { state: true }, next: { state: true }, problem: { state: true } };
  static styles = [formStyles];

  declare rules: Rule[];
  declare ruleId: string;
  declare outcome: string;
  declare runs: (Run & { ruleId?: string; proposed?: unknown[] })[];
  declare next: string | null;
  declare problem: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.rules = [];
    this.ruleId = '';
    this.outcome = '';
    this.runs = [];
    this.next = null;
    this.problem = '';
    new I18nController(this);
  }

  willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('ruleId')) void this.read();
  }

  /** The first page (or, with `more`, the next one) for the current filters. */
  async read(more = false): Promise<void> {
    const api = this.#api.value;
    if (!api) return;
    try {
      const page = await api.get<{ items: ToAutomationRuns['runs']; nextCursor: string | null }>('/automation/runs', {
        limit: PAGE, ruleId: this.ruleId || undefined, outcome: this.outcome || undefined, before: more ? (this.next ?? undefined) : undefined,
      });
      this.runs = more ? [...this.runs, ...page.items] : page.items;
      this.next = page.nextCursor;
      this.problem = '';
    } catch (error) {
      this.problem = unclaimed(fieldErrors(error), () => false).join(' · ');
    }
  }

  #ruleName(id: string | undefined): string {
    return this.rules.find((r) => r.id === id)?.name ?? id ?? '';
  }

  render() {
    return html`<section class="card" aria-labelledby="runs-title">
      <h3 id="runs-title">${t('automation:runs')}</h3>
      <div class="row">
        <div class="field"><label for="runs-rule">${t('automation:filterRule')}</label>
          <select id="runs-rule" @change=${(e: Event) => (this.ruleId = (e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${!this.ruleId}>${t('automation:allRules')}</option>
            ${this.rules.map((r) => html`<option .value=${r.id} ?selected=${r.id === this.ruleId}>${r.name}</option>`)}
          </select></div>
        <div class="field"><label for="runs-outcome">${t('automation:filterOutcome')}</label>
          <select id="runs-outcome" @change=${(e: Event) => {
            this.outcome = (e.target as HTMLSelectElement).value;
            void this.read();
          }}>
            <option value="" ?selected=${!this.outcome}>${t('automation:allOutcomes')}</option>
            ${OUTCOMES.map((o) => html`<option .value=${o} ?selected=${o === this.outcome}>${t(`automation:outcome.${o}`)}</option>`)}
          </select></div>
        <button type="button" @click=${() => this.read()}>${t('automation:refresh')}</button>
      </div>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${this.runs.length
        ? html`<table>
            <thead><tr><th scope="col">${t('automation:when')}</th><th scope="col">${t('automation:rule')}</th><th scope="col">${t('automation:outcomeLabel')}</th><th scope="col">${t('automation:eventLabel')}</th><th scope="col">ms</th><th scope="col">${t('automation:details')}</th></tr></thead>
            <tbody>${this.runs.map((r) => html`<tr data-run=${r.id}>
              <td>${new Date(r.createdAt).toLocaleString()}</td>
              <td>${this.#ruleName(r.ruleId)} <span class="quiet">v${r.ruleVersion}</span></td>
              <td data-outcome=${r.outcome}>${t(`automation:outcome.${r.outcome}`, { defaultValue: r.outcome })}</td>
              <td>${r.eventType}</td>
              <td>${Number(r.wallMs ?? 0).toFixed(1)}</td>
              <td><details><summary>${r.error?.message ?? (r.applied ?? []).map((a) => a.type).join(', ') ?? ''}${r.error || r.applied?.length ? '' : t('automation:details')}</summary>
                ${r.trace?.length ? traceTree(r.trace) : nothing}
                ${r.applied?.length ? html`<ul>${r.applied.map((a) => html`<li>${a.type}: ${a.applied ? t('automation:appliedYes') : t('automation:appliedNo')}${a.detail ? ` — ${a.detail}` : ''}</li>`)}</ul>` : nothing}
                ${r.logs?.length ? html`<pre>${r.logs.join('\n')}</pre>` : nothing}
              </details></td>
            </tr>`)}</tbody>
          </table>
          ${this.next ? html`<button type="button" @click=${() => this.read(true)}>${t('automation:olderRuns')}</button>` : nothing}`
        : html`<p class="quiet">${t('automation:noRuns')}</p>`}
    </section>`;
  }
}

customElements.define('to-automation-runs', ToAutomationRuns);
