import { escalationsSchema } from './escalations.ts';
/** Conditions: every given key must hold (AND); within a key any listed value matches (OR). */
export interface PolicyConditions {
  priorities?: string[];
  /** Ticket types; `null` matches tickets without a type. */
  types?: (string | null)[];
  organizationIds?: string[];
  groupIds?: string[];
  /** The ticket has every one of these tags. */
  tagsAll?: string[];
  /** The ticket has at least one of these tags. */
  tagsAny?: string[];
  /** The ticket has none of these tags. */
  tagsNone?: string[];
  /** Custom field equals the value, or one of the values of an array. */
  customFields?: Record<string, string | number | boolean | null | (string | number | boolean | null)[]>;
}

export const METRICS = ['firstResponse', 'nextResponse', 'resolution'] as const;
export type Metric = (typeof METRICS)[number];

/** Business-minute targets of one priority; a missing or null metric is not measured. */
export type MetricTargets = Partial<Record<Metric, number | null>>;
/** By priority name; `*` applies to priorities not listed. */
export type PolicyTargets = Record<string, MetricTargets>;

const names = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 200 }, maxItems: 200, uniqueItems: true };
const scalar = { type: ['string', 'number', 'boolean', 'null'] };
const minutes = { type: ['integer', 'null'], minimum: 1, maximum: 5_256_000, description: 'business minutes' };

export const conditionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    priorities: names,
    types: { type: 'array', items: { type: ['string', 'null'] }, maxItems: 200 },
    organizationIds: names,
    groupIds: names,
    tagsAll: names,
    tagsAny: names,
    tagsNone: names,
    customFields: { type: 'object', maxProperties: 50, additionalProperties: { anyOf: [scalar, { type: 'array', items: scalar, maxItems: 200 }] } },
  },
};

export const targetsSchema = {
  type: 'object',
  minProperties: 1,
  maxProperties: 100,
  additionalProperties: {
    type: 'object',
    additionalProperties: false,
    properties: { firstResponse: minutes, nextResponse: minutes, resolution: minutes },
  },
  description: 'Targets per priority name (`*` for any other priority)',
};

export const policyProperties = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  active: { type: 'boolean' },
  conditions: conditionsSchema,
  targets: targetsSchema,
  calendarId: { type: 'string', minLength: 1, maxLength: 100 },
  pauseStatuses: { anyOf: [{ type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 100, uniqueItems: true }, { type: 'null' }], description: 'Statuses that pause every clock; null = the pending and on-hold categories' },
  warningPercent: { type: ['integer', 'null'], minimum: 1, maximum: 99, description: 'Warn when this share of a target has elapsed; null = no warning' },
  escalations: escalationsSchema,
};

export const policySchema = {
  type: 'object',
  required: ['id', 'name', 'position', 'targets', 'calendarId'],
  properties: { id: { type: 'string' }, position: { type: 'integer' }, ...policyProperties, version: { type: 'integer' }, createdAt: { type: 'string' }, updatedAt: { type: 'string' } },
};
