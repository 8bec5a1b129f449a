import { html, nothing } from 'lit';
import { t } from '../i18n/i18n.ts';
import { AdminElement } from './admin-element.ts';
import { type JsonSchema, validateAgainst } from './schema-form.ts';
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
}
type List<T> = { items: T[]; nextCursor: string | null };

/**
 * `<to-admin-plugins>` (`/admin/settings/plugins`): the enabled plugins in load order with their
 * version and dependencies, and each one's configuration as a form generated from its config
 * schema. Read-only: plugin configuration lives in the server's config file (the API has no
 * write endpoint), which the screen says; secrets are withheld by the server.
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
      <h3>${t('admin:plugins.configuration')}</h3>
      ${!config
        ? html`<p class="quiet">${t('shell:loading')}</p>`
        : config.schema
          ? html`<to-schema-form readonly .schema=${config.schema} .value=${config.values} .redacted=${config.redacted} .errors=${errors} aria-label=${t('admin:plugins.configOf', { id: plugin.id })}></to-schema-form>
              <details><summary>${t('admin:plugins.schema')}</summary><pre tabindex="0" aria-label=${t('admin:plugins.schema')}>${JSON.stringify(config.schema, null, 2)}</pre></details>`
          : html`<p class="quiet">${t('admin:plugins.noConfig')}</p>`}
    </section>`;
  }

  render() {
    return this.frame('plugins', t('admin:section.plugins'), html`
      <p class="intro">${t('admin:plugins.intro')}</p>
      <p class="card" role="note">${t('admin:plugins.readOnly')}</p>
      ${this.renderProblem()}
      ${this.plugins.length === 0 && !this.busy ? html`<p class="quiet">${t('admin:plugins.none')}</p>` : nothing}
      ${this.plugins.map((p, i) => this.#renderPlugin(p, i))}
    `);
  }
}

customElements.define('to-admin-plugins', ToAdminPlugins);
