import { ContextConsumer } from '@lit/context';
import type { AdminPanelContext, ComposerHandle } from '@ticketops/plugin-sdk/admin.ts';
import { LitElement, type PropertyValues, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { apiContext } from '../api/context.ts';
import type { Comment, Ticket } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { i18n, t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { type AdminPanelDescriptor, type AdminZone, loadPanel, loadPanels, panelTitle } from './panels.ts';

type PanelState = { status: 'loading' } | { status: 'ready'; element: HTMLElement & { panel?: AdminPanelContext } } | { status: 'failed'; message: string };

/** Zones whose panels get a heading of their own (the others are small inline controls). */
const TITLED: ReadonlySet<AdminZone> = new Set(['ticket.sidebar', 'settings.section', 'dashboard.widget', 'portal.home']);

/**
 * `<to-zone zone="ticket.sidebar" .ticket=${ticket}>`: where plugin panels mount. It asks the
 * console's panel list (one request per session) for the panels of its zone; when there are
 * some, it imports their plugin modules — only then, and each module once — and renders each
 * panel's element with its `panel` context (zone, title, language, ticket, composer, comment). A zone without
 * panels renders nothing and loads nothing; a plugin that is not enabled has no panels. A module
 * that fails to load shows a short message in its panel's place, never breaking the page.
 */
export class ToZone extends LitElement {
  static properties = {
    zone: { reflect: true },
    ticket: { attribute: false },
    composer: { attribute: false },
    comment: { attribute: false },
    panels: { state: true },
    states: { state: true },
  };
  static styles = [
    sharedStyles,
    css`
      :host {
        display: contents;
      }
      .titled {
        display: grid;
        gap: var(--wa-space-s);
      }
      /* In the ticket sidebar, each panel is set off from the fields above it. */
      :host([zone='ticket.sidebar']) section.titled,
      section.titled + section.titled {
        margin-top: var(--wa-space-m);
        padding-top: var(--wa-space-m);
        border-top: var(--wa-border-width-s) solid var(--wa-color-surface-border);
      }
      .inline {
        display: inline-flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--wa-space-xs);
      }
      /* The composer's and a message's panels take the full width under the text. */
      :host([zone='ticket.composer']) .inline,
      :host([zone='comment.attachments']) .inline,
      :host([zone='portal.composer']) .inline,
      :host([zone='portal.message.attachments']) .inline {
        display: block;
      }
      .card {
        padding: var(--wa-space-m);
        border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        border-radius: var(--wa-border-radius-l);
        background: var(--wa-color-surface-raised);
      }
      .failed {
        color: var(--wa-color-danger-on-quiet);
        font-size: var(--wa-font-size-s);
      }
    `,
  ];

  declare zone: AdminZone;
  declare ticket: Ticket | null;
  /** `ticket.composer`, `portal.composer`: the composer hosting the zone. */
  declare composer: ComposerHandle | null;
  /** `comment.attachments`: the message the zone sits under. */
  declare comment: Comment | null;
  declare panels: AdminPanelDescriptor[];
  declare states: ReadonlyMap<string, PanelState>;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.ticket = null;
    this.composer = null;
    this.comment = null;
    this.panels = [];
    this.states = new Map();
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    const api = this.#api.value;
    if (!api) return;
    loadPanels(api).then(
      (all) => {
        this.panels = all.filter((panel) => panel.zone === this.zone);
        for (const panel of this.panels) void this.#load(panel);
      },
      () => {
        // Without the list the zone stays empty; the page works without plugins.
      },
    );
  }

  async #load(panel: AdminPanelDescriptor): Promise<void> {
    if (this.states.has(panel.element)) return;
    this.#set(panel.element, { status: 'loading' });
    try {
      await loadPanel(panel);
      this.#set(panel.element, { status: 'ready', element: document.createElement(panel.element) });
    } catch (error) {
      this.#set(panel.element, { status: 'failed', message: (error as Error).message });
    }
  }

  #set(element: string, state: PanelState): void {
    this.states = new Map(this.states).set(element, state);
  }

  /** The context each panel element gets, fresh on every change (its `panel` property). */
  protected willUpdate(_changed: PropertyValues<this>): void {
    for (const panel of this.panels) {
      const state = this.states.get(panel.element);
      if (state?.status !== 'ready') continue;
      const context: AdminPanelContext = { zone: this.zone, pluginId: panel.plugin, title: panelTitle(panel, i18n.language), language: i18n.language };
      if (this.ticket) context.ticket = { ...this.ticket };
      if (this.composer) context.composer = this.composer;
      if (this.comment) {
        const { id, ticketId, internal, authorId, createdAt, channel } = this.comment;
        context.comment = { id, ticketId, internal, authorId, createdAt, channel };
      }
      state.element.panel = context;
      state.element.dataset.plugin = panel.plugin;
    }
  }

  #body(panel: AdminPanelDescriptor) {
    const state = this.states.get(panel.element);
    if (!state || state.status === 'loading') return html`<wa-spinner aria-label=${t('shell:loading')}></wa-spinner>`;
    if (state.status === 'failed') return html`<span class="failed" role="status" title=${state.message}>${t('shell:panelFailed', { title: panelTitle(panel, i18n.language) })}</span>`;
    return state.element;
  }

  render() {
    if (this.panels.length === 0) return nothing;
    const titled = TITLED.has(this.zone);
    const card = this.zone === 'dashboard.widget';
    return html`${repeat(
      this.panels,
      (panel) => panel.element,
      (panel) =>
        titled
          ? html`<section class="titled ${card ? 'card' : ''}" aria-labelledby="panel-${panel.element}" data-panel=${panel.element}>
              <h2 id="panel-${panel.element}">${panelTitle(panel, i18n.language)}</h2>
              ${this.#body(panel)}
            </section>`
          : html`<div class="inline" data-panel=${panel.element} role="group" aria-label=${panelTitle(panel, i18n.language)}>${this.#body(panel)}</div>`,
    )}`;
  }
}

customElements.define('to-zone', ToZone);

declare global {
  interface HTMLElementTagNameMap {
    'to-zone': ToZone;
  }
}
