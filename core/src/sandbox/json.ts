/**
 * What may cross the sandbox boundary: JSON data only. Values arrive as structured-clone copies
 * (isolated-vm `copy`), which also carry cycles, Dates, Maps and the like; those are refused here
 * instead of being silently changed by `JSON.stringify`.
 */

/** Largest JSON text accepted for an input, a result or a host-call argument list. */
export const MAX_JSON_CHARS = 1_000_000;
const MAX_DEPTH = 64;

export class NotJsonError extends TypeError {
  constructor(what: string, path: string, why: string) {
    super(`${what} is not JSON: ${why} at ${path || '/'}`);
    this.name = 'TypeError';
  }
}

/**
 * JSON text of `value`, or NotJsonError naming the first offending path. Only own enumerable
 * string keys of plain objects count; `__proto__` stays an ordinary key (JSON.parse on the other
 * side makes it an own property, never a prototype).
 */
export function toJsonText(value: unknown, what: string): string {
  check(value, what, '', new Set(), 0);
  const text = JSON.stringify(value);
  if (text.length > MAX_JSON_CHARS) throw new RangeError(`${what} is larger than ${MAX_JSON_CHARS} characters of JSON`);
  return text;
}

function check(value: unknown, what: string, path: string, seen: Set<object>, depth: number): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new NotJsonError(what, path, `${value} is not a finite number`);
      return;
    case 'object':
      break;
    default:
      throw new NotJsonError(what, path, `a ${typeof value} cannot be represented`);
  }
  if (value === null) return;
  if (depth >= MAX_DEPTH) throw new NotJsonError(what, path, `nested deeper than ${MAX_DEPTH} levels`);
  if (seen.has(value)) throw new NotJsonError(what, path, 'it contains a cycle');
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      // JSON.stringify writes undefined array items as null, which is what a script means by them.
      if (item !== undefined) check(item, what, `${path}/${i}`, seen, depth + 1);
    }
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new NotJsonError(what, path, `a ${proto?.constructor?.name ?? 'non-plain'} object cannot be represented`);
    }
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      // Undefined members are left out, as JSON.stringify does.
      if (item !== undefined) check(item, what, `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`, seen, depth + 1);
    }
  }
  seen.delete(value);
}

const MAX_MESSAGE = 1_000;

/**
 * Name and message only. Messages lose anything that looks like a path on this machine and are
 * cut to a bounded length, so a host stack or file layout never reaches a script's author.
 */
export function sanitizeError(error: unknown, roots: readonly string[]): { name: string; message: string } {
  const name = error instanceof Error && typeof error.name === 'string' ? error.name.slice(0, 100) : 'Error';
  let message = error instanceof Error ? String(error.message) : typeof error === 'string' ? error : safeString(error);
  message = message.replace(/file:\/\/\S+/g, '<path>');
  for (const root of roots) if (root.length > 1) message = message.replaceAll(root, '<host>');
  if (message.length > MAX_MESSAGE) message = `${message.slice(0, MAX_MESSAGE)}…`;
  return { name, message };
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return 'a non-error value was thrown';
  }
}
