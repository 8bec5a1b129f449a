import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { apiContext } from '../api/context.ts';
import type { StreamMessage } from '../api/stream.ts';
import { StreamController } from '../api/stream-controller.ts';
import type { ViewCount } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';

/**
 * `<to-view-list>`: the saved views with their ticket counts, as links. Names and first counts
 * come from `GET /views/counts`; then each view is subscribed on the stream and its count follows
 * `view.count` live.
 */
export class ToViewList extends LitElement {
  static properties = { active: {}, counts: { state: true } };
  static styles = [
    sharedStyles,
    css`
      ul {
        list-style: none;
        margin: var(--wa-space-s) 0 0;
        padding: 0;
        display: grid;
        gap: var(--wa-space-3xs);
      }
      a {
        display: flex;
        justify-content: space-between;
        gap: var(--wa-space-s);
        padding: var(--wa-space-2xs) var(--wa-space-s);
        border-radius: var(--wa-border-radius-m);
        color: inherit;
        text-decoration: none;
      }
      a:hover {
        background: var(--wa-color-neutral-fill-quiet);
      }
      a[aria-current='page'] {
        background: var(--wa-color-brand-fill-quiet);
        color: var(--wa-color-brand-on-quiet);
        font-weight: var(--wa-font-weight-semibold);
      }
      .count {
        font-variant-numeric: tabular-nums;
        color: var(--wa-color-text-quiet);
      }
    `,
  ];

  /** Id of the view being shown; '' for all tickets. */
  declare active: string;
  declare counts: ViewCount[];
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #live = new StreamController(this, (message) => this.#onStream(message));

  constructor() {
    super();
    this.active = '';
    this.counts = [];
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  /** Reads the counts again (after a change that may move tickets between views). */
  async refresh(): Promise<void> {
    try {
      this.counts = (await this.#api.value!.get<{ items: ViewCount[] }>('/views/counts')).items;
      this.#live.listen(this.counts.map((view) => ({ viewId: view.id })));
    } catch {
      // The list still works without counts; the next refresh tries again.
    }
  }

  #onStream(message: StreamMessage): void {
    if (message.type !== 'view.count') return;
    const index = this.counts.findIndex((view) => view.id === message.viewId);
    if (index < 0 || this.counts[index]!.count === message.count) return;
    const counts = [...this.counts];
    counts[index] = { ...counts[index]!, count: message.count };
    this.counts = counts;
  }

  updated(): void {
    this.toggleAttribute('data-live', this.#live.live);
  }

  render() {
    const current = (id: string) => (this.active === id ? 'page' : 'false');
    return html`<nav aria-labelledby="views-title">
      <h2 id="views-title">${t('tickets:views')}</h2>
      <ul>
        <li><a href="/admin/tickets" aria-current=${current('')}>${t('tickets:allTickets')}</a></li>
        ${this.counts.map(
          (view) => html`<li>
            <a href="/admin/tickets?view=${encodeURIComponent(view.id)}" aria-current=${current(view.id)} data-view=${view.id}>
              <span>${view.name}</span><span class="count" aria-label=${t('tickets:viewCount', { count: view.count })}>${view.count}</span>
            </a>
          </li>`,
        )}
      </ul>
    </nav>`;
  }
}

customElements.define('to-view-list', ToViewList);

declare global {
  interface HTMLElementTagNameMap {
    'to-view-list': ToViewList;
  }
}
