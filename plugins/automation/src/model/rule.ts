import { actionsSchema } from './actions.ts';
import type { Action } from './actions.ts';
import type { ConditionGroup } from './conditions.ts';
import { conditionsSchema } from './conditions.ts';
import { TRIGGER_EVENTS } from './fields.ts';

export const RULE_KINDS = ['trigger', 'automation', 'scheduled', 'macro'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** What a version holds: everything about a rule except its name, position and whether it is active. */
export interface RuleDefinition {
  kind: RuleKind;
  description?: string;
  events?: string[];
  conditions?: ConditionGroup;
  actions?: Action[];
  /** An ES module whose default export is `(event, ctx) => Action[]`; replaces conditions and actions. */
  script?: string;
  /** Sandbox capabilities the script may call (beyond `log` and `now`). */
  capabilities?: string[];
  stopProcessing?: boolean;
  fireOncePerTicket?: boolean;
  /** Scheduled rules: five-field cron and its time zone. */
  cron?: string;
  tz?: string;
}

export interface RuleInput extends Omit<RuleDefinition, 'kind'> {
  name: string;
  kind: RuleKind;
  active?: boolean;
}

export const MAX_SCRIPT_LENGTH = 64 * 1024;

/** The envelope of every rule kind (JSON Schema 2020-12); kind-specific requirements are checked after it. */
export const definitionProperties = {
  kind: { type: 'string', enum: [...RULE_KINDS] },
  description: { type: 'string', maxLength: 2_000 },
  events: { type: 'array', items: { type: 'string', enum: [...TRIGGER_EVENTS] }, minItems: 1, maxItems: TRIGGER_EVENTS.length, uniqueItems: true },
  conditions: conditionsSchema,
  actions: actionsSchema,
  script: { type: 'string', minLength: 1, maxLength: MAX_SCRIPT_LENGTH },
  capabilities: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 }, maxItems: 50, uniqueItems: true },
  stopProcessing: { type: 'boolean' },
  fireOncePerTicket: { type: 'boolean' },
  cron: { type: 'string', minLength: 9, maxLength: 100 },
  tz: { type: 'string', minLength: 1, maxLength: 64 },
};

export const ruleInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kind'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, active: { type: 'boolean' }, ...definitionProperties },
};

/** A change: every key optional; a new version is made from the current latest one plus these keys. */
export const ruleChangeSchema = { ...ruleInputSchema, required: [], minProperties: 1 };

const DEFINITION_KEYS = Object.keys(definitionProperties) as (keyof RuleDefinition)[];

export function definitionOf(input: Partial<RuleInput>, base?: RuleDefinition): RuleDefinition {
  const out: Record<string, unknown> = { ...(base ?? {}) };
  for (const key of DEFINITION_KEYS) if (input[key] !== undefined) out[key] = input[key];
  // A script replaces conditions and actions and the other way round.
  if (input.script !== undefined) {
    delete out.conditions;
    delete out.actions;
  } else if (input.conditions !== undefined || input.actions !== undefined) delete out.script;
  return out as unknown as RuleDefinition;
}
