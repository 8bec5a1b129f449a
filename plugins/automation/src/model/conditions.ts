import type { Operator } from './fields.ts';
import { OPERATORS } from './fields.ts';

export interface Predicate {
  field: string;
  operator: Operator;
  value?: unknown;
}
export interface ConditionGroup {
  all?: ConditionItem[];
  any?: ConditionItem[];
}
export type ConditionItem = Predicate | ConditionGroup;

export const MAX_DEPTH = 3;

const predicateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['field', 'operator'],
  properties: {
    field: { type: 'string', minLength: 1, maxLength: 100 },
    operator: { type: 'string', enum: [...OPERATORS] },
    value: {},
  },
};

/** Groups nest at most three deep; written out level by level (no `$ref`, so the OpenAPI document stays self-contained). */
function groupSchema(depth: number): Record<string, unknown> {
  const item = depth < MAX_DEPTH ? { anyOf: [predicateSchema, groupSchema(depth + 1)] } : predicateSchema;
  const list = { type: 'array', maxItems: 50, items: item };
  return { type: 'object', additionalProperties: false, minProperties: 1, properties: { all: list, any: list } };
}

export const conditionsSchema = groupSchema(1);

export const isGroup = (item: ConditionItem): item is ConditionGroup => !('field' in item);
