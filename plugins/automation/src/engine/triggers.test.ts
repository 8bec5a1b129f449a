import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketsService } from '@ticketops/plugin-sdk';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { automationPlugin } from '../index.ts';
import { until } from '../test/support.ts';
import { engineDeps } from './subscribers.ts';
import { processEvent } from './triggers.ts';

let t: TestKernel;
let admin: { id: string; token: string };
let agent: { id: string; token: string };
let customer: { id: string; token: string };
const groupId = 'grp_auto_tier2';

beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: automationPlugin }] });
  admin = await t.createUser({ role: 'admin' });
  agent = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
  await t.kernel.db.query(`insert into agent_group (id, tenant_id, name) values (?, 'ten_default', 'Tier 2 auto') on conflict do nothing`, [groupId]);
});
afterAll(async () => {
  await t?.close();
});

const rule = async (body: Record<string, unknown>) => {
  const res = await t.request('POST', '/api/v1/automation/rules', { token: admin.token, body: { kind: 'trigger', active: true, ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};
const disable = async (id: string) => {
  const res = await t.request('PATCH', `/api/v1/automation/rules/${id}`, { token: admin.token, body: { active: false } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.active).toBe(false);
};
const ticket = async (body: Record<string, unknown>) => {
  const res = await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { requester: customer.id, ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};
const runsOf = (ticketId: string) => t.kernel.db.query<{ rule_id: string; outcome: string; event_type: string; cause: string[] }>('select rule_id, outcome, event_type, cause from automation_run where ticket_id = ? order by id', [ticketId]);
const get = async (id: string) => (await t.request('GET', `/api/v1/tickets/${id}`, { token: agent.token })).body;
const notes = (id: string) => t.kernel.db.query<{ body: string; internal: boolean; channel: string }>('select body, internal, channel from comment where ticket_id = ? order by created_at', [id]);

describe('triggers', () => {
  it('applies actions after commit through the tickets service, logs the run with its condition trace', async () => {
    const id1 = await rule({
      name: 'VIP', events: ['ticket.created'],
      conditions: { all: [{ field: 'tags', operator: 'contains', value: 'vip' }], any: [{ field: 'priority', operator: 'equals', value: 'low' }, { field: 'title', operator: 'contains', value: 'DOWN' }] },
      actions: [{ type: 'set_field', field: 'priority', value: 'urgent' }, { type: 'assign', groupId }, { type: 'add_tags', tags: ['escalated'] }, { type: 'add_note', body: 'Ticket #{{ticket.number}} is {{upper ticket.priority}}' }],
    });
    const id = await ticket({ title: 'Site is down', tags: ['vip'] });
    const other = await ticket({ title: 'Question', tags: ['vip'], priority: 'normal' });
    const runs = await until(() => runsOf(id), (r) => r.length > 0);
    expect(runs).toMatchObject([{ rule_id: id1, outcome: 'matched', event_type: 'ticket.created', cause: [] }]);
    const after = await get(id);
    expect(after).toMatchObject({ priority: 'urgent', groupId, tags: ['escalated', 'vip'] });
    expect(await notes(id)).toEqual([{ body: `Ticket #${after.number} is URGENT`, internal: true, channel: 'automation' }]);
    const history = await t.kernel.db.query<{ field: string; via: string }>(`select field, via from ticket_history where ticket_id = ? and field <> 'created' order by field`, [id]);
    expect(history).toEqual([{ field: 'groupId', via: 'automation' }, { field: 'priority', via: 'automation' }, { field: 'tags', via: 'automation' }]);

    const log = await t.request('GET', `/api/v1/automation/runs?ruleId=${id1}&ticketId=${id}`, { token: admin.token });
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0]).toMatchObject({
      outcome: 'matched', ruleVersion: 1,
      trace: [{ pointer: '/conditions/all/0', result: true }, { pointer: '/conditions/any/0', result: false }, { pointer: '/conditions/any/1', result: true }],
      applied: [{ type: 'set_field', applied: true }, { type: 'assign', applied: true }, { type: 'add_tags', applied: true }, { type: 'add_note', applied: true }],
    });
    const otherRuns = await until(() => runsOf(other), (r) => r.length > 0);
    expect(otherRuns[0]?.outcome).toBe('no_match');
    expect((await get(other)).priority).toBe('normal');
    await disable(id1);
  });

  it('runs rules in order, re-evaluates after changes (passes), honours stopProcessing', async () => {
    const needsHot = await rule({ name: 'Hot → tier 2', events: ['ticket.created'], conditions: { all: [{ field: 'tags', operator: 'contains', value: 'hot' }] }, actions: [{ type: 'assign', groupId }] });
    const makesHot = await rule({ name: 'Outage → hot', events: ['ticket.created'], stopProcessing: true, conditions: { all: [{ field: 'title', operator: 'contains', value: 'outage' }] }, actions: [{ type: 'add_tags', tags: ['hot'] }] });
    const never = await rule({ name: 'After stop', events: ['ticket.created'], actions: [{ type: 'add_tags', tags: ['never'] }] });
    const id = await ticket({ title: 'Outage in EU' });
    await until(() => runsOf(id), (r) => r.length >= 2);
    const after = await get(id);
    // Pass 1: "Hot → tier 2" does not match, "Outage → hot" adds the tag and stops the event; the
    // pass that follows is cut by stopProcessing, so the first rule does not get a second look.
    expect(after.tags).toEqual(['hot']);
    expect(after.groupId).toBeNull();
    const byRule = Object.fromEntries((await runsOf(id)).map((r) => [r.rule_id, r.outcome]));
    expect(byRule).toEqual({ [needsHot]: 'no_match', [makesHot]: 'matched' });
    expect(byRule[never]).toBeUndefined();

    await t.request('PATCH', `/api/v1/automation/rules/${makesHot}`, { token: admin.token, body: { stopProcessing: false } });
    await t.request('POST', `/api/v1/automation/rules/${makesHot}/publish`, { token: admin.token, body: {} });
    await disable(never);
    const id2 = await ticket({ title: 'Second outage' });
    await until(async () => (await get(id2)).groupId, (g) => g === groupId);
    const runs2 = Object.fromEntries((await runsOf(id2)).map((r) => [r.rule_id, r.outcome]));
    expect(runs2).toEqual({ [needsHot]: 'matched', [makesHot]: 'matched' });
    await disable(needsHot);
    await disable(makesHot);
  });

  it('stops loops: a rule does not fire on the consequences of its own change, and cascades stop at depth 3', async () => {
    const ping = await rule({ name: 'ping→pong', events: ['ticket.updated'], conditions: { all: [{ field: 'tags', operator: 'changedTo', value: 'ping' }] }, actions: [{ type: 'remove_tags', tags: ['ping'] }, { type: 'add_tags', tags: ['pong'] }] });
    const pong = await rule({ name: 'pong→ping', events: ['ticket.updated'], conditions: { all: [{ field: 'tags', operator: 'changedTo', value: 'pong' }] }, actions: [{ type: 'remove_tags', tags: ['pong'] }, { type: 'add_tags', tags: ['ping'] }] });
    const id = await ticket({ title: 'Loop' });
    await t.request('PATCH', `/api/v1/tickets/${id}`, { token: agent.token, body: { tags: ['ping'] } });
    // Event 0 (the agent): ping fires; pong fires in the same pass. Their changes' events carry
    // the chain and find both rules upstream: loop_stopped, nothing applied.
    // Three events: the agent's change and one per rule change; loop-stopped runs apply nothing, so no fourth.
    await until(() => t.kernel.db.query(`select 1 from automation_event where ticket_id = ? and event_type = 'ticket.updated'`, [id]), (r) => r.length >= 3);
    const runs = await runsOf(id);
    const all = await runsOf(id);
    const matched = all.filter((r) => r.outcome === 'matched');
    expect(matched.map((r) => r.rule_id).sort()).toEqual([ping, pong].sort());
    expect(runs.some((r) => r.outcome === 'loop_stopped' && r.cause.length === 1 && r.cause[0]!.includes('@'))).toBe(true);
    expect(all.length).toBeLessThan(10);
    expect((await get(id)).tags).toEqual(['ping']);
    await disable(ping);
    await disable(pong);

    // A chain already 3 long applies nothing, whatever the rule.
    const deep = await rule({ name: 'Deep', events: ['ticket.updated'], actions: [{ type: 'add_tags', tags: ['deep'] }] });
    const records = await t.kernel.runAsSystem('ten_default', 'test-deep', async (scope) => {
      const deps = engineDeps(scope, { quarantineAfter: 3, quarantineWindowMinutes: 60 } as never);
      const current = await scope.resolve<TicketsService>('tickets').get(scope, id);
      await processEvent(scope, { id: 'evt_test_deep', type: 'ticket.updated', ticket: current, changes: [], cause: ['rul_a@evt_1', 'rul_b@evt_2', 'rul_c@evt_3'] }, deps);
      return t.kernel.db.query<{ rule_id: string; outcome: string }>('select rule_id, outcome from automation_run where event_id = ?', ['evt_test_deep']);
    });
    expect(records).toEqual([{ rule_id: deep, outcome: 'loop_stopped' }]);
    expect((await get(id)).tags).not.toContain('deep');
    await disable(deep);
  });

  it('is idempotent by event id and honours fire-once-per-ticket', async () => {
    const once = await rule({ name: 'Note once', events: ['ticket.updated'], fireOncePerTicket: true, conditions: { all: [{ field: 'status', operator: 'changed' }] }, actions: [{ type: 'add_note', body: 'status changed' }] });
    const id = await ticket({ title: 'Once' });
    await t.request('PATCH', `/api/v1/tickets/${id}`, { token: agent.token, body: { status: 'open' } });
    await until(() => notes(id), (n) => n.length >= 1);
    await t.request('PATCH', `/api/v1/tickets/${id}`, { token: agent.token, body: { status: 'pending' } });
    await until(() => t.kernel.db.query(`select 1 from automation_event where ticket_id = ? and event_type = 'ticket.updated'`, [id]), (r) => r.length >= 2);
    expect(await notes(id)).toHaveLength(1);
    // The same event delivered again (at least once) applies nothing twice.
    const replay = async () => t.kernel.runAsSystem('ten_default', 'test-redeliver', async (scope) => {
      const current = await scope.resolve<TicketsService>('tickets').get(scope, id);
      await processEvent(scope, { id: 'evt_test_redelivered', type: 'comment.created', ticket: current, changes: [], cause: [] }, engineDeps(scope, { quarantineAfter: 3, quarantineWindowMinutes: 60 } as never));
    });
    await disable(once);
    const tagger = await rule({ name: 'Comment tagger', events: ['comment.created'], actions: [{ type: 'add_note', body: 'seen' }] });
    await Promise.all([replay(), replay()]);
    await replay();
    const seen = (await notes(id)).filter((n) => n.body === 'seen');
    expect(seen).toHaveLength(1);
    await disable(tagger);
  });

  it('reacts to comments (comment.body, comment.internal) and to SLA events (sla.metric), raising priority one step', async () => {
    const onComment = await rule({
      name: 'Angry customer', events: ['comment.created'],
      conditions: { all: [{ field: 'comment.body', operator: 'contains', value: 'unacceptable' }, { field: 'comment.internal', operator: 'equals', value: false }] },
      actions: [{ type: 'raise_priority' }],
    });
    const onBreach = await rule({ name: 'Breach', events: ['sla.breached'], conditions: { all: [{ field: 'sla.metric', operator: 'equals', value: 'resolution' }] }, actions: [{ type: 'raise_priority', to: 'urgent' }, { type: 'add_tags', tags: ['breached'] }] });
    const id = await ticket({ title: 'Slow', priority: 'normal' });
    await t.request('POST', `/api/v1/tickets/${id}/comments`, { token: customer.token, body: { body: 'This is UNACCEPTABLE' } });
    await until(async () => (await get(id)).priority, (p) => p === 'high');
    await t.request('POST', `/api/v1/tickets/${id}/comments`, { token: agent.token, body: { body: 'unacceptable, says the customer', internal: true } });
    // The SLA plugin emits sla.breached after commit; the same event, emitted here in a transaction.
    await t.kernel.runAsSystem('ten_default', 'test-sla', (scope) => scope.transactional((tx) => tx.emit('sla.breached', { ticketId: id, metric: 'resolution', cycle: 1 })));
    const after = await until(() => get(id), (b) => b.tags.includes('breached'));
    expect(after.priority).toBe('urgent');
    await until(() => t.kernel.db.query('select 1 from automation_run where ticket_id = ? and rule_id = ?', [id, onComment]), (r) => r.length >= 2);
    const outcomes = await t.kernel.db.query<{ rule_id: string; outcome: string; event_type: string }>('select rule_id, outcome, event_type from automation_run where ticket_id = ? and rule_id = any(?::text[]) order by id', [id, `{${onComment},${onBreach}}`]);
    expect(outcomes.filter((o) => o.rule_id === onBreach)).toEqual([{ rule_id: onBreach, outcome: 'matched', event_type: 'sla.breached' }]);
    const commentRuns = await t.kernel.db.query<{ outcome: string }>('select outcome from automation_run where ticket_id = ? and rule_id = ? order by id', [id, onComment]);
    expect(commentRuns.map((r) => r.outcome)).toEqual(['matched', 'no_match']);
    await disable(onComment);
    await disable(onBreach);
  });
});
