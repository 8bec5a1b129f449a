import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeliveredEvent, definePlugin } from '@ticketops/plugin-sdk';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { automationPlugin } from '../index.ts';
import { until } from '../test/support.ts';
import { APPROVAL_DECIDED } from './store.ts';

const decided: DeliveredEvent[] = [];
const listener = definePlugin({
  id: 'approval-listener', version: '1.0.0', kernel: '^0.1.0',
  register(r) {
    r.subscribe(APPROVAL_DECIDED, { id: 'decided' }, async (event) => void decided.push(event));
  },
});

let t: TestKernel;
let admin: { id: string; token: string };
let manager: { id: string; token: string };
let a1: { id: string; token: string };
let a2: { id: string; token: string };
let customer: { id: string; token: string };
const groupId = 'grp_approvers';

beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: automationPlugin }, { definition: listener }] });
  admin = await t.createUser({ role: 'admin' });
  manager = await t.createUser({ role: 'agent' });
  a1 = await t.createUser({ role: 'agent' });
  a2 = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
  await t.kernel.db.query(`insert into agent_group (id, tenant_id, name) values (?, 'ten_default', 'Approvers')`, [groupId]);
  await t.kernel.db.query(`insert into group_member (group_id, user_id, tenant_id) values (?, ?, 'ten_default'), (?, ?, 'ten_default')`, [groupId, a1.id, groupId, a2.id]);
});
afterAll(async () => {
  await t?.close();
});

const approvals = (token: string, query = '?mine=true') => t.request('GET', `/api/v1/automation/approvals${query}`, { token }).then((r) => r.body.items as { id: string; state: string; currentStep: number; steps: { approvers: string[] }[] }[]);
const decide = (token: string, id: string, decision: string) => t.request('POST', `/api/v1/automation/approvals/${id}/decision`, { token, body: { decision, comment: 'ok' } });
const status = async (id: string) => (await t.request('GET', `/api/v1/tickets/${id}`, { token: admin.token })).body.status;

describe('approvals', () => {
  it('runs steps in order (manager any-of, then a group all-of); the ticket waits, then moves on; decisions are audited and emitted', async () => {
    expect((await t.request('PUT', `/api/v1/automation/managers/${customer.id}`, { token: admin.token, body: { managerId: 'usr_nope' } })).body.errors).toEqual([{ pointer: '/body/managerId', message: 'is not a user of this tenant' }]);
    expect((await t.request('PUT', `/api/v1/automation/managers/${customer.id}`, { token: admin.token, body: { managerId: manager.id } })).status).toBe(200);
    const rule = await t.request('POST', '/api/v1/automation/rules', {
      token: admin.token,
      body: {
        name: 'Purchases need approval', kind: 'trigger', events: ['ticket.created'], active: true,
        conditions: { all: [{ field: 'tags', operator: 'contains', value: 'purchase' }] },
        actions: [{ type: 'request_approval', title: 'Purchase', steps: [{ mode: 'any', requesterManager: true }, { mode: 'all', groupIds: [groupId] }], waitStatus: 'pending', approvedStatus: 'open', rejectedStatus: 'solved' }],
      },
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const tk = (await t.request('POST', '/api/v1/tickets', { token: customer.token, body: { title: 'New laptop', tags: ['purchase'] } })).body;
    const [pending] = await until(() => approvals(manager.token), (l) => l.length > 0);
    expect(pending).toMatchObject({ state: 'pending', currentStep: 0, steps: [{ approvers: [manager.id] }, { approvers: [] }] });
    expect(await status(tk.id)).toBe('pending');
    expect(await approvals(a1.token)).toEqual([]);
    const id = pending!.id;

    expect((await decide(a1.token, id, 'approved')).status).toBe(403);
    const afterManager = await decide(manager.token, id, 'approved');
    expect(afterManager.body).toMatchObject({ state: 'pending', currentStep: 1, steps: [{ decisions: [{ userId: manager.id, decision: 'approved' }] }, { approvers: [a1.id, a2.id].sort() }] });
    expect((await approvals(a1.token)).map((a) => a.id)).toEqual([id]);
    expect((await decide(a1.token, id, 'approved')).body.state).toBe('pending');
    expect((await decide(a1.token, id, 'approved')).status).toBe(409);
    expect(await status(tk.id)).toBe('pending');
    expect((await decide(a2.token, id, 'approved')).body.state).toBe('approved');
    expect(await status(tk.id)).toBe('open');
    expect((await decide(a2.token, id, 'rejected')).status).toBe(409);
    const audit = await t.kernel.db.query(`select 1 from audit_log where target_id = ? and action = 'automation.approval.decided'`, [id]);
    expect(audit).toHaveLength(3);
    const events = await until(async () => decided.filter((e) => e.payload.approvalId === id), (l) => l.length >= 3);
    // Delivery order is not guaranteed: compare as a set of (step, state).
    expect(events.map((e) => `${e.payload.step}:${e.payload.decision}:${e.payload.state}`).sort()).toEqual(['0:approved:pending', '1:approved:approved', '1:approved:pending']);

    const tk2 = (await t.request('POST', '/api/v1/tickets', { token: customer.token, body: { title: 'Second laptop', tags: ['purchase'] } })).body;
    const [second] = await until(() => approvals(admin.token, `?ticketId=${tk2.id}`), (l) => l.length > 0);
    expect((await decide(manager.token, second!.id, 'rejected')).body.state).toBe('rejected');
    expect(await status(tk2.id)).toBe('solved');
  });

  it('refuses approval actions naming unknown statuses or steps without approvers', async () => {
    const bad = await t.request('POST', '/api/v1/automation/rules', {
      token: admin.token,
      body: { name: 'Bad approval', kind: 'trigger', events: ['ticket.created'], actions: [{ type: 'request_approval', steps: [{ mode: 'any' }, { mode: 'some', userIds: ['x'] }], waitStatus: 'limbo' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/body/actions/0/steps/1/mode']);
    const refs = await t.request('POST', '/api/v1/automation/rules', {
      token: admin.token,
      body: { name: 'Bad approval', kind: 'trigger', events: ['ticket.created'], actions: [{ type: 'request_approval', steps: [{ mode: 'any' }, { mode: 'all', userIds: ['usr_nope'] }], waitStatus: 'limbo' }] },
    });
    expect(refs.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/actions/0/steps/0', '/body/actions/0/steps/1/userIds/0', '/body/actions/0/waitStatus']);
  });
});
