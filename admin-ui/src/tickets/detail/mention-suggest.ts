import { type ReactiveController, type ReactiveControllerHost, css, html } from 'lit';
import { t } from '../../i18n/i18n.ts';
import type { PickedMention } from './mentions.ts';

export interface MentionCandidate {
  kind: 'user' | 'group';
  id: string;
  name: string;
  /** Shown under the name: the email of a user. */
  detail?: string;
}

/** `@` and what follows it up to the caret, at the start of the text or after a space. */
const QUERY = /(?:^|\s)@([^\s@]{0,40})$/u;
const MAX = 8;

export const mentionStyles = css`
  .mentions {
    position: relative;
  }
  [role='listbox'] {
    position: absolute;
    z-index: 10;
    inset-inline-start: 0;
    top: 100%;
    min-width: min(20rem, 100%);
    margin: var(--wa-space-3xs) 0 0;
    padding: var(--wa-space-3xs);
    list-style: none;
    background: var(--wa-color-surface-raised);
    color: var(--wa-color-text-normal);
    border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    border-radius: var(--wa-border-radius-m);
    box-shadow: var(--wa-shadow-m);
  }
  [role='option'] {
    display: grid;
    padding: var(--wa-space-2xs) var(--wa-space-xs);
    border-radius: var(--wa-border-radius-s);
    cursor: pointer;
  }
  [role='option'][aria-selected='true'] {
    background: var(--wa-color-brand-fill-loud);
    color: var(--wa-color-brand-on-loud);
    outline: 2px solid var(--wa-color-brand-border-loud);
  }
  [role='option'] small {
    font-size: var(--wa-font-size-xs);
  }
`;

/**
 * The `@` suggestions of a message field: typing `@` and a few letters lists the matching agents
 * and groups; ArrowDown/ArrowUp move, Enter or Tab inserts `@Name` (remembered as the API's
 * `@user:<id>` / `@group:<id>` token), Escape closes. The field keeps the focus throughout
 * (`aria-activedescendant` names the option), as a combobox does.
 */
export class MentionSuggest implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #candidates: () => MentionCandidate[];
  readonly #onPick: (mention: PickedMention) => void;
  matches: MentionCandidate[] = [];
  active = 0;
  #field: HTMLTextAreaElement | null = null;
  #query = '';

  constructor(host: ReactiveControllerHost, candidates: () => MentionCandidate[], onPick: (mention: PickedMention) => void) {
    this.#host = host;
    this.#candidates = candidates;
    this.#onPick = onPick;
    host.addController(this);
  }

  hostConnected(): void {}

  get open(): boolean {
    return this.matches.length > 0;
  }

  /** After each input: is the caret right after `@something`? */
  input(field: HTMLTextAreaElement): void {
    this.#field = field;
    const before = field.value.slice(0, field.selectionStart ?? field.value.length);
    const found = QUERY.exec(before);
    if (!found || field.selectionStart !== field.selectionEnd) {
      this.close();
      return;
    }
    this.#query = found[1] ?? '';
    const q = this.#query.toLowerCase();
    const all = this.#candidates();
    const score = (c: MentionCandidate) => (c.name.toLowerCase().startsWith(q) ? 0 : c.name.toLowerCase().includes(q) || c.detail?.toLowerCase().includes(q) ? 1 : 2);
    this.matches = all.filter((c) => score(c) < 2).sort((a, b) => score(a) - score(b) || a.name.localeCompare(b.name)).slice(0, MAX);
    this.active = 0;
    this.#host.requestUpdate();
  }

  /** Keys while the list is open; true when the key was the list's. */
  keydown(event: KeyboardEvent): boolean {
    if (!this.open) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = (this.active + step + this.matches.length) % this.matches.length;
    } else if ((event.key === 'Enter' || event.key === 'Tab') && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      this.pick(this.matches[this.active]!);
    } else if (event.key === 'Escape') {
      this.close();
    } else return false;
    event.preventDefault();
    event.stopPropagation();
    this.#host.requestUpdate();
    return true;
  }

  pick(candidate: MentionCandidate): void {
    const field = this.#field;
    if (!field) return;
    const end = field.selectionStart ?? field.value.length;
    const start = end - this.#query.length - 1;
    field.setRangeText(`@${candidate.name} `, start, end, 'end');
    this.#onPick({ label: candidate.name, token: `@${candidate.kind}:${candidate.id}` });
    this.close();
    field.focus();
    field.dispatchEvent(new Event('input', { bubbles: true }));
  }

  close(): void {
    if (!this.matches.length) return;
    this.matches = [];
    this.#host.requestUpdate();
  }

  /** Attributes for the field: the list it controls and its current option. */
  get activeId(): string {
    return this.open ? `mention-${this.active}` : '';
  }

  render() {
    if (!this.open) return null;
    return html`<ul role="listbox" id="mention-list" aria-label=${t('ticketDetail:mentions.list')}>
      ${this.matches.map(
        (c, i) => html`<li
          role="option"
          id=${`mention-${i}`}
          aria-selected=${i === this.active ? 'true' : 'false'}
          data-mention=${`${c.kind}:${c.id}`}
          @mousedown=${(e: Event) => e.preventDefault()}
          @click=${() => this.pick(c)}
        >
          <span>${c.name}</span>
          <small>${c.kind === 'group' ? t('ticketDetail:mentions.group') : (c.detail ?? '')}</small>
        </li>`,
      )}
    </ul>`;
  }
}
