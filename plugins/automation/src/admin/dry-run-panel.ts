/**
 * `<to-automation-dry-run>`: evaluates the rule's latest version (draft or not) against a ticket
 * picked by number or a pasted snapshot, as a given event, and shows the outcome, the condition
 * trace as a tree (each condition true or false, groups by their JSON pointer) and the proposed
 * actions. Nothing is written (`POST /rules/{id}/dry-run`).
 */
import { ContextConsumer, I18nController, LitElement, apiContext, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import { TRIGGER_EVENTS } from '../model/fields.ts';
import { fieldErrors, unclaimed } from './form-errors.ts';
import { formStyles } from './form-styles.ts';
import type { Rule, TraceEntry } from './shared.ts';
import { traceTree } from './trace-tree.ts';

interface DryRun {
  outcome: string;
  trace: TraceEntry[];
  actions: { type: string; applied?: boolean; detail?: string; wouldSend?: boolean }[];
  error: { message: string } | null;
}

export class ToAutomationDryRun extends LitElement {
  static properties = { rule: { attribute: false }, source: { state: true }, changes: { state: true }, number: { state: true }, snapshot: { state: true }, eventType: { state: true }, result: { state: true }, problem: { state: true }, busy: { state: true } };
  static styles = [formStyles];

  declare rule: Rule;
  declare source: 'ticket' | 'snapshot';
  declare number: string;
  declare snapshot: string;
  declare eventType: string;
  /** The event's changes as JSON (`[{ "field": "priority", "from": "normal", "to": "urgent" }]`), for `changed…` conditions. */
  declare changes: string;
  declare result: DryRun | null;
  declare problem: string;
  declare busy: boolean;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.source = 'ticket';
    this.number = '';
    this.snapshot = '{\n  "title": "Printer on fire",\n  "priority": "urgent",\n  "tags": []\n}';
    this.eventType = '';
    this.changes = '';
    this.result = null;
    this.problem = '';
    this.busy = false;
    new I18nController(this);
  }

  willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('rule')) {
      this.result = null;
      this.problem = '';
      this.eventType = this.rule?.events?.[0] ?? '';
    }
  }

  /** The ticket's id by its number (`GET /tickets/by-number/{n}`). */
  async #ticketId(): Promise<string> {
    const n = Number(this.number.replace(/^#/, '').trim());
    if (!Number.isInteger(n) || n < 1) throw new Error(t('automation:noSuchTicket', { number: this.number }));
    return (await this.#api.value!.get<{ id: string }>(`/tickets/by-number/${n}`)).id;
  }

  async #run(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    this.busy = true;
    this.problem = '';
    this.result = null;
    try {
      const target = this.source === 'ticket' ? { ticketId: await this.#ticketId() } : { ticket: JSON.parse(this.snapshot) };
      const changes = this.changes.trim() ? JSON.parse(this.changes) : undefined;
      const event = this.eventType || changes ? { ...(this.eventType ? { type: this.eventType } : {}), ...(changes ? { changes } : {}) } : undefined;
      const body = { ...target, ...(event ? { event } : {}) };
      this.result = await this.#api.value!.post<DryRun>(`/automation/rules/${encodeURIComponent(this.rule.id)}/dry-run`, body);
    } catch (error) {
      this.problem = unclaimed(fieldErrors(error), () => false).join(' · ');
    } finally {
      this.busy = false;
    }
  }

  #result() {
    const r = this.result;
    if (!r) return nothing;
    return html`<div data-dry-run-result>
      <p><strong>${t('automation:outcomeLabel')}</strong> <span data-outcome=${r.outcome}>${t(`automation:outcome.${r.outcome}`, { defaultValue: r.outcome })}</span></p>
      ${r.error ? html`<p class="problem">${r.error.message}</p>` : nothing}
      <h4>${t('automation:trace')}</h4>
      ${r.trace.length ? traceTree(r.trace, this.rule.conditions) : html`<p class="quiet">${t('automation:noTrace')}</p>`}
      <h4>${t('automation:proposed')}</h4>
      ${r.actions.length
        ? html`<ul>${r.actions.map((a) => html`<li>${t(`automation:action.${a.type}`, { defaultValue: a.type })}${a.detail ? html` — ${a.detail}` : nothing}${a.wouldSend ? html` <span class="quiet">(${t('automation:wouldSend')})</span>` : nothing}</li>`)}</ul>`
        : html`<p class="quiet">${t('automation:noActions')}</p>`}
    </div>`;
  }

  render() {
    return html`<form aria-label=${t('automation:dryRun')} @submit=${this.#run}>
      <h3>${t('automation:dryRun')}</h3>
      <fieldset>
        <legend>${t('automation:dryRunAgainst')}</legend>
        <div class="row">
          <div class="check"><input type="radio" name="source" id="src-ticket" .checked=${this.source === 'ticket'} @change=${() => (this.source = 'ticket')} /><label for="src-ticket">${t('automation:byNumber')}</label></div>
          <div class="check"><input type="radio" name="source" id="src-snapshot" .checked=${this.source === 'snapshot'} @change=${() => (this.source = 'snapshot')} /><label for="src-snapshot">${t('automation:bySnapshot')}</label></div>
        </div>
      </fieldset>
      <div class="row">
        ${this.source === 'ticket'
          ? html`<div class="field"><label for="number">${t('automation:ticketNumber')}</label><input id="number" inputmode="numeric" .value=${this.number} @input=${(e: Event) => (this.number = (e.target as HTMLInputElement).value)} /></div>`
          : html`<div class="field"><label for="snapshot">${t('automation:snapshot')}</label><textarea id="snapshot" class="code" spellcheck="false" .value=${this.snapshot} @input=${(e: Event) => (this.snapshot = (e.target as HTMLTextAreaElement).value)}></textarea></div>`}
        <div class="field"><label for="event-type">${t('automation:asEvent')}</label>
          <select id="event-type" @change=${(e: Event) => (this.eventType = (e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${!this.eventType}>—</option>
            ${TRIGGER_EVENTS.map((e) => html`<option .value=${e} ?selected=${e === this.eventType}>${e}</option>`)}
          </select></div>
      </div>
      <div class="field"><label for="changes">${t('automation:changes')}</label>
        <p class="hint" id="changes-help">${t('automation:changesHelp')}</p>
        <textarea id="changes" class="code short" spellcheck="false" aria-describedby="changes-help" .value=${this.changes} @input=${(e: Event) => (this.changes = (e.target as HTMLTextAreaElement).value)}></textarea></div>
      <div class="actions"><button type="submit" ?disabled=${this.busy || (this.source === 'ticket' && !this.number.trim())}>${t('automation:runDry')}</button></div>
      <div role="alert">${this.problem ? html`<p class="problem">${this.problem}</p>` : nothing}</div>
      <div role="status" aria-live="polite">${this.#result()}</div>
    </form>`;
  }
}

customElements.define('to-automation-dry-run', ToAutomationDryRun);
