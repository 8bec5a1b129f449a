import { LitElement, css, html } from 'lit';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from './shared-styles.ts';
import { SHORTCUTS, type ShortcutScope } from './shortcuts.ts';

const SCOPES: ShortcutScope[] = ['global', 'list', 'ticket'];

/** A key as shown: `g l` is two keys pressed one after the other, `Ctrl Enter` two held together. */
function renderKeys(keys: string) {
  if (keys.startsWith('Ctrl ')) return html`<kbd>Ctrl</kbd> + <kbd>${keys.slice(5)}</kbd>`;
  const parts = keys.split(' ');
  return parts.map((part, i) => html`${i > 0 ? html` ${t('keys:thenKey')} ` : null}<kbd>${part}</kbd>`);
}

/**
 * `<to-shortcut-help>`: the `?` overlay, a modal dialog listing every keyboard shortcut by where
 * it works. Native `<dialog>`: focus moves in and back, Escape closes it.
 */
export class ToShortcutHelp extends LitElement {
  static styles = [
    sharedStyles,
    css`
      dialog {
        width: min(34rem, calc(100vw - 2rem));
        max-height: calc(100vh - 4rem);
        padding: var(--wa-space-l);
        border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        border-radius: var(--wa-border-radius-l);
        background: var(--wa-color-surface-raised);
        color: var(--wa-color-text-normal);
        box-shadow: var(--wa-shadow-l);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.45);
      }
      header {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: var(--wa-space-m);
      }
      h3 {
        margin-top: var(--wa-space-l);
      }
      table {
        width: 100%;
        border-collapse: collapse;
        margin-top: var(--wa-space-xs);
      }
      th,
      td {
        text-align: left;
        padding: var(--wa-space-2xs) var(--wa-space-xs);
        border-bottom: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        font-weight: normal;
      }
      th {
        white-space: nowrap;
        width: 9rem;
      }
      kbd {
        display: inline-block;
        min-width: 1.6em;
        padding: 0 0.4em;
        font-family: var(--wa-font-family-code, monospace);
        font-size: var(--wa-font-size-s);
        text-align: center;
        border: var(--wa-border-width-s) solid var(--wa-color-neutral-border-normal);
        border-bottom-width: 2px;
        border-radius: var(--wa-border-radius-s);
        background: var(--wa-color-surface-default);
      }
      p {
        margin: var(--wa-space-m) 0 0;
        color: var(--wa-color-text-quiet);
        font-size: var(--wa-font-size-s);
      }
    `,
  ];

  constructor() {
    super();
    new I18nController(this);
  }

  get open(): boolean {
    return this.#dialog?.open ?? false;
  }

  get #dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  show(): void {
    this.#dialog?.showModal();
  }

  close(): void {
    this.#dialog?.close();
  }

  /** A click on the backdrop (outside the dialog's box) closes it. */
  #backdropClick(event: MouseEvent): void {
    const dialog = this.#dialog;
    if (!dialog || event.target !== dialog) return;
    const box = dialog.getBoundingClientRect();
    if (event.clientX < box.left || event.clientX > box.right || event.clientY < box.top || event.clientY > box.bottom) this.close();
  }

  render() {
    return html`<dialog aria-labelledby="shortcuts-title" @click=${this.#backdropClick}>
      <header>
        <h2 id="shortcuts-title">${t('keys:title')}</h2>
        <wa-button size="small" appearance="plain" @click=${() => this.close()}>${t('keys:close')}</wa-button>
      </header>
      ${SCOPES.map(
        (scope) => html`<h3 id="keys-${scope}">${t(`keys:scope.${scope}`)}</h3>
          <table aria-labelledby="keys-${scope}">
            <tbody>
              ${SHORTCUTS.filter((s) => s.scope === scope).map(
                (s) => html`<tr>
                  <th scope="row">${s.keys.map((k, i) => html`${i > 0 ? html` ${t('keys:or')} ` : null}${renderKeys(k)}`)}</th>
                  <td>${t(s.label)}</td>
                </tr>`,
              )}
            </tbody>
          </table>`,
      )}
      <p>${t('keys:notWhileTyping')}</p>
    </dialog>`;
  }
}

customElements.define('to-shortcut-help', ToShortcutHelp);

declare global {
  interface HTMLElementTagNameMap {
    'to-shortcut-help': ToShortcutHelp;
  }
}
