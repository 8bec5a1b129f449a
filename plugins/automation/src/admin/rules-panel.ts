/**
 * `<to-automation-rules>` (zone `settings.section`): the rules in order with their state; the
 * selected rule's latest version as JSON (saved as a new draft version, published, rolled back,
 * enabled or disabled), a dry run against a ticket with the condition trace, and the rule's runs.
 * Problems come back as RFC 9457 pointers and are shown as such.
 */
import { ContextConsumer, I18nController, LitElement, apiContext, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import { type Rule, type Run, problemText, styles } from './shared.ts';

/** The parts of a rule that a version holds, as the editor shows them. */
const EDITABLE = ['name', 'kind', 'description', 'events', 'conditions', 'actions', 'script', 'capabilities', 'stopProcessing', 'fireOncePerTicket', 'cron', 'tz'];
const TEMPLATE = { name: 'New rule', kind: 'trigger', events: ['ticket.created'], conditions: { all: [{ field: 'tags', operator: 'contains', value: 'vip' }] }, actions: [{ type: 'set_field', field: 'priority', value: 'urgent' }] };

interface DryRun {
  outcome: string;
  trace: Run['trace'];
  actions: Run['applied'];
  error: { message: string } | null;
}

export class ToAutomationRules extends LitElement {
  static properties = {
    panel: { attribute: false }, rules: { state: true }, selected: { state: true }, source: { state: true }, message: { state: true },
    problem: { state: true }, dry: { state: true }, runs: { state: true }, ticketId: { state: true },
  };
  static styles = [styles];

  declare panel: unknown;
  declare rules: Rule[];
  declare selected: Rule | 'new' | null;
  declare source: string;
  declare message: string;
  declare problem: string;
  declare dry: DryRun | null;
  declare runs: Run[];
  declare ticketId: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.rules = [];
    this.selected = null;
    this.source = '';
    this.message = '';
    this.problem = '';
    this.dry = null;
    this.runs = [];
    this.ticketId = '';
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#read();
  }

  get #client() {
    return this.#api.value!;
  }

  async #read(): Promise<void> {
    try {
      this.rules = (await this.#client.get<{ items: Rule[] }>('/automation/rules')).items;
    } catch (error) {
      this.problem = problemText(error);
    }
  }

  async #select(rule: Rule | 'new'): Promise<void> {
    this.selected = rule;
    this.dry = null;
    this.problem = '';
    this.message = '';
    const shown = rule === 'new' ? TEMPLATE : Object.fromEntries(EDITABLE.filter((k) => rule[k] !== undefined).map((k) => [k, rule[k]]));
    this.source = JSON.stringify(shown, null, 2);
    this.runs = rule === 'new' ? [] : (await this.#client.get<{ items: Run[] }>('/automation/runs', { ruleId: rule.id, limit: 20 }).catch(() => ({ items: [] }))).items;
  }

  /** Runs an API call, showing its problem (with pointers) if it fails, then reads the list again. */
  async #act(work: () => Promise<Rule | undefined>, message: (r: Rule) => string): Promise<void> {
    this.problem = '';
    try {
      const rule = await work();
      await this.#read();
      if (rule) {
        this.message = message(rule);
        await this.#select(this.rules.find((r) => r.id === rule.id) ?? rule);
      }
    } catch (error) {
      this.problem = problemText(error);
    }
  }

  #save(): Promise<void> {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(this.source);
    } catch (error) {
      this.problem = String(error);
      return Promise.resolve();
    }
    if (this.selected === 'new') return this.#act(() => this.#client.post<Rule>('/automation/rules', body), (r) => t('automation:saved', { version: r.latestVersion }));
    const rule = this.selected as Rule;
    const { kind: _kind, ...change } = body;
    return this.#act(async () => (await this.#client.request<Rule>('PATCH', `/automation/rules/${encodeURIComponent(rule.id)}`, { body: change })).data, (r) => t('automation:saved', { version: r.latestVersion }));
  }

  #post(path: string, body: unknown = {}): Promise<void> {
    const rule = this.selected as Rule;
    return this.#act(() => this.#client.post<Rule>(`/automation/rules/${encodeURIComponent(rule.id)}${path}`, body), (r) => `${r.status} (v${r.publishedVersion ?? '–'})`);
  }

  #toggle(): Promise<void> {
    const rule = this.selected as Rule;
    return this.#act(async () => (await this.#client.request<Rule>('PATCH', `/automation/rules/${encodeURIComponent(rule.id)}`, { body: { active: !rule.active } })).data, (r) => (r.active ? t('automation:enable') : t('automation:disable')));
  }

  async #dryRun(): Promise<void> {
    const rule = this.selected as Rule;
    this.problem = '';
    try {
      this.dry = await this.#client.post<DryRun>(`/automation/rules/${encodeURIComponent(rule.id)}/dry-run`, { ticketId: this.ticketId.trim() });
    } catch (error) {
      this.problem = problemText(error);
    }
  }

  #editor() {
    const rule = this.selected;
    if (!rule) return nothing;
    const existing = rule !== 'new';
    return html`<div class="card">
      <label for="source">${t('automation:definition')}</label>
      <textarea id="source" spellcheck="false" .value=${this.source} @input=${(e: Event) => (this.source = (e.target as HTMLTextAreaElement).value)}></textarea>
      <div class="row">
        <wa-button size="small" variant="brand" @click=${this.#save}>${existing ? t('automation:save') : t('automation:create')}</wa-button>
        ${existing
          ? html`<wa-button size="small" @click=${() => this.#post('/publish')}>${t('automation:publish')}</wa-button>
              <wa-button size="small" @click=${() => this.#post('/rollback')} ?disabled=${!rule.publishedVersion}>${t('automation:rollback')}</wa-button>
              <wa-button size="small" appearance="outlined" @click=${this.#toggle} ?disabled=${!rule.publishedVersion}>${rule.active ? t('automation:disable') : t('automation:enable')}</wa-button>`
          : nothing}
      </div>
      <p role="status" class="quiet">${this.message}</p>
      <p role="alert" class="problem">${this.problem}</p>
      ${existing ? this.#dryRunPanel() : nothing}
      ${existing ? this.#runsTable() : nothing}
    </div>`;
  }

  #dryRunPanel() {
    return html`<section class="card" aria-label=${t('automation:dryRun')}>
      <div class="row">
        <label for="ticket">${t('automation:ticketId')}</label>
        <input id="ticket" .value=${this.ticketId} @input=${(e: Event) => (this.ticketId = (e.target as HTMLInputElement).value)} />
        <wa-button size="small" @click=${this.#dryRun} ?disabled=${!this.ticketId.trim()}>${t('automation:dryRun')}</wa-button>
      </div>
      ${this.dry
        ? html`<p>${t('automation:outcome', { outcome: this.dry.outcome })}</p>
            <table>
              <tbody>
                ${this.dry.trace.map((e) => html`<tr><td><code>${e.pointer}</code></td><td>${e.field} ${e.operator}</td><td class=${String(e.result)}>${String(e.result)}</td></tr>`)}
              </tbody>
            </table>
            <ul>${this.dry.actions.map((a) => html`<li>${a.type} ${a.detail ?? ''} ${(a as { wouldSend?: boolean }).wouldSend ? '(would send)' : ''}</li>`)}</ul>`
        : nothing}
    </section>`;
  }

  #runsTable() {
    return html`<section aria-label=${t('automation:runs')}>
      <h4>${t('automation:runs')}</h4>
      ${this.runs.length
        ? html`<table>
            <thead><tr><th>${t('automation:status')}</th><th>event</th><th>ticket</th><th>ms</th><th></th></tr></thead>
            <tbody>
              ${this.runs.map((r) => html`<tr><td>${r.outcome} (v${r.ruleVersion})</td><td>${r.eventType}</td><td>${r.ticketId ?? ''}</td><td>${r.wallMs.toFixed(1)}</td><td class="quiet">${r.error?.message ?? r.applied.map((a) => a.type).join(', ')}</td></tr>`)}
            </tbody>
          </table>`
        : html`<p class="quiet">${t('automation:noRuns')}</p>`}
    </section>`;
  }

  render() {
    return html`<div class="row"><wa-button size="small" @click=${() => this.#select('new')}>${t('automation:newRule')}</wa-button></div>
      <table>
        <tbody>
          ${this.rules.map(
            (r) => html`<tr>
              <td><a href="#" @click=${(e: Event) => {
                e.preventDefault();
                void this.#select(r);
              }}>${r.name}</a></td>
              <td>${r.kind}</td>
              <td>${r.active ? 'active' : 'inactive'} · ${r.status}${r.disabledReason ? html` · <span class="problem">${r.disabledReason}</span>` : nothing}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${this.#editor()}`;
  }
}

customElements.define('to-automation-rules', ToAutomationRules);
