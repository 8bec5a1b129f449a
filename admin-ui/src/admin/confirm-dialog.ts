import { LitElement, css, html } from 'lit';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { adminStyles } from './admin-styles.ts';

/**
 * `<to-confirm-dialog>`: a native modal dialog asking before a destructive action. Focus moves to
 * Cancel (the safe choice), Escape cancels, and focus returns to where it was.
 */
export class ToConfirmDialog extends LitElement {
  static properties = { message: { type: String }, confirmLabel: { type: String } };
  static styles = [
    sharedStyles,
    adminStyles,
    css`
      dialog {
        max-width: min(32rem, 90vw);
        border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        border-radius: var(--wa-border-radius-m);
        background: var(--wa-color-surface-raised);
        color: var(--wa-color-text-normal);
        padding: var(--wa-space-l);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.45);
      }
      p {
        margin: 0 0 var(--wa-space-m);
      }
    `,
  ];

  declare message: string;
  declare confirmLabel: string;
  #resolve: (ok: boolean) => void = () => {};

  constructor() {
    super();
    this.message = '';
    this.confirmLabel = '';
  }

  async ask(): Promise<boolean> {
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog') as HTMLDialogElement;
    const back = document.activeElement;
    const answer = new Promise<boolean>((resolve) => {
      this.#resolve = resolve;
    });
    dialog.showModal();
    (this.renderRoot.querySelector('button[value="cancel"]') as HTMLButtonElement).focus();
    const ok = await answer;
    dialog.close();
    (back as HTMLElement | null)?.focus?.();
    return ok;
  }

  render() {
    return html`<dialog aria-labelledby="msg" @cancel=${() => this.#resolve(false)}>
      <p id="msg">${this.message}</p>
      <div class="actions">
        <button type="button" class="danger" value="confirm" @click=${() => this.#resolve(true)}>${this.confirmLabel || t('admin:confirm')}</button>
        <button type="button" value="cancel" @click=${() => this.#resolve(false)}>${t('admin:cancel')}</button>
      </div>
    </dialog>`;
  }
}

customElements.define('to-confirm-dialog', ToConfirmDialog);

/** Asks the user to confirm; resolves true only on the explicit confirm button. */
export async function confirmAction(message: string, confirmLabel?: string): Promise<boolean> {
  const dialog = document.createElement('to-confirm-dialog');
  dialog.message = message;
  dialog.confirmLabel = confirmLabel ?? '';
  document.body.append(dialog);
  try {
    return await dialog.ask();
  } finally {
    dialog.remove();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'to-confirm-dialog': ToConfirmDialog;
  }
}
