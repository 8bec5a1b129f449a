/**
 * The module that runs inside every fresh context, next to the script (imported as `script`).
 * It builds `ctx` from plain functions the worker passes in as isolated-vm Callbacks (copies in,
 * copies out), so no isolated-vm object is ever reachable from script code. Host calls are
 * answered later through `settle`, which the worker calls with a copied value.
 */
export const RUNNER_SOURCE = `import main from 'script';
const pending = new Map();
let nextCall = 0;
const text = (v) => {
  if (typeof v === 'string') return v;
  try { const s = JSON.stringify(v); return s === undefined ? String(v) : s; } catch { try { return String(v); } catch { return '[unprintable]'; } }
};
export function settle(id, ok, value) {
  const waiter = pending.get(id);
  if (waiter === undefined) return;
  pending.delete(id);
  if (ok) { waiter.resolve(value); return; }
  const error = new Error(value.message);
  error.name = value.name;
  if (value.code) error.code = value.code;
  waiter.reject(error);
}
export default async function run(input, names, call, log) {
  if (typeof main !== 'function') throw new TypeError('The script must export a default function');
  const ctx = {
    log: (...args) => { log(args.map(text).join(' ')); },
    now: () => new Date().toISOString(),
  };
  for (const name of names) {
    const dot = name.indexOf('.');
    const space = (ctx[name.slice(0, dot)] ??= {});
    space[name.slice(dot + 1)] = (...args) => new Promise((resolve, reject) => {
      const id = ++nextCall;
      pending.set(id, { resolve, reject });
      try { call(id, name, args); } catch (error) { pending.delete(id); reject(error); }
    });
  }
  for (const value of Object.values(ctx)) if (typeof value === 'object') Object.freeze(value);
  return await main(input, Object.freeze(ctx));
}
`;

/** Line and column from isolated-vm's compile errors, e.g. "Unexpected token ';' [script.js:2:13]". */
export function parseCompileError(message: string): { message: string; line?: number; column?: number } {
  const match = /^(.*) \[script\.js:(\d+):(\d+)\]$/s.exec(message);
  if (!match) return { message };
  return { message: match[1] as string, line: Number(match[2]), column: Number(match[3]) };
}

export const SCRIPT_FILENAME = 'script.js';
