import { Router } from '@vaadin/router';
import { LitElement, css, html } from 'lit';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from './shared-styles.ts';

/** `<to-global-search>`: the header's search box; opens the ticket list searching for the words. */
export class ToGlobalSearch extends LitElement {
  static styles = [
    sharedStyles,
    css`
      form {
        width: 100%;
      }
    `,
  ];

  readonly #onLocation = () => {
    // On the ticket list the box shows what the list searches for.
    if (window.location.pathname !== '/admin/tickets') return;
    const input = this.renderRoot.querySelector('wa-input');
    if (input) input.value = new URLSearchParams(window.location.search).get('q') ?? '';
  };

  constructor() {
    super();
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('vaadin-router-location-changed', this.#onLocation);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('vaadin-router-location-changed', this.#onLocation);
  }

  /** Puts the cursor in the search box (the `/` shortcut). */
  focus(): void {
    const input = this.renderRoot.querySelector('wa-input') as HTMLElement | null;
    input?.focus();
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector('wa-input')!;
    const q = (input.value ?? '').trim();
    Router.go(q ? `/admin/tickets?q=${encodeURIComponent(q)}` : '/admin/tickets');
  }

  render() {
    return html`<form role="search" @submit=${this.#submit}>
      <wa-input type="search" name="q" class="hidden-label" label=${t('shell:search')} placeholder=${t('shell:searchPlaceholder')} with-clear></wa-input>
    </form>`;
  }
}

customElements.define('to-global-search', ToGlobalSearch);

declare global {
  interface HTMLElementTagNameMap {
    'to-global-search': ToGlobalSearch;
  }
}
