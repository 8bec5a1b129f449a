import { TicketOpsError } from '@ticketops/plugin-sdk';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Rejects keys that could pollute prototypes if a body is ever merged into another object.
 * JSON.parse keeps `__proto__` as an own key; a handler spreading it later would not.
 */
export function assertNoForbiddenKeys(value: unknown, pointer = '/body', depth = 0): void {
  if (depth > 64) throw new TicketOpsError('invalid_input', 'Body is nested too deeply', { details: [{ pointer, message: 'nesting over 64 levels' }] });
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) assertNoForbiddenKeys(item, `${pointer}/${i}`, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN.has(key)) {
        throw new TicketOpsError('invalid_input', `Property "${key}" is not allowed anywhere in a request body`, {
          details: [{ pointer: `${pointer}/${key}`, message: 'is a reserved property name' }],
        });
      }
      assertNoForbiddenKeys((value as Record<string, unknown>)[key], `${pointer}/${key}`, depth + 1);
    }
  }
}
