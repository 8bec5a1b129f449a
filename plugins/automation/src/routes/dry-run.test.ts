import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { automationPlugin } from '../index.ts';
import { until } from '../test/support.ts';

let t: TestKernel;
let admin: { id: string; token: string };
let agent: { id: string; token: string };
let customer: { id: string; token: string };

beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: automationPlugin }] });
  admin = await t.createUser({ role: 'admin' });
  agent = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
});
afterAll(async () => {
  await t?.close();
});

const post = async (path: string, body: unknown, token = admin.token) => t.request('POST', `/api/v1/automation${path}`, { token, body });
const ticket = async (body: Record<string, unknown>) => (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { requester: customer.id, ...body } })).body;
const state = async () => t.kernel.db.query(`select (select count(*)::int from comment) as comments, (select count(*)::int from ticket_history) as history, (select count(*)::int from automation_run) as runs`);

describe('dry run, replay and macros', () => {
  it('dry-runs a draft against a ticket id or a snapshot: outcome, trace and planned actions; nothing changes', async () => {
    const created = await post('/rules', {
      name: 'Escalate on priority raise', kind: 'trigger', events: ['ticket.updated'],
      conditions: { all: [{ field: 'priority', operator: 'changedTo', value: 'urgent' }, { field: 'tags', operator: 'notContains', value: 'escalated' }] },
      actions: [{ type: 'add_tags', tags: ['escalated'] }, { type: 'add_note', body: 'Escalated {{ticket.title}}' }, { type: 'notify', assignee: true, body: 'Look at #{{ticket.number}}' }],
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const tk = await ticket({ title: 'Printer on fire', priority: 'urgent' });
    const before = await state();
    const res = await post(`/rules/${id}/dry-run`, { ticketId: tk.id, event: { type: 'ticket.updated', changes: [{ field: 'priority', from: 'normal', to: 'urgent' }] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      outcome: 'matched', version: 1,
      trace: [{ pointer: '/conditions/all/0', result: true }, { pointer: '/conditions/all/1', result: true }],
      actions: [{ type: 'add_tags', applied: true }, { type: 'add_note', applied: true }, { type: 'notify', wouldSend: true }],
      patch: { tags: ['escalated'] },
      comments: [{ body: 'Escalated Printer on fire', internal: true }],
      notifications: [{ assignee: true, body: `Look at #${tk.number}` }],
    });
    const snapshot = await post(`/rules/${id}/dry-run`, { ticket: { title: 'x', priority: 'urgent', tags: ['escalated'] }, event: { changes: [{ field: 'priority', from: 'low', to: 'urgent' }] } });
    expect(snapshot.body).toMatchObject({ outcome: 'no_match', trace: [{ result: true }, { result: false }], actions: [] });
    const neither = await post(`/rules/${id}/dry-run`, {});
    expect(neither.status).toBe(400);
    expect((await post(`/rules/${id}/dry-run`, { ticketId: 'tkt_nope' })).status).toBe(404);
    expect(await state()).toEqual(before);
    expect((await t.request('GET', `/api/v1/tickets/${tk.id}`, { token: agent.token })).body.tags).toEqual([]);
  });

  it('replays the last N stored events through a draft before it is published', async () => {
    const draft = await post('/rules', { name: 'Created with vip', kind: 'trigger', events: ['ticket.created'], conditions: { all: [{ field: 'tags', operator: 'contains', value: 'vip' }] }, actions: [{ type: 'add_tags', tags: ['seen'] }] });
    await ticket({ title: 'one', tags: ['vip'] });
    await ticket({ title: 'two' });
    await ticket({ title: 'three', tags: ['vip'] });
    await until(() => t.kernel.db.query(`select 1 from automation_event where event_type = 'ticket.created'`), (r) => r.length >= 4);
    const replay = await post(`/rules/${draft.body.id}/replay`, { limit: 3 });
    expect(replay.status, JSON.stringify(replay.body)).toBe(200);
    expect(replay.body.counts).toEqual({ matched: 2, no_match: 1 });
    expect(replay.body.items.map((i: { outcome: string }) => i.outcome)).toEqual(['matched', 'no_match', 'matched']);
    // The draft never ran for real.
    expect(await t.kernel.db.query('select 1 from automation_run where rule_id = ?', [draft.body.id])).toEqual([]);
  });

  it('macros: agents list, preview and apply them; the change is theirs, via "macro"', async () => {
    const macro = await post('/rules', {
      name: 'Close as duplicate', kind: 'macro', active: true, description: 'Reply, tag, solve',
      actions: [{ type: 'add_tags', tags: ['duplicate'] }, { type: 'set_field', field: 'status', value: 'solved' }, { type: 'add_note', internal: false, body: 'Hi! This duplicates another ticket ({{ticket.title}}).' }],
    });
    expect(macro.status, JSON.stringify(macro.body)).toBe(201);
    const list = await t.request('GET', '/api/v1/automation/macros', { token: agent.token });
    expect(list.body.items.map((m: { name: string }) => m.name)).toEqual(['Close as duplicate']);
    const tk = await ticket({ title: 'Dup' });
    const before = await state();
    const preview = await post(`/macros/${macro.body.id}/apply`, { ticketId: tk.id, preview: true }, agent.token);
    expect(preview.body).toMatchObject({ preview: true, changes: [{ field: 'status', from: 'new', to: 'solved' }, { field: 'tags', from: [], to: ['duplicate'] }], comments: [{ internal: false }] });
    expect(await state()).toEqual(before);
    expect((await post(`/macros/${macro.body.id}/apply`, { ticketId: tk.id }, customer.token)).status).toBe(403);
    const applied = await post(`/macros/${macro.body.id}/apply`, { ticketId: tk.id }, agent.token);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.ticket).toMatchObject({ status: 'solved', tags: ['duplicate'] });
    const history = await t.kernel.db.query<{ actor_id: string; via: string }>(`select distinct actor_id, via from ticket_history where ticket_id = ? and field <> 'created'`, [tk.id]);
    expect(history).toEqual([{ actor_id: agent.id, via: 'macro' }]);
    const reply = await t.kernel.db.query<{ author_id: string; internal: boolean }>('select author_id, internal from comment where ticket_id = ?', [tk.id]);
    expect(reply).toEqual([{ author_id: agent.id, internal: false }]);
    const runs = await t.request('GET', `/api/v1/automation/runs?ruleId=${macro.body.id}`, { token: admin.token });
    expect(runs.body.items).toMatchObject([{ eventType: 'macro.applied', outcome: 'matched', ticketId: tk.id }]);
    // A trigger may apply a published macro too.
    const usesMacro = await post('/rules', { name: 'Auto dup', kind: 'trigger', events: ['ticket.created'], active: true, conditions: { all: [{ field: 'title', operator: 'contains', value: '[dup]' }] }, actions: [{ type: 'apply_macro', macroId: macro.body.id }] });
    expect(usesMacro.status, JSON.stringify(usesMacro.body)).toBe(201);
    const auto = await ticket({ title: '[dup] again' });
    const after = await until(async () => (await t.request('GET', `/api/v1/tickets/${auto.id}`, { token: agent.token })).body, (b) => b.status === 'solved');
    expect(after.tags).toEqual(['duplicate']);
    expect((await post('/macros/rul_nope/apply', { ticketId: tk.id }, agent.token)).status).toBe(404);
  });
});
