import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import type { ErrorDetail } from '@ticketops/plugin-sdk';

/** One validator instance for the plugin: JSON Schema 2020-12, every error reported, no coercion. */
export const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: false });

/** ajv errors as details naming each failing field under `prefix` (the kernel's conventions). */
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

/** Keys that could reach an object's prototype, anywhere in `value` (JSON.parse makes `__proto__` an own key). */
export function hostileKeyErrors(value: unknown, pointer: string, depth = 0): ErrorDetail[] {
  if (depth > 32) return [{ pointer, message: 'is nested too deeply' }];
  if (Array.isArray(value)) return value.flatMap((v, i) => hostileKeyErrors(v, `${pointer}/${i}`, depth + 1));
  if (value === null || typeof value !== 'object') return [];
  const out: ErrorDetail[] = [];
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) out.push({ pointer: `${pointer}/${escapeKey(key)}`, message: 'is a forbidden key' });
    else out.push(...hostileKeyErrors((value as Record<string, unknown>)[key], `${pointer}/${escapeKey(key)}`, depth + 1));
  }
  return out;
}
