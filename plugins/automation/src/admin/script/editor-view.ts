/**
 * The script editor proper, loaded as a lazy chunk (TypeScript's language service is large):
 * CodeMirror 6 with JavaScript highlighting, and `@valtown/codemirror-ts` on a virtual TypeScript 6
 * environment holding the standard library and `ticketops-rules.d.ts`, so the script (a JavaScript
 * module, checked with `checkJs`) gets completions, hover types and diagnostics. Errors the server
 * reports on save (`sandbox.check`: line and column) show as diagnostics too, until the next edit.
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { HighlightStyle, bracketMatching, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, forceLinting, lintGutter, lintKeymap, linter } from '@codemirror/lint';
import { EditorState, StateEffect, StateField } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { createSystem, createVirtualTypeScriptEnvironment } from '@typescript/vfs';
import { tsAutocomplete, tsFacet, tsHover, tsLinter, tsSync } from '@valtown/codemirror-ts';
import ts from 'typescript6';
import libs from 'virtual:ts-libs';

/** The script's path in the virtual environment; the declarations sit beside it (`import('./ticketops-rules')`). */
const SCRIPT = '/rule.js';
const DECLARATIONS = '/ticketops-rules.d.ts';

export interface ServerError {
  line: number;
  column?: number;
  message: string;
}

export interface ScriptEditorView {
  view: EditorView;
  /** Shows the server's compile error at its line (cleared by the next edit). */
  showServerError(error: ServerError | null): void;
  destroy(): void;
}

const setServerError = StateEffect.define<ServerError | null>();
const serverError = StateField.define<ServerError | null>({
  create: () => null,
  update(value, tr) {
    for (const effect of tr.effects) if (effect.is(setServerError)) return effect.value;
    return tr.docChanged ? null : value;
  },
});

function serverDiagnostics(view: EditorView): Diagnostic[] {
  const error = view.state.field(serverError);
  if (!error) return [];
  const doc = view.state.doc;
  const line = doc.line(Math.min(Math.max(error.line, 1), doc.lines));
  const from = Math.min(line.from + Math.max((error.column ?? 1) - 1, 0), line.to);
  return [{ from, to: Math.max(from, line.to), severity: 'error', source: 'server', message: error.message }];
}

/** Token colours from the console's theme tokens, so both themes keep their contrast. */
const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.moduleKeyword, tags.operatorKeyword], color: 'var(--wa-color-brand-on-quiet)', fontWeight: '600' },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: 'var(--wa-color-success-on-quiet)' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--wa-color-warning-on-quiet)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment, tags.docComment], color: 'var(--wa-color-text-quiet)', fontStyle: 'italic' },
  { tag: [tags.propertyName, tags.function(tags.variableName)], color: 'var(--wa-color-text-normal)' },
  { tag: tags.invalid, color: 'var(--wa-color-danger-on-quiet)' },
]);

const theme = EditorView.theme({
  '&': { color: 'var(--wa-color-text-normal)', backgroundColor: 'var(--wa-color-surface-default)', border: 'var(--wa-border-width-s) solid var(--wa-color-neutral-border-loud)', borderRadius: 'var(--wa-border-radius-s)', minHeight: '16rem' },
  '&.cm-focused': { outline: 'var(--wa-focus-ring, 3px solid var(--wa-color-focus, #0071ec))', outlineOffset: '2px' },
  '.cm-content': { fontFamily: 'var(--wa-font-family-code, monospace)', fontSize: 'var(--wa-font-size-s)', caretColor: 'var(--wa-color-text-normal)' },
  '.cm-gutters': { backgroundColor: 'var(--wa-color-surface-raised)', color: 'var(--wa-color-text-quiet)', borderRight: 'var(--wa-border-width-s) solid var(--wa-color-surface-border)' },
  '.cm-activeLine': { backgroundColor: 'transparent' },
  '.cm-tooltip': { backgroundColor: 'var(--wa-color-surface-raised)', color: 'var(--wa-color-text-normal)', border: 'var(--wa-border-width-s) solid var(--wa-color-surface-border)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--wa-color-brand-fill-loud)', color: 'var(--wa-color-brand-on-loud)' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--wa-color-danger-border-loud)' },
  '.cm-completionDetail, .cm-completionInfo': { color: 'var(--wa-color-text-normal)' },
});

/** A TypeScript environment holding the standard library, the declarations and the script. */
function environment(declarations: string, doc: string) {
  const files = new Map<string, string>(Object.entries(libs));
  files.set(DECLARATIONS, declarations);
  files.set(SCRIPT, doc || ' ');
  const options: ts.CompilerOptions = {
    allowJs: true, checkJs: true, noEmit: true, strict: false, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['es2022'], types: [],
  };
  // @typescript/vfs is typed against the `typescript` package, which is TypeScript 7 here (no API): the value is TypeScript 6.
  return createVirtualTypeScriptEnvironment(createSystem(files), [SCRIPT, DECLARATIONS], ts as never, options as never);
}

export function createScriptEditor(parent: HTMLElement, root: ShadowRoot, options: { doc: string; declarations: string; label: string; describedBy: string; onChange: (doc: string) => void }): ScriptEditorView {
  const env = environment(options.declarations, options.doc);
  const view = new EditorView({
    root,
    parent,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        lineNumbers(), history(), drawSelection(), indentOnInput(), bracketMatching(), closeBrackets(), highlightActiveLine(),
        javascript(), syntaxHighlighting(highlight), theme, lintGutter(),
        // Tab indents; Escape then Tab (or Shift+Tab) leaves the editor — CodeMirror's focus escape.
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap, indentWithTab]),
        tsFacet.of({ env, path: SCRIPT }), tsSync(), tsLinter(), tsHover(), autocompletion({ override: [tsAutocomplete()] }),
        // A new server error asks for a lint run (the TypeScript linter's and this one's results are merged).
        serverError, linter(serverDiagnostics, { needsRefresh: (update) => update.transactions.some((tr) => tr.effects.some((e) => e.is(setServerError))) }),
        EditorView.contentAttributes.of({ 'aria-label': options.label, 'aria-describedby': options.describedBy }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    showServerError(error) {
      view.dispatch({ effects: setServerError.of(error) });
      forceLinting(view);
    },
    destroy: () => view.destroy(),
  };
}
