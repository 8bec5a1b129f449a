import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorDetail } from './errors.ts';

// ajv-formats is CommonJS; under ESM its plugin function sits on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

export type Ajv = Ajv2020;

/**
 * A validator as the kernel makes them — JSON Schema 2020-12 (the OpenAPI 3.1 dialect) with
 * formats, every error reported — for plugins validating their own documents the same way.
 */
export function createAjv(options: { coerceTypes?: boolean; useDefaults?: boolean } = {}): Ajv {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    useDefaults: options.useDefaults ?? true,
    coerceTypes: options.coerceTypes ?? false,
  });
  addFormats(ajv);
  return ajv;
}

/** ajv errors as details naming each failing field under a pointer prefix (`/body`). */
export function toDetails(errors: ErrorObject[] | null | undefined, prefix: string): ErrorDetail[] {
  return (errors ?? []).map((e) => {
    let pointer = `${prefix}${e.instancePath}`;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      pointer = `${pointer}/${(e.params as { missingProperty: string }).missingProperty}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      pointer = `${pointer}/${(e.params as { additionalProperty: string }).additionalProperty}`;
      message = 'is not an allowed property';
    } else if (e.keyword === 'enum') {
      message = `must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    }
    return { pointer, message };
  });
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const escapeKey = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Keys that could reach an object's prototype if `value` were ever merged into another object
 * (`JSON.parse` keeps `__proto__` as an own key), anywhere in it, each named by its pointer.
 */
export function forbiddenKeyErrors(value: unknown, pointer: string, maxDepth = 32, depth = 0): ErrorDetail[] {
  if (depth > maxDepth) return [{ pointer, message: `is nested over ${maxDepth} levels` }];
  if (Array.isArray(value)) return value.flatMap((v, i) => forbiddenKeyErrors(v, `${pointer}/${i}`, maxDepth, depth + 1));
  if (value === null || typeof value !== 'object') return [];
  const out: ErrorDetail[] = [];
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) out.push({ pointer: `${pointer}/${escapeKey(key)}`, message: 'is a forbidden key' });
    else out.push(...forbiddenKeyErrors((value as Record<string, unknown>)[key], `${pointer}/${escapeKey(key)}`, maxDepth, depth + 1));
  }
  return out;
}
