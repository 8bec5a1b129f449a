/**
 * The classic script that runs first in every fresh context. Evaluated, it returns `start`, which
 * the worker calls once per run with the script's wrapper (see classic-script.ts), the input and
 * capability names as JSON text, and isolated-vm Callbacks (copies in, copies out): `call` and
 * `log` for `ctx`, `done(ok, value)` for the outcome. `start` returns `settle`, through which the
 * worker answers host calls later with a copied value. No isolated-vm object is reachable from
 * script code, and nothing is added to the script's global object.
 */
export const RUNNER_SOURCE = `(function () {
"use strict";
// Taken before any script code runs: a script's top level may replace globals of its context.
const freeze = Object.freeze;
const text = (v) => {
  if (typeof v === 'string') return v;
  try { const s = JSON.stringify(v); return s === undefined ? String(v) : s; } catch { try { return String(v); } catch { return '[unprintable]'; } }
};
return function start(factory, inputText, namesText, call, log, done) {
  const pending = new Map();
  let nextCall = 0;
  const ctx = {
    log: (...args) => { log(args.map(text).join(' ')); },
    now: () => new Date().toISOString(),
  };
  for (const name of JSON.parse(namesText)) {
    const dot = name.indexOf('.');
    const space = (ctx[name.slice(0, dot)] ??= {});
    space[name.slice(dot + 1)] = (...args) => new Promise((resolve, reject) => {
      const id = ++nextCall;
      pending.set(id, { resolve, reject });
      try { call(id, name, args); } catch (error) { pending.delete(id); reject(error); }
    });
  }
  for (const value of Object.values(ctx)) if (typeof value === 'object') freeze(value);
  freeze(ctx);
  const input = inputText === undefined ? undefined : JSON.parse(inputText);
  // Only await here (never .then): script code runs before this finishes and may change Promise.prototype.
  (async () => {
    let ok = true;
    let value;
    try {
      const main = await factory();
      if (typeof main !== 'function') throw new TypeError('The script must export a default function');
      value = await main(input, ctx);
    } catch (error) {
      ok = false;
      value = error;
    }
    try { done(ok, value); } catch (error) {
      // The value could not be copied out (a function, a symbol…): that is the run's error.
      try { done(false, error); } catch { done(false, 'a non-error value was thrown'); }
    }
  })();
  return function settle(id, ok, value) {
    const waiter = pending.get(id);
    if (waiter === undefined) return;
    pending.delete(id);
    if (ok) { waiter.resolve(value); return; }
    const error = new Error(value.message);
    error.name = value.name;
    if (value.code) error.code = value.code;
    waiter.reject(error);
  };
};
})()`;

/** Line and column from isolated-vm's compile errors, e.g. "Unexpected token ';' [script.js:2:13]" (both 1-based). */
export function parseCompileError(message: string): { message: string; line?: number; column?: number } {
  const match = /^(.*) \[script\.js:(\d+):(\d+)\]$/s.exec(message);
  if (!match) return { message };
  return { message: match[1] as string, line: Number(match[2]), column: Number(match[3]) };
}

export const SCRIPT_FILENAME = 'script.js';
