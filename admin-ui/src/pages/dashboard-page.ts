import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { apiContext } from '../api/context.ts';
import type { StreamMessage } from '../api/stream.ts';
import { StreamController } from '../api/stream-controller.ts';
import type { ViewCount } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import '../plugins/zone.ts';
import { sharedStyles } from '../shell/shared-styles.ts';

/**
 * `<to-dashboard-page>` (`/admin/dashboard`): the saved views as cards with their live counts
 * (`view.count` from the stream), and the widgets plugins contribute (`dashboard.widget` zone).
 */
export class ToDashboardPage extends LitElement {
  static properties = { counts: { state: true } };
  static styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        gap: var(--wa-space-l);
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
        gap: var(--wa-space-m);
        align-items: start;
      }
      .view {
        display: grid;
        gap: var(--wa-space-2xs);
        padding: var(--wa-space-m);
        border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        border-radius: var(--wa-border-radius-l);
        background: var(--wa-color-surface-raised);
        color: inherit;
        text-decoration: none;
      }
      .view:hover {
        border-color: var(--wa-color-brand-border-normal);
      }
      .count {
        font-size: var(--wa-font-size-2xl);
        font-weight: var(--wa-font-weight-bold);
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  declare counts: ViewCount[];
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #live = new StreamController(this, (message) => this.#onStream(message));

  constructor() {
    super();
    this.counts = [];
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.#api.value!.get<{ items: ViewCount[] }>('/views/counts').then(
      (page) => {
        this.counts = page.items;
        this.#live.listen(page.items.map((view) => ({ viewId: view.id })));
      },
      () => {},
    );
  }

  #onStream(message: StreamMessage): void {
    if (message.type !== 'view.count') return;
    this.counts = this.counts.map((view) => (view.id === message.viewId ? { ...view, count: message.count } : view));
  }

  render() {
    return html`<h1>${t('shell:dashboard')}</h1>
      <section aria-labelledby="views-title">
        <h2 id="views-title">${t('tickets:views')}</h2>
        <div class="grid">
          ${this.counts.map(
            (view) => html`<a class="view" href="/admin/tickets?view=${encodeURIComponent(view.id)}" data-view=${view.id}>
              <span>${view.name}</span>
              <span class="count" aria-label=${t('tickets:viewCount', { count: view.count })}>${view.count}</span>
            </a>`,
          )}
        </div>
      </section>
      <div class="grid"><to-zone zone="dashboard.widget"></to-zone></div>`;
  }
}

customElements.define('to-dashboard-page', ToDashboardPage);

declare global {
  interface HTMLElementTagNameMap {
    'to-dashboard-page': ToDashboardPage;
  }
}
