import type { JsonSchema } from '@ticketops/plugin-sdk';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The settings schema as the kernel checks values against it: every object that lists
 * `properties` and says nothing about others (no `additionalProperties`, `unevaluatedProperties`
 * or `patternProperties`) refuses unknown keys, so a typo in a key is a 400 naming it rather than
 * a silently stored value the plugin never reads.
 */
export function closedSchema(schema: JsonSchema): JsonSchema {
  const walk = (s: unknown): unknown => {
    if (Array.isArray(s)) return s.map(walk);
    if (!isObject(s)) return s;
    const out: Obj = {};
    for (const [key, value] of Object.entries(s)) out[key] = key === 'default' || key === 'enum' || key === 'const' || key === 'examples' ? value : walk(value);
    const open = out.additionalProperties !== undefined || out.unevaluatedProperties !== undefined || out.patternProperties !== undefined;
    if (isObject(out.properties) && !open) out.additionalProperties = false;
    return out;
  };
  return walk(schema) as JsonSchema;
}

/** Paths of the secrets (`writeOnly: true` properties, through nested objects' `properties`). */
export function secretPaths(schema: JsonSchema, at: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
    if (!isObject(sub)) continue;
    if (sub.writeOnly === true) out.push([...at, key]);
    else out.push(...secretPaths(sub, [...at, key]));
  }
  return out;
}

export const pointerOf = (path: string[]) => path.map((k) => `/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

export function getPath(value: unknown, path: string[]): unknown {
  let at = value;
  for (const key of path) at = isObject(at) && Object.hasOwn(at, key) ? at[key] : undefined;
  return at;
}

/** Sets (or, with `undefined`, removes) the value at `path`, creating the objects on the way. */
export function setPath(value: Obj, path: string[], next: unknown): void {
  let at = value;
  for (const key of path.slice(0, -1)) {
    if (!isObject(at[key])) {
      if (next === undefined) return;
      at[key] = {};
    }
    at = at[key] as Obj;
  }
  const last = path.at(-1) as string;
  if (next === undefined) delete at[last];
  else at[last] = next;
}

/**
 * What a PUT stores: the body, with each secret sent as `null` or left out replaced by the stored
 * one — the console never has the secret to send back, so "not sent" means "keep".
 */
export function keepSecrets(body: Obj, stored: Obj, secrets: string[][]): Obj {
  const out = structuredClone(body);
  for (const path of secrets) {
    const sent = getPath(out, path);
    if (sent === null || sent === undefined) setPath(out, path, getPath(stored, path));
  }
  return out;
}

/** Top-level keys whose stored value differs (secrets named too, their values never). */
export function changedKeys(before: Obj, after: Obj): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

/** A copy with every secret that has a value replaced by `null`, and the pointers of those secrets. */
export function redactSecrets(value: Obj, secrets: string[][]): { value: Obj; redacted: string[] } {
  const out = structuredClone(value);
  const redacted: string[] = [];
  for (const path of secrets) {
    const v = getPath(out, path);
    if (v === undefined || v === null) {
      setPath(out, path, undefined);
      continue;
    }
    setPath(out, path, null);
    redacted.push(pointerOf(path));
  }
  return { value: out, redacted };
}
