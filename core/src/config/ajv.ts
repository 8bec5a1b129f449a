import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorDetail } from '@ticketops/plugin-sdk';

// ajv-formats is CommonJS; under ESM its plugin function sits on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

export type Ajv = Ajv2020;

/** The kernel's validators: JSON Schema 2020-12 (the OpenAPI 3.1 dialect), every error reported. */
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

/** Turns ajv errors into details that name each failing field, under a pointer prefix. */
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
