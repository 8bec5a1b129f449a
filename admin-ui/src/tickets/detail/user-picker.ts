import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { apiContext } from '../../api/context.ts';
import type { Page, User } from '../../api/types.ts';
import { I18nController } from '../../i18n/controller.ts';
import { t } from '../../i18n/i18n.ts';
import { sharedStyles } from '../../shell/shared-styles.ts';
import { mentionStyles } from './mention-suggest.ts';

/** Typing pauses this long before the server is asked. */
const DEBOUNCE_MS = 250;
const MAX = 10;

/**
 * `<to-user-picker label=…>`: finds people as one types, asking the server
 * (`GET /users/search?q=&active=true`, a moment after typing stops), so everyone can be found,
 * not only the first page of users. A combobox: the field keeps the focus, ArrowDown/ArrowUp move
 * through the matches (`aria-activedescendant`), Enter or a click picks one, Escape closes the
 * list; how many were found is said in a polite status line. Fires `user-picked` with the user.
 */
export class ToUserPicker extends LitElement {
  static properties = { label: {}, found: { state: true }, active: { state: true }, searched: { state: true }, failure: { state: true } };
  static styles = [
    sharedStyles,
    mentionStyles,
    css`
      :host {
        display: grid;
        gap: var(--wa-space-2xs);
      }
      .mentions {
        display: grid;
        gap: var(--wa-space-3xs);
      }
      input {
        font: inherit;
        min-width: 0;
        padding: var(--wa-space-2xs) var(--wa-space-xs);
        color: var(--wa-color-text-normal);
        background: var(--wa-color-surface-default);
        border: var(--wa-border-width-s) solid var(--wa-color-neutral-border-loud);
        border-radius: var(--wa-border-radius-m);
      }
      .status {
        margin: 0;
        font-size: var(--wa-font-size-s);
        color: var(--wa-color-text-quiet);
      }
    `,
  ];

  declare label: string;
  /** Users matching the text, null while nothing has been searched. */
  declare found: User[] | null;
  /** The option the arrow keys are on (-1: none). */
  declare active: number;
  declare searched: string;
  /** Why the last search failed (said instead of "no one found"). */
  declare failure: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Answers to older searches that arrive late are dropped. */
  #asked = 0;

  constructor() {
    super();
    this.label = '';
    this.found = null;
    this.active = -1;
    this.searched = '';
    this.failure = '';
    new I18nController(this);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
  }

  #input(event: Event): void {
    const text = (event.target as HTMLInputElement).value;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#search(text), DEBOUNCE_MS);
  }

  async #search(text: string): Promise<void> {
    const q = text.trim();
    const asked = ++this.#asked;
    if (!q) {
      this.found = null;
      this.searched = '';
      return;
    }
    let users: User[] = [];
    let failure = '';
    try {
      users = (await this.#api.value!.get<Page<User>>('/users/search', { q, active: true, limit: MAX })).items;
    } catch (error) {
      failure = (error as Error).message;
    }
    if (asked !== this.#asked) return;
    this.failure = failure;
    this.found = users;
    this.searched = q;
    this.active = users.length ? 0 : -1;
  }

  #pick(user: User): void {
    clearTimeout(this.#timer);
    this.#asked++;
    this.found = null;
    this.searched = '';
    this.active = -1;
    const input = this.renderRoot.querySelector('input');
    if (input) input.value = '';
    this.dispatchEvent(new CustomEvent('user-picked', { detail: user, bubbles: true, composed: true }));
  }

  #keydown(event: KeyboardEvent): void {
    const matches = this.found ?? [];
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!matches.length) return;
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = (this.active + step + matches.length) % matches.length;
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const text = (event.target as HTMLInputElement).value;
      const user = matches[this.active];
      // The matches are for the text as it is: pick. Typed on since (or nothing found): search at once.
      if (user && text.trim() === this.searched) this.#pick(user);
      else {
        clearTimeout(this.#timer);
        void this.#search(text);
      }
    } else if (event.key === 'Escape' && this.found) {
      event.preventDefault();
      event.stopPropagation();
      this.found = null;
      this.active = -1;
    }
  }

  render() {
    const matches = this.found ?? [];
    const open = matches.length > 0;
    return html`<label for="find">${this.label}</label>
      <div class="mentions">
        <input
          id="find"
          type="search"
          role="combobox"
          autocomplete="off"
          aria-autocomplete="list"
          aria-expanded=${open ? 'true' : 'false'}
          aria-controls="matches"
          aria-activedescendant=${ifDefined(open && this.active >= 0 ? `match-${this.active}` : undefined)}
          placeholder=${t('ticketDetail:userPicker.placeholder')}
          @input=${this.#input}
          @keydown=${this.#keydown}
        />
        <ul id="matches" role="listbox" aria-label=${t('ticketDetail:userPicker.matches')} ?hidden=${!open}>
          ${matches.map(
            (user, i) => html`<li
              id="match-${i}"
              role="option"
              data-user=${user.id}
              aria-selected=${i === this.active ? 'true' : 'false'}
              @pointerdown=${(e: Event) => e.preventDefault()}
              @click=${() => this.#pick(user)}
            >
              <span>${user.name}</span><small>${user.email}</small>
            </li>`,
          )}
        </ul>
      </div>
      <p class="status" role="status">${this.#status(matches.length)}</p>`;
  }

  #status(count: number): string {
    if (this.found === null) return '';
    if (this.failure) return t('shell:error', { message: this.failure });
    return count ? t('ticketDetail:userPicker.found', { count }) : t('ticketDetail:userPicker.none', { text: this.searched });
  }
}

customElements.define('to-user-picker', ToUserPicker);

declare global {
  interface HTMLElementTagNameMap {
    'to-user-picker': ToUserPicker;
  }
}
