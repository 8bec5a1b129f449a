import { html, nothing } from 'lit';
import { t } from '../i18n/i18n.ts';
import { AdminElement } from './admin-element.ts';
import { type JsonSchema, validateAgainst } from './schema-form.ts';
import './plugin-settings-form.ts';
import './plugin-settings-strings.ts';
import './schema-form.ts';

interface Plugin {
  id: string;
  version: string;
  description: string;
  dependsOn: string[];
}
interface PluginConfig {
  id: string;
  schema: JsonSchema | null;
  values: Record<string, unknown>;
  redacted: string[];
  writable: boolean;
  /** The plugin has per-tenant settings (`settingsSchema`), edited in `<to-plugin-settings>`. */
  hasSettings?: boolean;
}
type List<T> = { items: T[]; nextCursor: string | null };

/**
 * `<to-admin-plugins>` (`/admin/settings/plugins`): the enabled plugins in load order with their
 * version and dependencies, each one's installation configuration as a read-only form generated
 * from its config schema (the operator's, from the server's config file; secrets withheld by the
 * server), and, for plugins with a settings schema, this help desk's settings as an editable form
 * (`<to-plugin-settings>`).
 */
export class ToAdminPlugins extends AdminElement {
  static properties = { ...AdminElement.properties, plugins: { state: true }, configs: { state: true } };

  declare plugins: Plugin[];
  declare configs: Record<string, PluginConfig>;

  constructor() {
    super();
    this.plugins = [];
    this.configs = {};
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.fetching(async () => {
      const api = this.api.value!;
      this.plugins = (await api.get<List<Plugin>>('/plugins')).items;
      const configs = await Promise.all(this.plugins.map((p) => api.get<PluginConfig>(`/plugins/${encodeURIComponent(p.id)}/config`)));
      this.configs = Object.fromEntries(configs.map((c) => [c.id, c]));
    });
  }

  #renderPlugin(plugin: Plugin, index: number) {
    const config = this.configs[plugin.id];
    // The configured values checked against the schema too: a mismatch would have stopped the boot, so this shows none in practice.
    const errors = config?.schema ? validateAgainst(config.schema, config.values) : {};
    for (const pointer of config?.redacted ?? []) delete errors[pointer];
    return html`<section class="card" aria-labelledby="p-${plugin.id}" data-plugin=${plugin.id}>
      <h2 id="p-${plugin.id}">${index + 1}. ${plugin.id} <span class="tag">${t('admin:plugins.version', { version: plugin.version })}</span></h2>
      ${plugin.description ? html`<p>${plugin.description}</p>` : nothing}
      ${plugin.dependsOn.length ? html`<p class="quiet">${t('admin:plugins.dependsOn', { list: plugin.dependsOn.join(', ') })}</p>` : nothing}
      <h3>${t('pluginSettings:installation')}</h3>
      <p class="hint">${t('pluginSettings:installationHint')}</p>
      ${!config
        ? html`<p class="quiet">${t('shell:loading')}</p>`
        : config.schema
          ? html`<to-schema-form data-kind="config" readonly .schema=${config.schema} .value=${config.values} .redacted=${config.redacted} .errors=${errors} aria-label=${t('admin:plugins.configOf', { id: plugin.id })}></to-schema-form>
              <details><summary>${t('admin:plugins.schema')}</summary><pre tabindex="0" aria-label=${t('admin:plugins.schema')}>${JSON.stringify(config.schema, null, 2)}</pre></details>`
          : html`<p class="quiet">${t('admin:plugins.noConfig')}</p>`}
      ${config?.hasSettings
        ? html`<h3>${t('pluginSettings:settings')}</h3>
            <to-plugin-settings plugin-id=${plugin.id}></to-plugin-settings>`
        : nothing}
    </section>`;
  }

  render() {
    return this.frame('plugins', t('admin:section.plugins'), html`
      <p class="intro">${t('admin:plugins.intro')}</p>
      <p class="card" role="note">${t('pluginSettings:note')}</p>
      ${this.renderProblem()}
      ${this.plugins.length === 0 && !this.busy ? html`<p class="quiet">${t('admin:plugins.none')}</p>` : nothing}
      ${this.plugins.map((p, i) => this.#renderPlugin(p, i))}
    `);
  }
}

customElements.define('to-admin-plugins', ToAdminPlugins);
