/** Shape checks of rules and actions that need no database: each problem named by a JSON pointer. */
import type { ErrorDetail } from '@ticketops/plugin-sdk';
import { ACTION_SCHEMAS, ACTION_TYPES, type Action, MAX_ACTIONS } from './actions.ts';
import { ajv, hostileKeyErrors, toDetails } from './ajv.ts';
import { type ConditionItem, MAX_DEPTH, isGroup } from './conditions.ts';
import { OPERATORS, OPERATORS_BY_KIND, type Operator, UNARY, fieldKind } from './fields.ts';
import { type RuleInput, ruleInputSchema } from './rule.ts';

/** The envelope without the deep parts, which are walked below for precise pointers. */
const loose = (schema: typeof ruleInputSchema, required: string[]) => ({
  ...schema,
  required,
  properties: { ...schema.properties, conditions: { type: 'object' }, actions: { type: 'array' } },
});
const createEnvelope = ajv.compile(loose(ruleInputSchema, ['name', 'kind']));
const changeEnvelope = ajv.compile({ ...loose(ruleInputSchema, []), minProperties: 1 });
const actionValidators = Object.fromEntries(Object.entries(ACTION_SCHEMAS).map(([type, schema]) => [type, ajv.compile(schema)]));

/** Route body schema: the envelope (deep checks happen in the handler, so errors name the exact field). */
export const ruleBodySchema = loose(ruleInputSchema, ['name', 'kind']);
export const ruleChangeBodySchema = { ...loose(ruleInputSchema, []), minProperties: 1 };

export function actionErrors(actions: unknown, pointer: string): ErrorDetail[] {
  if (!Array.isArray(actions)) return [{ pointer, message: 'must be an array of actions' }];
  if (actions.length > MAX_ACTIONS) return [{ pointer, message: `must have at most ${MAX_ACTIONS} actions` }];
  const hostile = hostileKeyErrors(actions, pointer);
  if (hostile.length) return hostile;
  return actions.flatMap((action, i) => {
    const at = `${pointer}/${i}`;
    if (action === null || typeof action !== 'object' || Array.isArray(action)) return [{ pointer: at, message: 'must be an action object' }];
    const type = (action as { type?: unknown }).type;
    if (typeof type !== 'string' || !ACTION_TYPES.includes(type)) return [{ pointer: `${at}/type`, message: `must be one of: ${ACTION_TYPES.join(', ')}` }];
    const validate = actionValidators[type]!;
    if (validate(action)) return [];
    // `anyOf` branches report each failed branch; one message per pointer is enough.
    const seen = new Set<string>();
    return toDetails(validate.errors, at).filter((d) => !seen.has(d.pointer) && seen.add(d.pointer));
  });
}

/** Actions a script returned: valid ones or a list of problems (then nothing is applied). */
export function checkActions(value: unknown): { actions: Action[] } | { errors: ErrorDetail[] } {
  const errors = actionErrors(value, '/actions');
  return errors.length ? { errors } : { actions: value as Action[] };
}

function conditionErrors(group: unknown, pointer: string, depth: number): ErrorDetail[] {
  if (group === null || typeof group !== 'object' || Array.isArray(group)) return [{ pointer, message: 'must be an object with all and/or any' }];
  const keys = Object.keys(group);
  const out: ErrorDetail[] = [];
  if (!keys.length) out.push({ pointer, message: 'must have all or any' });
  for (const key of keys) {
    if (key !== 'all' && key !== 'any') {
      out.push({ pointer: `${pointer}/${key}`, message: 'is not an allowed property (use all or any)' });
      continue;
    }
    const list = (group as Record<string, unknown>)[key];
    if (!Array.isArray(list)) {
      out.push({ pointer: `${pointer}/${key}`, message: 'must be an array' });
      continue;
    }
    if (list.length > 50) out.push({ pointer: `${pointer}/${key}`, message: 'must have at most 50 conditions' });
    for (const [i, item] of list.entries()) out.push(...itemErrors(item, `${pointer}/${key}/${i}`, depth));
  }
  return out;
}

function itemErrors(item: unknown, at: string, depth: number): ErrorDetail[] {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return [{ pointer: at, message: 'must be a condition or a group' }];
  if (isGroup(item as ConditionItem)) {
    if (depth >= MAX_DEPTH) return [{ pointer: at, message: `groups nest at most ${MAX_DEPTH} deep` }];
    return conditionErrors(item, at, depth + 1);
  }
  const { field, operator, value, ...rest } = item as { field: unknown; operator: unknown; value?: unknown };
  const out: ErrorDetail[] = Object.keys(rest).map((k) => ({ pointer: `${at}/${k}`, message: 'is not an allowed property' }));
  const kind = typeof field === 'string' ? fieldKind(field) : null;
  if (!kind) out.push({ pointer: `${at}/field`, message: 'is not a known field (see docs/automation.md)' });
  if (typeof operator !== 'string' || !OPERATORS.includes(operator as Operator)) {
    out.push({ pointer: `${at}/operator`, message: `must be one of: ${OPERATORS.join(', ')}` });
    return out;
  }
  const op = operator as Operator;
  if (kind && !OPERATORS_BY_KIND[kind].includes(op)) out.push({ pointer: `${at}/operator`, message: `cannot be used with ${String(field)}; use one of: ${OPERATORS_BY_KIND[kind].join(', ')}` });
  if (UNARY.has(op)) {
    if (value !== undefined) out.push({ pointer: `${at}/value`, message: `is not used by ${op}` });
  } else if (value === undefined) out.push({ pointer: `${at}/value`, message: 'is required' });
  else if ((op === 'in' || op === 'notIn') && (!Array.isArray(value) || value.length === 0 || value.length > 200)) {
    out.push({ pointer: `${at}/value`, message: 'must be a list of 1 to 200 values' });
  } else if ((op === 'inBusinessHours' || op === 'outsideBusinessHours') && typeof value !== 'string') {
    out.push({ pointer: `${at}/value`, message: 'must be the id of an SLA calendar' });
  } else if (['greaterThan', 'lessThan', 'greaterOrEqual', 'lessOrEqual'].includes(op) && kind !== 'priority' && typeof value !== 'number') {
    out.push({ pointer: `${at}/value`, message: 'must be a number' });
  }
  if (value !== undefined && JSON.stringify(value).length > 10_000) out.push({ pointer: `${at}/value`, message: 'is too large' });
  return out;
}

/** Everything wrong with a rule's shape (create: the full input; change: the input merged onto the latest version). */
export function ruleShapeErrors(input: unknown, prefix: string, mode: 'create' | 'change'): ErrorDetail[] {
  const hostile = hostileKeyErrors(input, prefix);
  if (hostile.length) return hostile;
  const envelope = mode === 'create' ? createEnvelope : changeEnvelope;
  if (!envelope(input)) return toDetails(envelope.errors, prefix);
  const rule = input as Partial<RuleInput>;
  const out: ErrorDetail[] = [];
  if (rule.script !== undefined && (rule.conditions !== undefined || rule.actions !== undefined)) out.push({ pointer: `${prefix}/script`, message: 'replaces conditions and actions; send one or the other' });
  if (rule.conditions !== undefined) out.push(...conditionErrors(rule.conditions, `${prefix}/conditions`, 1));
  if (rule.actions !== undefined) out.push(...actionErrors(rule.actions, `${prefix}/actions`));
  return out;
}

/** Kind-specific requirements, on the merged definition (so a change is checked as the version it makes). */
export function kindErrors(rule: Partial<RuleInput>, prefix: string): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const has = (k: keyof RuleInput) => rule[k] !== undefined;
  const not = (k: keyof RuleInput, why: string) => has(k) && out.push({ pointer: `${prefix}/${k}`, message: why });
  const needsWork = () => !has('script') && !rule.actions?.length && out.push({ pointer: `${prefix}/actions`, message: 'is required (at least one action) unless a script is given' });
  switch (rule.kind) {
    case 'trigger':
      if (!rule.events?.length) out.push({ pointer: `${prefix}/events`, message: 'is required for a trigger' });
      not('cron', 'is only for scheduled rules');
      needsWork();
      break;
    case 'automation':
      not('events', 'is only for triggers (automations run on a schedule over open tickets)');
      not('cron', 'is only for scheduled rules');
      if (!has('script') && !rule.conditions) out.push({ pointer: `${prefix}/conditions`, message: 'is required for an automation (e.g. hoursSinceUpdated greaterThan 72)' });
      needsWork();
      break;
    case 'scheduled':
      not('events', 'is only for triggers');
      if (!has('cron')) out.push({ pointer: `${prefix}/cron`, message: 'is required for a scheduled rule' });
      if (!has('script') && !rule.conditions) out.push({ pointer: `${prefix}/conditions`, message: 'is required for a scheduled rule (it acts on the open tickets that match)' });
      needsWork();
      break;
    case 'macro':
      for (const k of ['events', 'cron', 'script', 'conditions'] as const) not(k, 'is not used by macros (an agent applies them)');
      if (!rule.actions?.length) out.push({ pointer: `${prefix}/actions`, message: 'is required for a macro' });
      break;
  }
  if (has('capabilities') && !has('script')) out.push({ pointer: `${prefix}/capabilities`, message: 'are granted to scripts only' });
  return out;
}
