/**
 * Admins write ES modules; the sandbox runs them as classic scripts. V8 never frees a context that
 * evaluated a module (modules are GC roots), so with modules every run left its context behind and
 * warm isolates had to be replaced every ~100 runs. A classic script is compiled once per isolate,
 * runs in any number of fresh contexts, and each context is collected after its run.
 *
 * The source has already compiled as a module (syntax errors and imports are reported from that), so
 * only export syntax is rewritten, in place, and the body is wrapped in a strict async function
 * (top-level `await` keeps working; `this` is undefined as in a module) that returns the default
 * export. `import.meta` has no meaning here and fails to compile.
 */
import { type ExportSpecifier, initSync, parse } from 'es-module-lexer';

initSync();

export const NO_DEFAULT_EXPORT = "The requested module 'script' does not provide an export named 'default'";
/** The binding an anonymous default-exported function or class gets. */
const DEFAULT_NAME = '__ticketopsDefault';

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** `(async function () { "use strict"; …module body… return <default export>; })` */
export function toClassicScript(source: string): string {
  const [imports, exports] = parse(source, 'script.js');
  const staticImport = imports.find((i) => i.d === -1);
  if (staticImport) throw new SyntaxError(`Imports are not supported ("${staticImport.n}")`);
  const edits: Edit[] = [];
  const statements = new Map<number, ExportSpecifier[]>();
  for (const specifier of exports) statements.set(specifier.ss, [...(statements.get(specifier.ss) ?? []), specifier]);
  let defaultBinding: string | undefined;
  for (const [start, specifiers] of statements) {
    const afterExport = skipTrivia(source, start + 'export'.length);
    if (source[afterExport] === '{') {
      // `export { a, b as default }`: the bindings exist already; drop the clause.
      const last = Math.max(...specifiers.map((s) => s.e));
      const close = skipTrivia(source, last, true);
      if (source[close] !== '}') throw new SyntaxError('Unsupported export clause');
      edits.push({ start, end: close + 1, text: '' });
      const renamed = specifiers.find((s) => s.n === 'default');
      if (renamed) defaultBinding = renamed.ln;
      continue;
    }
    const specifier = specifiers[0] as ExportSpecifier;
    if (specifier.n !== 'default') {
      edits.push({ start, end: afterExport, text: '' }); // `export const a = 1` → `const a = 1`
      continue;
    }
    const declaration = skipTrivia(source, specifier.e);
    if (specifier.ln !== undefined) {
      edits.push({ start, end: declaration, text: '' }); // `export default function evaluate` → `function evaluate`
      defaultBinding = specifier.ln;
      continue;
    }
    const nameAt = anonymousDeclarationName(source, declaration);
    if (nameAt !== undefined) {
      // An anonymous function or class declaration stays a declaration (hoisted, no ASI surprises).
      edits.push({ start, end: declaration, text: '' }, { start: nameAt, end: nameAt, text: ` ${DEFAULT_NAME}` });
    } else {
      edits.push({ start, end: declaration, text: `const ${DEFAULT_NAME} = ` }); // `export default <expression>;`
    }
    defaultBinding = DEFAULT_NAME;
  }
  if (defaultBinding === undefined) throw new SyntaxError(NO_DEFAULT_EXPORT);
  let body = '';
  let at = 0;
  for (const edit of edits.sort((a, b) => a.start - b.start)) {
    body += source.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  body += source.slice(at);
  // The wrapper's first line is compiled with lineOffset -1, so positions in the body keep their lines.
  return `(async function () { "use strict";\n${body}\n;return ${defaultBinding}; })`;
}

/** Where a name goes in `function (`, `function* (`, `async function (` or `class {`; undefined for an expression. */
function anonymousDeclarationName(source: string, at: number): number | undefined {
  let i = at;
  if (keywordAt(source, i, 'async')) {
    const next = skipTrivia(source, i + 5);
    if (!keywordAt(source, next, 'function') || source.slice(i + 5, next).includes('\n')) return undefined;
    i = next;
  }
  if (keywordAt(source, i, 'class')) return i + 5;
  if (!keywordAt(source, i, 'function')) return undefined;
  const afterKeyword = skipTrivia(source, i + 8);
  return source[afterKeyword] === '*' ? afterKeyword + 1 : i + 8;
}

function keywordAt(source: string, at: number, word: string): boolean {
  return source.startsWith(word, at) && !/[\p{ID_Continue}$\u200c\u200d]/u.test(source[at + word.length] ?? '');
}

/** Index of the next character that is not whitespace or a comment (nor a comma, when asked). */
function skipTrivia(source: string, from: number, commas = false): number {
  let i = from;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c) || (commas && c === ',')) i++;
    else if (source.startsWith('//', i)) i = source.indexOf('\n', i) < 0 ? source.length : source.indexOf('\n', i);
    else if (source.startsWith('/*', i)) i = source.indexOf('*/', i + 2) < 0 ? source.length : source.indexOf('*/', i + 2) + 2;
    else break;
  }
  return i;
}

/** Line and column (1-based, lines ended as V8 ends them) of the first static import, for `check()`. */
export function firstImportPosition(source: string): { line: number; column: number } | undefined {
  const first = parse(source, 'script.js')[0].find((i) => i.d === -1);
  if (!first) return undefined;
  const lines = source.slice(0, first.ss).split(/\r\n|[\n\r\u2028\u2029]/);
  return { line: lines.length, column: (lines.at(-1) as string).length + 1 };
}
