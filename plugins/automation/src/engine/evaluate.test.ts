import { describe, expect, it } from 'vitest';
import type { TicketRecord } from '@ticketops/plugin-sdk';
import { checkActions } from '../model/validate.ts';
import { compileConditions, evaluate } from './evaluate.ts';
import type { RuleEvent } from './event.ts';

const ticket: TicketRecord = {
  id: 'tkt_1', tenantId: 'ten_default', number: 7, title: 'Printer is DOWN', description: 'help', status: 'open', statusCategory: 'open', priority: 'high', type: null,
  requesterId: 'usr_r', organizationId: null, assigneeId: null, groupId: 'grp_1', tags: ['vip', 'eu'], channel: 'email', customFields: { plan: 'gold', seats: 50 },
  mergedIntoId: null, version: 3, createdAt: new Date(Date.now() - 5 * 3_600_000).toISOString(), updatedAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
  firstResponseAt: null, solvedAt: null, closedAt: null,
};
const event: RuleEvent = {
  type: 'ticket.updated', ticket, cause: [],
  changes: [{ field: 'priority', from: 'normal', to: 'high' }, { field: 'tags', from: ['eu', 'old'], to: ['vip', 'eu'] }, { field: 'customFields', from: { plan: 'silver', seats: 50 }, to: { plan: 'gold', seats: 50 } }],
};
const ctx = { now: Date.now(), priorityRank: new Map(['low', 'normal', 'high', 'urgent'].map((p, i) => [p, i])) };
const holds = (field: string, operator: string, value?: unknown) => evaluate(compileConditions({ all: [{ field, operator: operator as never, value }] }), event, ctx).matched;

describe('condition evaluator', () => {
  it('compares fields with every operator', () => {
    expect(holds('status', 'equals', 'open')).toBe(true);
    expect(holds('status', 'notEquals', 'open')).toBe(false);
    expect(holds('title', 'contains', 'down')).toBe(true);
    expect(holds('tags', 'contains', 'vip')).toBe(true);
    expect(holds('tags', 'notContains', 'old')).toBe(true);
    expect(holds('channel', 'in', ['web', 'email'])).toBe(true);
    expect(holds('channel', 'notIn', ['email'])).toBe(false);
    expect(holds('priority', 'greaterThan', 'normal')).toBe(true);
    expect(holds('priority', 'lessThan', 'high')).toBe(false);
    expect(holds('priority', 'greaterOrEqual', 'high')).toBe(true);
    expect(holds('priority', 'lessOrEqual', 'nonexistent')).toBe(false);
    expect(holds('customFields.seats', 'greaterThan', 10)).toBe(true);
    expect(holds('customFields.plan', 'equals', 'gold')).toBe(true);
    expect(holds('customFields.missing', 'isEmpty')).toBe(true);
    expect(holds('assigneeId', 'isEmpty')).toBe(true);
    expect(holds('groupId', 'isNotEmpty')).toBe(true);
    expect(holds('hoursSinceCreated', 'greaterThan', 4.9)).toBe(true);
    expect(holds('hoursSinceUpdated', 'lessThan', 1)).toBe(false);
    // A prototype key is never a field value.
    expect(holds('customFields.constructor', 'isEmpty')).toBe(true);
  });

  it('changed, changedTo and changedFrom read the event changes (on tags: added / removed)', () => {
    expect(holds('priority', 'changed')).toBe(true);
    expect(holds('status', 'changed')).toBe(false);
    expect(holds('priority', 'changedTo', 'high')).toBe(true);
    expect(holds('priority', 'changedFrom', 'normal')).toBe(true);
    expect(holds('priority', 'changedFrom', 'low')).toBe(false);
    expect(holds('tags', 'changedTo', 'vip')).toBe(true);
    expect(holds('tags', 'changedTo', 'eu')).toBe(false);
    expect(holds('tags', 'changedFrom', 'old')).toBe(true);
    expect(holds('customFields.plan', 'changedFrom', 'silver')).toBe(true);
    expect(holds('customFields.seats', 'changed')).toBe(false);
  });

  it('all/any nest, short-circuit, and the trace lists what was evaluated by pointer', () => {
    const check = compileConditions({
      all: [{ field: 'status', operator: 'equals', value: 'open' }, { any: [{ field: 'priority', operator: 'equals', value: 'urgent' }, { all: [{ field: 'tags', operator: 'contains', value: 'vip' }] }] }],
      any: [{ field: 'channel', operator: 'equals', value: 'email' }, { field: 'channel', operator: 'equals', value: 'web' }],
    });
    const { matched, trace } = evaluate(check, event, ctx);
    expect(matched).toBe(true);
    expect(trace.map((e) => [e.pointer, e.result])).toEqual([
      ['/conditions/all/0', true], ['/conditions/all/1/any/0', false], ['/conditions/all/1/any/1/all/0', true], ['/conditions/any/0', true],
    ]);
    expect(evaluate(compileConditions(undefined), event, ctx).matched).toBe(true);
  });
});

describe('action schema (shared by declarative and script rules)', () => {
  it('accepts valid actions and rejects __proto__ keys and invalid shapes by pointer', () => {
    expect(checkActions([{ type: 'set_field', field: 'priority', value: 'urgent' }, { type: 'assign', userId: 'usr_1' }, { type: 'add_note', body: 'x', internal: true }])).toHaveProperty('actions');
    const hostile = JSON.parse('[{"type":"add_tags","tags":["a"],"__proto__":{"x":1}}, {"type":"set_field","field":"priority","value":{"constructor":{"prototype":{}}}}]');
    expect(checkActions(hostile)).toEqual({ errors: [{ pointer: '/actions/0/__proto__', message: 'is a forbidden key' }, { pointer: '/actions/1/value/constructor', message: 'is a forbidden key' }] });
    const bad = checkActions([{ type: 'assign' }, { type: 'set_field', field: 'requesterId', value: 'x' }, { type: 'add_tags', tags: [] }, 'nope', { type: 'notify' }]) as { errors: { pointer: string }[] };
    expect(bad.errors.map((e) => e.pointer)).toEqual(['/actions/0', '/actions/1/field', '/actions/2/tags', '/actions/3', '/actions/4/body']);
    expect(checkActions({ type: 'add_tags', tags: ['x'] })).toEqual({ errors: [{ pointer: '/actions', message: 'must be an array of actions' }] });
    expect(checkActions(Array.from({ length: 26 }, () => ({ type: 'add_tags', tags: ['x'] })))).toHaveProperty('errors');
  });
});
