/**
 * `<to-automation-script-editor>`: a script rule's source in CodeMirror 6 with TypeScript
 * completions, hover types and diagnostics against `ticketops-rules.d.ts` as this installation
 * serves it (`GET /automation/script-api`). The editor and TypeScript load as a lazy chunk beside
 * the panels module. `serverError` (the API's `sandbox.check` answer on save) shows at its line.
 * Keyboard: Tab indents; Escape then Tab moves focus on (CodeMirror's focus escape).
 */
import { ContextConsumer, I18nController, LitElement, apiContext, css, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import type { ScriptEditorView, ServerError } from './script/editor-view.ts';
import { formStyles } from './form-styles.ts';

/** What a new script starts as: the JSDoc line types `event` and `ctx` for the editor (the sandbox ignores it). */
export const SCRIPT_TEMPLATE = `/** @type {import('./ticketops-rules').RuleScript} */
export default async (event, ctx) => {
  if (!event.ticket.tags.includes('vip')) return [];
  return [{ type: 'set_field', field: 'priority', value: 'urgent' }];
};
`;

/** `does not compile (line 3, column 7): …` → line, column and message. */
export function parseServerError(message: string): ServerError | null {
  const match = /\(line (\d+)(?:, column (\d+))?\)/.exec(message);
  return match ? { line: Number(match[1]), column: match[2] ? Number(match[2]) : undefined, message } : null;
}

let declarations: Promise<string> | null = null;

export class ToAutomationScriptEditor extends LitElement {
  static properties = { value: { attribute: false }, errors: { attribute: false }, state: { state: true } };
  static styles = [formStyles, css`
    .host-editor {
      min-height: 16rem;
    }
  `];

  declare value: string;
  /** Messages the API gave for `script`. */
  declare errors: string[];
  declare state: 'loading' | 'ready' | 'failed';
  #editor: ScriptEditorView | null = null;
  readonly #api = new ContextConsumer(this, { context: apiContext, subscribe: true });

  constructor() {
    super();
    this.value = '';
    this.errors = [];
    this.state = 'loading';
    new I18nController(this);
  }

  async firstUpdated(): Promise<void> {
    try {
      const api = this.#api.value!;
      declarations ??= api.get<{ declarations: string }>('/automation/script-api').then((r) => r.declarations);
      const [{ createScriptEditor }, dts] = await Promise.all([import('./script/editor-view.ts'), declarations]);
      const parent = this.renderRoot.querySelector<HTMLElement>('.host-editor')!;
      this.#editor = createScriptEditor(parent, this.renderRoot as ShadowRoot, {
        doc: this.value, declarations: dts, label: t('automation:scriptLabel'), describedBy: 'script-help script-errors',
        onChange: (doc) => {
          this.value = doc;
          this.dispatchEvent(new CustomEvent('script-change', { detail: doc }));
        },
      });
      this.state = 'ready';
      this.#showServerError();
    } catch (error) {
      declarations = null;
      this.state = 'failed';
      console.warn('script editor', error);
    }
  }

  updated(changed: Map<PropertyKey, unknown>): void {
    const view = this.#editor?.view;
    if (changed.has('value') && view && view.state.doc.toString() !== this.value) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: this.value } });
    if (changed.has('errors')) this.#showServerError();
  }

  #showServerError(): void {
    const located = this.errors.map(parseServerError).find(Boolean) ?? null;
    this.#editor?.showServerError(located);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#editor?.destroy();
    this.#editor = null;
  }

  render() {
    return html`<div class="field">
      <span class="label" id="script-label">${t('automation:scriptLabel')}</span>
      <p class="hint" id="script-help">${t('automation:scriptHelp')}</p>
      ${this.state === 'loading' ? html`<p class="quiet" role="status">${t('automation:editorLoading')}</p>` : nothing}
      ${this.state === 'failed'
        ? html`<textarea class="code" aria-labelledby="script-label" aria-describedby="script-help script-errors" .value=${this.value}
            @input=${(e: Event) => {
              this.value = (e.target as HTMLTextAreaElement).value;
              this.dispatchEvent(new CustomEvent('script-change', { detail: this.value }));
            }}></textarea>`
        : html`<div class="host-editor" data-editor></div>`}
      <div id="script-errors">${this.errors.map((m) => html`<p class="field-error">${m}</p>`)}</div>
    </div>`;
  }
}

customElements.define('to-automation-script-editor', ToAutomationScriptEditor);
