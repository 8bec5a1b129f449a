/**
 * The action schema shared by declarative rules, script rules and macros: one closed object shape
 * per `type` (additionalProperties false everywhere), so a script's returned actions are checked
 * exactly like an admin's saved ones.
 */
import { SETTABLE } from './fields.ts';

const id = { type: 'string', minLength: 1, maxLength: 100 };
const tag = { type: 'string', minLength: 1, maxLength: 100 };
const ids = { type: 'array', items: id, minItems: 1, maxItems: 50, uniqueItems: true };
const template = { type: 'string', minLength: 1, maxLength: 20_000 };
const scalar = { type: ['string', 'number', 'boolean', 'null'] };
const value = { anyOf: [scalar, { type: 'array', maxItems: 100, items: scalar }, { type: 'object', maxProperties: 50 }] };

const shape = (type: string, properties: Record<string, unknown>, required: string[], extra: Record<string, unknown> = {}) => ({
  type: 'object',
  additionalProperties: false,
  required: ['type', ...required],
  properties: { type: { const: type }, ...properties },
  ...extra,
});

export const ACTION_SCHEMAS: Record<string, Record<string, unknown>> = {
  set_field: shape('set_field', { field: { type: 'string', pattern: SETTABLE.source }, value }, ['field', 'value']),
  add_tags: shape('add_tags', { tags: { type: 'array', items: tag, minItems: 1, maxItems: 50 } }, ['tags']),
  remove_tags: shape('remove_tags', { tags: { type: 'array', items: tag, minItems: 1, maxItems: 50 } }, ['tags']),
  assign: shape('assign', { userId: { anyOf: [id, { type: 'null' }] }, groupId: { anyOf: [id, { type: 'null' }] } }, [], { minProperties: 2 }),
  add_note: shape('add_note', { body: template, internal: { type: 'boolean', default: true } }, ['body']),
  raise_priority: shape('raise_priority', { to: { type: 'string', minLength: 1, maxLength: 200 } }, []),
  notify: shape('notify', { userIds: ids, groupIds: ids, assignee: { type: 'boolean' }, requester: { type: 'boolean' }, subject: { type: 'string', minLength: 1, maxLength: 500 }, body: template }, ['body']),
  webhook: shape('webhook', { integrationId: id, payload: { type: 'object', maxProperties: 50 } }, ['integrationId']),
  apply_macro: shape('apply_macro', { macroId: id }, ['macroId']),
  request_approval: shape('request_approval', {
    title: { type: 'string', minLength: 1, maxLength: 500 },
    steps: {
      type: 'array', minItems: 1, maxItems: 5,
      items: { type: 'object', additionalProperties: false, required: ['mode'], properties: { mode: { enum: ['any', 'all'] }, userIds: ids, groupIds: ids, requesterManager: { type: 'boolean' } } },
    },
    waitStatus: { type: 'string', minLength: 1, maxLength: 100 },
    approvedStatus: { type: 'string', minLength: 1, maxLength: 100 },
    rejectedStatus: { type: 'string', minLength: 1, maxLength: 100 },
  }, ['steps']),
};

export const ACTION_TYPES = Object.keys(ACTION_SCHEMAS);
export const MAX_ACTIONS = 25;

/** The whole union, for the OpenAPI document and the script editor's declarations. */
export const actionSchema = { oneOf: Object.values(ACTION_SCHEMAS) };
export const actionsSchema = { type: 'array', maxItems: MAX_ACTIONS, items: actionSchema };

export type Action =
  | { type: 'set_field'; field: string; value: unknown }
  | { type: 'add_tags'; tags: string[] }
  | { type: 'remove_tags'; tags: string[] }
  | { type: 'assign'; userId?: string | null; groupId?: string | null }
  | { type: 'add_note'; body: string; internal?: boolean }
  | { type: 'raise_priority'; to?: string }
  | { type: 'notify'; userIds?: string[]; groupIds?: string[]; assignee?: boolean; requester?: boolean; subject?: string; body: string }
  | { type: 'webhook'; integrationId: string; payload?: Record<string, unknown> }
  | { type: 'apply_macro'; macroId: string }
  | RequestApprovalAction;

export interface ApprovalStepSpec {
  mode: 'any' | 'all';
  userIds?: string[];
  groupIds?: string[];
  requesterManager?: boolean;
}
/** Steps in order; the ticket waits in `waitStatus` until the last step approves or any step rejects. */
export interface RequestApprovalAction {
  type: 'request_approval';
  title?: string;
  steps: ApprovalStepSpec[];
  waitStatus?: string;
  approvedStatus?: string;
  rejectedStatus?: string;
}
