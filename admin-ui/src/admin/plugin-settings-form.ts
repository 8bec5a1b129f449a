import { html, nothing } from 'lit';
import { ApiError } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { AdminElement, problemText } from './admin-element.ts';
import { confirmAction } from './confirm-dialog.ts';
import type { JsonSchema, ToSchemaForm } from './schema-form.ts';
import './plugin-settings-strings.ts';
import './schema-form.ts';

interface SettingsView {
  pluginId: string;
  schema: JsonSchema;
  value: Record<string, unknown>;
  redacted: string[];
  version: number;
}

/** The draft to send: a secret field left empty is `null`, which keeps the stored secret. */
function withSecretsKept(schema: JsonSchema, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...value };
  for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
    if (sub?.writeOnly === true && out[key] === '') out[key] = null;
    else if (sub?.properties && out[key] && typeof out[key] === 'object') out[key] = withSecretsKept(sub, out[key] as Record<string, unknown>);
  }
  return out;
}

/**
 * The form's value without what equals the schema's defaults (objects field by field): a setting
 * left at its default is not saved, so the tenant keeps following the plugin's default if a later
 * version changes it.
 */
function withoutDefaults(schema: JsonSchema, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [key, v] of Object.entries(value)) {
    const sub = properties[key];
    if (sub?.properties && v && typeof v === 'object' && !Array.isArray(v)) {
      const nested = withoutDefaults(sub, v as Record<string, unknown>);
      if (Object.keys(nested).length) out[key] = nested;
    } else if (!(sub && 'default' in sub && JSON.stringify(sub.default) === JSON.stringify(v))) out[key] = v;
  }
  return out;
}

/** The API's field errors as the schema form's pointers: `/body/nested/port` → `/nested/port`. */
function formErrorsOf(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const e of error.errors) if (e.pointer.startsWith('/body')) out[e.pointer.slice('/body'.length)] ??= e.message;
  return out;
}

/**
 * `<to-plugin-settings plugin-id="…">`: a plugin's settings for this help desk
 * (`GET/PUT /api/v1/plugins/{id}/settings`), as a form generated from the plugin's settings
 * schema. Saved whole with `If-Match`, so a change someone else made meanwhile answers 412, which
 * is explained with a way to reload; the API's field errors appear at their fields. Secrets arrive
 * as `null`: left alone they are sent back as `null`, which keeps them. Without
 * `plugins.configure` the form is read-only.
 */
export class ToPluginSettings extends AdminElement {
  static properties = { ...AdminElement.properties, pluginId: { attribute: 'plugin-id' }, view: { state: true }, draft: { state: true }, formErrors: { state: true }, stale: { state: true } };

  declare pluginId: string;
  declare view: SettingsView | null;
  declare draft: Record<string, unknown>;
  declare formErrors: Record<string, string>;
  declare stale: boolean;

  constructor() {
    super();
    this.pluginId = '';
    this.view = null;
    this.draft = {};
    this.formErrors = {};
    this.stale = false;
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    await this.fetching(async () => {
      this.view = await this.api.value!.get<SettingsView>(`/plugins/${encodeURIComponent(this.pluginId)}/settings`);
      this.draft = this.view.value;
      this.formErrors = {};
      this.stale = false;
    });
  }

  async #save(event: Event): Promise<void> {
    event.preventDefault();
    const view = this.view;
    if (!view || this.busy) return;
    this.busy = true;
    this.problem = null;
    this.notice = null;
    this.formErrors = {};
    this.stale = false;
    try {
      const res = await this.api.value!.request<SettingsView>('PUT', `/plugins/${encodeURIComponent(this.pluginId)}/settings`, { body: withSecretsKept(view.schema, withoutDefaults(view.schema, this.draft)), headers: { 'if-match': `"${view.version}"` } });
      this.view = res.data;
      this.draft = res.data.value;
      this.notice = t('pluginSettings:saved', { id: this.pluginId });
    } catch (error) {
      this.stale = error instanceof ApiError && error.status === 412;
      this.formErrors = formErrorsOf(error);
      this.problem = this.stale ? t('pluginSettings:stale') : Object.keys(this.formErrors).length ? t('pluginSettings:invalid') : problemText(error);
      await this.updateComplete;
      // A keyboard user lands on the first field the API named, else on the explanation.
      const form = this.renderRoot.querySelector<ToSchemaForm>('to-schema-form');
      if (!(form && (await form.focusFirstInvalid()))) this.renderRoot.querySelector<HTMLElement>('.problem')?.focus();
    } finally {
      this.busy = false;
    }
  }

  /** Back to the plugin's defaults, after asking (saved values and secrets are forgotten). */
  async #reset(): Promise<void> {
    const view = this.view;
    if (!view || this.busy || !(await confirmAction(t('pluginSettings:resetAsk', { id: this.pluginId }), t('pluginSettings:reset')))) return;
    this.busy = true;
    this.problem = null;
    this.notice = null;
    this.formErrors = {};
    this.stale = false;
    try {
      const res = await this.api.value!.request<SettingsView>('DELETE', `/plugins/${encodeURIComponent(this.pluginId)}/settings`, { headers: { 'if-match': `"${view.version}"` } });
      this.view = res.data;
      this.draft = res.data.value;
      this.notice = t('pluginSettings:wasReset', { id: this.pluginId });
    } catch (error) {
      this.stale = error instanceof ApiError && error.status === 412;
      this.problem = this.stale ? t('pluginSettings:stale') : problemText(error);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.problem')?.focus();
    } finally {
      this.busy = false;
    }
  }

  render() {
    const view = this.view;
    if (!view) return html`${this.problem ? html`<p class="problem" role="alert" tabindex="-1">${this.problem}</p>` : html`<p class="quiet">${t('shell:loading')}</p>`}`;
    const writable = this.can('plugins.configure');
    return html`<form novalidate @submit=${(e: Event) => this.#save(e)} aria-label=${t('pluginSettings:settingsOf', { id: this.pluginId })}>
      ${writable ? nothing : html`<p class="quiet">${t('pluginSettings:readOnly')}</p>`}
      <to-schema-form data-kind="settings" ?readonly=${!writable} .schema=${view.schema} .value=${this.draft} .redacted=${view.redacted} .redactedHint=${t(writable ? 'pluginSettings:secretKept' : 'pluginSettings:secretSet')} .errors=${this.formErrors}
        @value-changed=${(e: CustomEvent<Record<string, unknown>>) => (this.draft = e.detail)}></to-schema-form>
      ${this.problem ? html`<p class="problem" role="alert" tabindex="-1">${this.problem}</p>` : nothing}
      ${writable
        ? html`<div class="actions">
            <button class="primary" type="submit" ?disabled=${this.busy}>${t('pluginSettings:save')}</button>
            ${view.version > 0 ? html`<button type="button" ?disabled=${this.busy} @click=${() => this.#reset()}>${t('pluginSettings:reset')}</button>` : nothing}
            ${this.stale ? html`<button type="button" @click=${() => this.#load()}>${t('pluginSettings:reload')}</button>` : nothing}
          </div>`
        : nothing}
      <!-- Always in the page, so screen readers announce what appears in it. -->
      <p class=${this.notice ? 'notice' : ''} role="status" aria-live="polite">${this.notice ?? ''}</p>
    </form>`;
  }
}

customElements.define('to-plugin-settings', ToPluginSettings);

declare global {
  interface HTMLElementTagNameMap {
    'to-plugin-settings': ToPluginSettings;
  }
}
