import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { automationPlugin } from '../index.ts';
import { pointers, until } from '../test/support.ts';

let t: TestKernel;
let admin: { id: string; token: string };
let agent: { id: string; token: string };
let customer: { id: string; token: string };

beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: automationPlugin, config: { quarantineAfter: 2, quarantineWindowMinutes: 60 } }] });
  admin = await t.createUser({ role: 'admin' });
  agent = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
});
afterAll(async () => {
  await t?.close();
});

const rule = (body: Record<string, unknown>) => t.request('POST', '/api/v1/automation/rules', { token: admin.token, body: { kind: 'trigger', events: ['ticket.created'], active: true, ...body } });
const ticket = async (body: Record<string, unknown>) => (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { requester: customer.id, ...body } })).body;
const runsOf = (ruleId: string) => t.request('GET', `/api/v1/automation/runs?ruleId=${ruleId}`, { token: admin.token }).then((r) => r.body.items as { outcome: string; ticketId: string; error: { name: string; details?: { pointer: string }[] } | null; logs: string[]; proposed: unknown[] }[]);

describe('script rules', () => {
  it('refuses a script that does not compile (400 naming /body/script) and capabilities nobody registered', async () => {
    const bad = await rule({ name: 'Broken script', script: 'export default (event => [' });
    expect(bad.status).toBe(400);
    expect(pointers(bad.body)).toEqual(['/body/script']);
    const caps = await rule({ name: 'Unknown cap', script: 'export default () => []', capabilities: ['tickets.get', 'bank.transfer'] });
    expect(pointers(caps.body)).toEqual(['/body/capabilities/1']);
    const both = await rule({ name: 'Both', script: 'export default () => []', actions: [{ type: 'add_tags', tags: ['x'] }] });
    expect(pointers(both.body)).toEqual(['/body/script']);
    const api = await t.request('GET', '/api/v1/automation/script-api', { token: agent.token });
    expect(api.body.available).toBe(true);
    expect(api.body.capabilities.map((c: { name: string }) => c.name)).toEqual(['tickets.get', 'users.get']);
    expect(api.body.declarations).toContain('export type RuleScript');
  });

  it('runs the script in the sandbox with the event and applies the actions it returns, logging ctx.log lines', async () => {
    const res = await rule({
      name: 'VIP script',
      capabilities: ['users.get'],
      script: `export default async (event, ctx) => {
        ctx.log('ticket', event.ticket.number, event.type);
        if (!event.ticket.tags.includes('vip')) return [];
        const requester = await ctx.users.get(event.ticket.requesterId);
        return [{ type: 'set_field', field: 'priority', value: 'urgent' }, { type: 'add_tags', tags: ['script-' + requester.role] }];
      }`,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const vip = await ticket({ title: 'Scripted', tags: ['vip'] });
    const plain = await ticket({ title: 'Plain' });
    const runs = await until(() => runsOf(res.body.id), (r) => r.length >= 2);
    const byTicket = Object.fromEntries(runs.map((r) => [r.ticketId, r]));
    expect(byTicket[vip.id]).toMatchObject({ outcome: 'matched', logs: [`ticket ${vip.number} ticket.created`] });
    expect(byTicket[plain.id]).toMatchObject({ outcome: 'no_match' });
    const after = (await t.request('GET', `/api/v1/tickets/${vip.id}`, { token: agent.token })).body;
    expect(after).toMatchObject({ priority: 'urgent', tags: ['script-customer', 'vip'] });
    await t.request('PATCH', `/api/v1/automation/rules/${res.body.id}`, { token: admin.token, body: { active: false } });
  });

  it('rejects returned actions with __proto__ keys or invalid shapes: nothing applied, the run is an error naming the pointer', async () => {
    const res = await rule({
      name: 'Hostile script',
      script: `export default () => JSON.parse('[{"type":"add_tags","tags":["ok"]},{"type":"add_tags","tags":["x"],"__proto__":{"polluted":true}},{"type":"assign","userId":42}]')`,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const tk = await ticket({ title: 'Hostile' });
    const [run] = await until(() => runsOf(res.body.id), (r) => r.length >= 1);
    expect(run).toMatchObject({ outcome: 'error', error: { name: 'InvalidActions' } });
    expect(run!.error!.details!.map((d) => d.pointer)).toEqual(['/actions/1/__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await t.request('GET', `/api/v1/tickets/${tk.id}`, { token: agent.token })).body.tags).toEqual([]);
    await t.request('PATCH', `/api/v1/automation/rules/${res.body.id}`, { token: admin.token, body: { active: false } });

    const shapes = await rule({ name: 'Bad shapes', script: `export default () => [{ type: 'add_tags', tags: ['fine'] }, { type: 'assign', userId: 42 }, { type: 'rm_rf' }]` });
    const tk2 = await ticket({ title: 'Shapes' });
    const [run2] = await until(() => runsOf(shapes.body.id), (r) => r.length >= 1);
    expect(run2!.error!.details!.map((d) => d.pointer)).toEqual(['/actions/1/userId', '/actions/2/type']);
    expect((await t.request('GET', `/api/v1/tickets/${tk2.id}`, { token: agent.token })).body.tags).toEqual([]);
    await t.request('PATCH', `/api/v1/automation/rules/${shapes.body.id}`, { token: admin.token, body: { active: false } });
  });

  it('a script that keeps exceeding its limits is disabled after the configured count, with an audit entry', async () => {
    const res = await rule({ name: 'Spinner', script: 'export default () => { for (;;) {} }' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await ticket({ title: 'Spin 1' });
    await ticket({ title: 'Spin 2' });
    const runs = await until(() => runsOf(res.body.id), (r) => r.length >= 2, 30_000);
    expect(runs.map((r) => r.outcome)).toEqual(['timeout', 'timeout']);
    const state = (await t.request('GET', `/api/v1/automation/rules/${res.body.id}`, { token: admin.token })).body;
    expect(state).toMatchObject({ active: false, publishedVersion: 1 });
    expect(state.disabledReason).toContain('2 limit violations');
    const audit = await t.kernel.db.query<{ action: string }>(`select action from audit_log where target_id = ? and action = 'automation.rule.auto_disabled'`, [res.body.id]);
    expect(audit).toHaveLength(1);
    // Disabled: the next ticket does not run it.
    const third = await ticket({ title: 'Spin 3' });
    await until(() => t.kernel.db.query('select 1 from automation_event where ticket_id = ?', [third.id]), (r) => r.length > 0);
    expect((await runsOf(res.body.id)).length).toBe(2);
  });
});
