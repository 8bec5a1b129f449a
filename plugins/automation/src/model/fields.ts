/** What conditions may look at, and which operators make sense for each kind of field. */

export type FieldKind = 'text' | 'id' | 'enum' | 'priority' | 'tags' | 'number' | 'boolean' | 'json' | 'clock';

/** Ticket fields (the snapshot after the change), the comment of `comment.created`, derived ages, the SLA event. */
export const FIELDS: Record<string, FieldKind> = {
  title: 'text',
  description: 'text',
  status: 'enum',
  statusCategory: 'enum',
  priority: 'priority',
  type: 'enum',
  channel: 'enum',
  assigneeId: 'id',
  groupId: 'id',
  organizationId: 'id',
  requesterId: 'id',
  tags: 'tags',
  number: 'number',
  hoursSinceCreated: 'number',
  hoursSinceUpdated: 'number',
  'comment.body': 'text',
  'comment.internal': 'boolean',
  'comment.authorId': 'id',
  'sla.metric': 'enum',
  now: 'clock',
};

export const CUSTOM_FIELD = /^customFields\.[A-Za-z0-9_-]{1,64}$/;

export const OPERATORS = [
  'equals', 'notEquals', 'contains', 'notContains', 'in', 'notIn', 'greaterThan', 'lessThan', 'greaterOrEqual', 'lessOrEqual',
  'isEmpty', 'isNotEmpty', 'changed', 'changedTo', 'changedFrom', 'inBusinessHours', 'outsideBusinessHours',
] as const;
export type Operator = (typeof OPERATORS)[number];

const ORDERED: Operator[] = ['greaterThan', 'lessThan', 'greaterOrEqual', 'lessOrEqual'];
const BASIC: Operator[] = ['equals', 'notEquals', 'in', 'notIn', 'isEmpty', 'isNotEmpty', 'changed', 'changedTo', 'changedFrom'];

/** Operators allowed per field kind; anything else is refused when the rule is saved. */
export const OPERATORS_BY_KIND: Record<FieldKind, readonly Operator[]> = {
  text: [...BASIC, 'contains', 'notContains'],
  id: BASIC,
  enum: BASIC,
  priority: [...BASIC, ...ORDERED],
  tags: ['contains', 'notContains', 'isEmpty', 'isNotEmpty', 'changed', 'changedTo', 'changedFrom'],
  number: [...BASIC, ...ORDERED],
  boolean: ['equals', 'notEquals', 'changed'],
  json: [...BASIC, 'contains', 'notContains', ...ORDERED],
  clock: ['inBusinessHours', 'outsideBusinessHours'],
};

/** Operators that take no value. */
export const UNARY: ReadonlySet<Operator> = new Set(['isEmpty', 'isNotEmpty', 'changed']);

export function fieldKind(field: string): FieldKind | null {
  if (Object.hasOwn(FIELDS, field)) return FIELDS[field]!;
  return CUSTOM_FIELD.test(field) ? 'json' : null;
}

/** Fields an action may set with `set_field` (assignment has its own action). */
export const SETTABLE = /^(status|priority|type|customFields\.[A-Za-z0-9_-]{1,64})$/;

/** Events a trigger may listen to. */
export const TRIGGER_EVENTS = ['ticket.created', 'ticket.updated', 'comment.created', 'sla.warning', 'sla.breached'] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];
