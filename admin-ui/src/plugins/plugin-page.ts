import { ContextConsumer } from '@lit/context';
import type { RouterLocation } from '@vaadin/router';
import { LitElement, type PropertyValues, css, html, nothing } from 'lit';
import { apiContext } from '../api/context.ts';
import { I18nController } from '../i18n/controller.ts';
import { i18n, t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import '../shell/not-found.ts';
import { type AdminPanelDescriptor, loadPanel, loadPanels, panelTitle } from './panels.ts';

type PanelElement = HTMLElement & { panel?: unknown };

/**
 * `<to-plugin-page>` (`/admin/p/<plugin>/<path>/…`): a plugin's page — the `page` zone's panel whose
 * plugin and path the address names, its module loaded only now, given the rest of the address as
 * `subpath`. An address no panel claims (a plugin that is not enabled, a page the user may not see)
 * is the console's "not found".
 */
export class ToPluginPage extends LitElement {
  static properties = { location: { attribute: false }, state: { state: true } };
  static styles = [
    sharedStyles,
    css`
      section {
        display: grid;
        gap: var(--wa-space-m);
      }
    `,
  ];

  declare location: RouterLocation | undefined;
  declare state: { status: 'loading' } | { status: 'missing' } | { status: 'failed'; message: string } | { status: 'ready'; panel: AdminPanelDescriptor; element: PanelElement };
  readonly #api = new ContextConsumer(this, { context: apiContext });
  #key = '';

  constructor() {
    super();
    this.state = { status: 'loading' };
    new I18nController(this);
  }

  #address(): { plugin: string; path: string; subpath: string } {
    const [plugin = '', path = '', ...rest] = (this.location?.pathname ?? '').replace(/^\/admin\/p\//, '').split('/');
    return { plugin: decodeURIComponent(plugin), path: decodeURIComponent(path), subpath: rest.map(decodeURIComponent).join('/') };
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('location')) return;
    const { plugin, path, subpath } = this.#address();
    const key = `${plugin}/${path}`;
    if (key === this.#key) {
      // Same page, another subpath (an article opened inside it): the panel gets the new context.
      if (this.state.status === 'ready') this.#give(this.state.element, this.state.panel, subpath);
      return;
    }
    this.#key = key;
    void this.#open(plugin, path, subpath);
  }

  async #open(plugin: string, path: string, subpath: string): Promise<void> {
    this.state = { status: 'loading' };
    const key = this.#key;
    try {
      const panels = await loadPanels(this.#api.value!);
      const panel = panels.find((p) => p.zone === 'page' && p.plugin === plugin && p.path === path);
      if (!panel) {
        if (key === this.#key) this.state = { status: 'missing' };
        return;
      }
      await loadPanel(panel);
      if (key !== this.#key) return;
      const element = document.createElement(panel.element) as PanelElement;
      this.#give(element, panel, subpath);
      this.state = { status: 'ready', panel, element };
    } catch (error) {
      if (key === this.#key) this.state = { status: 'failed', message: (error as Error).message };
    }
  }

  #give(element: PanelElement, panel: AdminPanelDescriptor, subpath: string): void {
    const title = panelTitle(panel, i18n.language);
    element.panel = { zone: 'page', pluginId: panel.plugin, title, language: i18n.language, subpath };
    element.dataset.plugin = panel.plugin;
    document.title = `${title} · TicketOps`;
  }

  render() {
    switch (this.state.status) {
      case 'loading':
        return html`<wa-spinner aria-label=${t('shell:loading')}></wa-spinner>`;
      case 'missing':
        return html`<to-not-found></to-not-found>`;
      case 'failed':
        return html`<p role="alert">${t('shell:pluginFailed', { message: this.state.message })}</p>`;
      case 'ready': {
        const { panel, element } = this.state;
        return html`<section data-page=${`${panel.plugin}/${panel.path}`} data-panel=${panel.element} aria-labelledby="page-title">
          <h1 id="page-title">${panelTitle(panel, i18n.language)}</h1>
          ${element}
        </section>`;
      }
      default:
        return nothing;
    }
  }
}

customElements.define('to-plugin-page', ToPluginPage);

declare global {
  interface HTMLElementTagNameMap {
    'to-plugin-page': ToPluginPage;
  }
}
