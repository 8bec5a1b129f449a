/**
 * `<to-automation-rule-form>`: one rule as a form — name, kind, trigger events / scan conditions /
 * cron and time zone by kind, conditions and actions as forms or a script in the script editor,
 * stop processing and fire once. Saving makes a draft version (a new rule starts as a draft);
 * publish, roll back to a chosen version, enable and disable sit beside it. The API's errors show
 * beside the control their pointer names; "Advanced: JSON" edits the same definition as text.
 */
import { ContextConsumer, I18nController, LitElement, apiContext, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import type { Action } from '../model/actions.ts';
import type { ConditionGroup } from '../model/conditions.ts';
import { TRIGGER_EVENTS } from '../model/fields.ts';
import './actions-editor.ts';
import { type Catalog, emptyCatalog } from './catalog.ts';
import './conditions-editor.ts';
import { errorsAt, errorsUnder, fieldErrors, unclaimed } from './form-errors.ts';
import { formStyles } from './form-styles.ts';
import './script-editor.ts';
import { SCRIPT_TEMPLATE } from './script-editor.ts';
import type { Rule } from './shared.ts';

const KINDS = ['trigger', 'automation', 'scheduled', 'macro'] as const;
/** The parts of a rule a version holds, as the form edits them. */
const EDITABLE = ['name', 'kind', 'description', 'events', 'conditions', 'actions', 'script', 'capabilities', 'stopProcessing', 'fireOncePerTicket', 'cron', 'tz'];
/** Paths the form shows beside a control; anything else goes to the form's alert. */
const CLAIMED = /^(name|kind|description|events|conditions|actions|script|capabilities|cron|tz|stopProcessing|fireOncePerTicket)(\/|$)/;

export type RuleDraft = Record<string, unknown> & { name: string; kind: Rule['kind'] };
interface Version {
  version: number;
  createdAt: string;
  publishedAt: string | null;
}

export const blankRule = (): RuleDraft => ({ name: '', kind: 'trigger', events: ['ticket.updated'], conditions: { all: [] }, actions: [] });

export class ToAutomationRuleForm extends LitElement {
  static properties = {
    rule: { attribute: false }, catalog: { attribute: false }, draft: { state: true }, errors: { state: true }, busy: { state: true },
    advanced: { state: true }, source: { state: true }, versions: { state: true }, rollbackTo: { state: true }, message: { state: true },
  };
  static styles = [formStyles];

  declare rule: Rule | null;
  declare catalog: Catalog;
  declare draft: RuleDraft;
  declare errors: Map<string, string[]>;
  declare busy: boolean;
  declare advanced: boolean;
  declare source: string;
  declare versions: Version[];
  declare rollbackTo: number;
  declare message: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.rule = null;
    this.catalog = emptyCatalog();
    this.draft = blankRule();
    this.errors = new Map();
    this.busy = false;
    this.advanced = false;
    this.source = '';
    this.versions = [];
    this.rollbackTo = 0;
    this.message = '';
    new I18nController(this);
  }

  willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('rule')) return;
    this.errors = new Map();
    this.advanced = false;
    this.draft = this.rule ? (Object.fromEntries(EDITABLE.filter((k) => this.rule![k] !== undefined).map((k) => [k, structuredClone(this.rule![k])])) as RuleDraft) : blankRule();
    void this.#readVersions();
  }

  async #readVersions(): Promise<void> {
    const api = this.#api.value;
    if (!api || !this.rule) {
      this.versions = [];
      return;
    }
    this.versions = (await api.get<{ items: Version[] }>(`/automation/rules/${encodeURIComponent(this.rule.id)}/versions`).catch(() => ({ items: [] }))).items;
    this.rollbackTo = this.versions.find((v) => v.publishedAt && v.version !== this.rule?.publishedVersion)?.version ?? 0;
  }

  #patch(change: Record<string, unknown>): void {
    const next = { ...this.draft, ...change };
    for (const [key, value] of Object.entries(change)) if (value === undefined) delete next[key];
    this.draft = next as RuleDraft;
  }

  /** The body to send: the draft, or the JSON of the advanced view. */
  #body(): RuleDraft | null {
    if (!this.advanced) return this.draft;
    try {
      return JSON.parse(this.source) as RuleDraft;
    } catch (error) {
      this.errors = new Map([['', [t('automation:badJson', { message: (error as Error).message })]]]);
      return null;
    }
  }

  async #call(work: () => Promise<Rule>, message: (rule: Rule) => string): Promise<void> {
    this.busy = true;
    this.errors = new Map();
    this.message = '';
    try {
      const saved = await work();
      this.message = message(saved);
      this.dispatchEvent(new CustomEvent('saved', { detail: saved, bubbles: true, composed: true }));
    } catch (error) {
      this.errors = fieldErrors(error);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[role="alert"]')?.focus();
    } finally {
      this.busy = false;
    }
  }

  #save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const body = this.#body();
    const api = this.#api.value;
    if (!body || !api) return Promise.resolve();
    const saved = (r: Rule) => t('automation:saved', { version: r.latestVersion });
    if (!this.rule) return this.#call(() => api.post<Rule>('/automation/rules', { ...body, active: false }), saved);
    const { kind: _kind, ...change } = body;
    return this.#call(async () => (await api.request<Rule>('PATCH', `/automation/rules/${encodeURIComponent(this.rule!.id)}`, { body: change })).data, saved);
  }

  #post(path: string, body: Record<string, unknown>, message: (r: Rule) => string): Promise<void> {
    const api = this.#api.value!;
    return this.#call(() => api.post<Rule>(`/automation/rules/${encodeURIComponent(this.rule!.id)}${path}`, body), message);
  }

  #toggle(): Promise<void> {
    const api = this.#api.value!;
    const active = !this.rule!.active;
    return this.#call(async () => (await api.request<Rule>('PATCH', `/automation/rules/${encodeURIComponent(this.rule!.id)}`, { body: { active } })).data, (r) => (r.active ? t('automation:enabled') : t('automation:disabled')));
  }

  #toggleAdvanced(): void {
    if (this.advanced) {
      const parsed = this.#body();
      if (!parsed) return;
      this.draft = parsed;
    } else this.source = JSON.stringify(this.draft, null, 2);
    this.advanced = !this.advanced;
  }

  #errorsFor(path: string) {
    return html`<div id=${`${path}-errors`}>${errorsUnder(this.errors, path).map((m) => html`<p class="field-error">${m}</p>`)}</div>`;
  }

  #kindFields() {
    const d = this.draft;
    if (d.kind === 'trigger') {
      const events = new Set((d.events as string[]) ?? []);
      return html`<fieldset aria-describedby="events-errors">
        <legend>${t('automation:events')}</legend>
        ${TRIGGER_EVENTS.map((e) => html`<div class="check"><input type="checkbox" id=${`event-${e}`} .checked=${events.has(e)}
          @change=${(ev: Event) => this.#patch({ events: TRIGGER_EVENTS.filter((x) => (x === e ? (ev.target as HTMLInputElement).checked : events.has(x))) })} /><label for=${`event-${e}`}>${t(`automation:event.${e}`, { defaultValue: e })}</label></div>`)}
        ${this.#errorsFor('events')}
      </fieldset>`;
    }
    if (d.kind === 'automation') return html`<p class="hint">${t('automation:automationHint')}</p>`;
    if (d.kind === 'scheduled') {
      return html`<div class="row">
        <div class="field"><label for="cron">${t('automation:cron')}</label><input id="cron" placeholder="0 8 * * 1-5" aria-invalid=${errorsAt(this.errors, 'cron').length ? 'true' : 'false'} aria-describedby="cron-errors cron-help" .value=${String(d.cron ?? '')} @change=${(e: Event) => this.#patch({ cron: (e.target as HTMLInputElement).value.trim() || undefined })} /><p class="hint" id="cron-help">${t('automation:cronHelp')}</p>${this.#errorsFor('cron')}</div>
        <div class="field"><label for="tz">${t('automation:tz')}</label><input id="tz" list="zones" placeholder="UTC" aria-invalid=${errorsAt(this.errors, 'tz').length ? 'true' : 'false'} aria-describedby="tz-errors" .value=${String(d.tz ?? '')} @change=${(e: Event) => this.#patch({ tz: (e.target as HTMLInputElement).value.trim() || undefined })} />
          <datalist id="zones">${(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []).map((z) => html`<option value=${z}></option>`)}</datalist>${this.#errorsFor('tz')}</div>
      </div>`;
    }
    return nothing;
  }

  #content() {
    const d = this.draft;
    const script = typeof d.script === 'string';
    const canScript = d.kind !== 'macro';
    return html`${canScript
      ? html`<fieldset>
          <legend>${t('automation:mode')}</legend>
          <div class="row">
            <div class="check"><input type="radio" name="mode" id="mode-forms" .checked=${!script} @change=${() => this.#patch({ script: undefined, capabilities: undefined, conditions: d.conditions ?? { all: [] }, actions: d.actions ?? [] })} /><label for="mode-forms">${t('automation:modeForms')}</label></div>
            <div class="check"><input type="radio" name="mode" id="mode-script" .checked=${script} @change=${() => this.#patch({ script: SCRIPT_TEMPLATE, conditions: undefined, actions: undefined })} /><label for="mode-script">${t('automation:modeScript')}</label></div>
          </div>
        </fieldset>`
      : nothing}
    ${script
      ? html`<to-automation-script-editor .value=${d.script as string} .errors=${errorsUnder(this.errors, 'script')} @script-change=${(e: CustomEvent<string>) => (this.draft = { ...this.draft, script: e.detail })}></to-automation-script-editor>
          <div class="field"><label for="capabilities">${t('automation:capabilities')}</label><input id="capabilities" aria-describedby="capabilities-errors" .value=${((d.capabilities as string[]) ?? []).join(', ')}
            @change=${(e: Event) => {
              const list = (e.target as HTMLInputElement).value.split(',').map((s) => s.trim()).filter(Boolean);
              this.#patch({ capabilities: list.length ? list : undefined });
            }} />${this.#errorsFor('capabilities')}</div>`
      : html`${d.kind === 'macro'
          ? nothing
          : html`<fieldset><legend>${t('automation:conditions')}</legend>
              <to-automation-conditions .group=${(d.conditions as ConditionGroup) ?? {}} .catalog=${this.catalog} .errors=${this.errors} @conditions-change=${(e: CustomEvent<ConditionGroup>) => this.#patch({ conditions: e.detail })}></to-automation-conditions>
              ${errorsAt(this.errors, 'conditions').map((m) => html`<p class="field-error">${m}</p>`)}
            </fieldset>`}
          <to-automation-actions .actions=${(d.actions as Action[]) ?? []} .catalog=${this.catalog} .errors=${this.errors} @actions-change=${(e: CustomEvent<Action[]>) => this.#patch({ actions: e.detail })}></to-automation-actions>`}`;
  }

  #lifecycle() {
    const rule = this.rule;
    if (!rule) return nothing;
    const older = this.versions.filter((v) => v.publishedAt && v.version !== rule.publishedVersion);
    return html`<div class="actions">
      <button type="button" @click=${() => this.#post('/publish', {}, (r) => t('automation:published', { version: r.publishedVersion }))} ?disabled=${this.busy || rule.publishedVersion === rule.latestVersion}>${t('automation:publish', { version: rule.latestVersion })}</button>
      <button type="button" @click=${this.#toggle} ?disabled=${this.busy || !rule.publishedVersion}>${rule.active ? t('automation:disable') : t('automation:enable')}</button>
      ${older.length
        ? html`<label for="rollback-to">${t('automation:rollbackTo')}</label>
            <select id="rollback-to" @change=${(e: Event) => (this.rollbackTo = Number((e.target as HTMLSelectElement).value))}>
              ${older.map((v) => html`<option .value=${String(v.version)} ?selected=${v.version === this.rollbackTo}>v${v.version}</option>`)}
            </select>
            <button type="button" ?disabled=${this.busy} @click=${() => this.#post('/rollback', { version: this.rollbackTo }, (r) => t('automation:rolledBack', { version: r.publishedVersion }))}>${t('automation:rollback')}</button>`
        : nothing}
      <span class="quiet">${t('automation:state', { status: t(`automation:status.${rule.status}`, { defaultValue: rule.status }), published: rule.publishedVersion ?? '–', latest: rule.latestVersion })}</span>
    </div>`;
  }

  render() {
    const d = this.draft;
    const title = this.rule ? t('automation:editRule', { name: this.rule.name }) : t('automation:newRule');
    const other = unclaimed(this.errors, (p) => CLAIMED.test(p));
    return html`<form aria-label=${title} @submit=${this.#save} novalidate>
      <h3>${title}</h3>
      <div class="row">
        <div class="field"><label for="name">${t('automation:name')}</label><input id="name" required aria-invalid=${errorsAt(this.errors, 'name').length ? 'true' : 'false'} aria-describedby="name-errors" .value=${d.name ?? ''} @change=${(e: Event) => this.#patch({ name: (e.target as HTMLInputElement).value })} />${this.#errorsFor('name')}</div>
        <div class="field"><label for="kind">${t('automation:kindLabel')}</label>
          <select id="kind" ?disabled=${!!this.rule} @change=${(e: Event) => {
            const kind = (e.target as HTMLSelectElement).value as RuleDraft['kind'];
            this.draft = { name: d.name, kind, ...(kind === 'trigger' ? { events: ['ticket.updated'] } : {}), ...(kind === 'scheduled' ? { cron: '0 8 * * 1-5', tz: 'UTC' } : {}), ...(kind === 'macro' ? {} : { conditions: { all: [] } }), actions: (d.actions as Action[]) ?? [] };
          }}>${KINDS.map((k) => html`<option .value=${k} ?selected=${d.kind === k}>${t(`automation:kind.${k}`)}</option>`)}</select>${this.#errorsFor('kind')}</div>
      </div>
      <div class="field"><label for="description">${t('automation:description')}</label><input id="description" .value=${String(d.description ?? '')} @change=${(e: Event) => this.#patch({ description: (e.target as HTMLInputElement).value || undefined })} /></div>
      ${this.advanced
        ? html`<div class="field"><label for="json">${t('automation:definition')}</label><textarea id="json" class="code" spellcheck="false" .value=${this.source} @input=${(e: Event) => (this.source = (e.target as HTMLTextAreaElement).value)}></textarea></div>`
        : html`${this.#kindFields()} ${this.#content()}
            ${d.kind === 'macro'
              ? nothing
              : html`<div class="row">
                  <div class="check"><input type="checkbox" id="stop" .checked=${d.stopProcessing === true} @change=${(e: Event) => this.#patch({ stopProcessing: (e.target as HTMLInputElement).checked || undefined })} /><label for="stop">${t('automation:stopProcessing')}</label></div>
                  <div class="check"><input type="checkbox" id="once" .checked=${d.fireOncePerTicket === true} @change=${(e: Event) => this.#patch({ fireOncePerTicket: (e.target as HTMLInputElement).checked || undefined })} /><label for="once">${t('automation:fireOnce')}</label></div>
                </div>`}`}
      <div role="alert" tabindex="-1">${other.length ? html`<p class="problem">${t('automation:notSaved')} ${other.join(' · ')}</p>` : this.errors.size ? html`<p class="problem">${t('automation:notSaved')}</p>` : nothing}</div>
      <p role="status" class="quiet">${this.message}</p>
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${this.busy}>${this.rule ? t('automation:saveDraft') : t('automation:create')}</button>
        <button type="button" aria-pressed=${this.advanced ? 'true' : 'false'} @click=${this.#toggleAdvanced}>${t('automation:advanced')}</button>
      </div>
      ${this.#lifecycle()}
    </form>`;
  }
}

customElements.define('to-automation-rule-form', ToAutomationRuleForm);
