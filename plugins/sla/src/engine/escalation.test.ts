import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeliveredEvent, definePlugin } from '@ticketops/plugin-sdk';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { type Escalator, slaPlugin } from '../index.ts';
import { allDay, until } from '../test-support.ts';

const received: DeliveredEvent[] = [];
const listener = definePlugin({
  id: 'sla-escalation-listener',
  version: '1.0.0',
  kernel: '^0.1.0',
  register(r) {
    r.subscribe('sla.escalated', { id: 'sla-escalated' }, async (event) => void received.push(event));
  },
});

let t: TestKernel;
let admin: { token: string };
let agent: { id: string; token: string };
let lead: { id: string; token: string };
let customer: { id: string; token: string };
let calendarId: string;
const groupId = 'grp_sla_tier2';

beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: slaPlugin }, { definition: listener }] });
  admin = await t.createUser({ role: 'admin' });
  agent = await t.createUser({ role: 'agent' });
  lead = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
  await t.kernel.db.query(`insert into agent_group (id, tenant_id, name) values (?, 'ten_default', 'Tier 2') on conflict do nothing`, [groupId]);
  const cal = await t.request('POST', '/api/v1/sla/calendars', { token: admin.token, body: { name: '24x7 escalation', timeZone: 'UTC', hours: allDay } });
  calendarId = cal.body.id;
});
afterAll(async () => {
  await t?.close();
});

describe('SLA escalation levels', () => {
  it('refuses bad levels with a 400 naming the field, and saves nothing', async () => {
    const bad = await t.request('POST', '/api/v1/sla/policies', {
      token: admin.token,
      body: {
        name: 'Bad levels', calendarId, warningPercent: null, targets: { '*': { firstResponse: 60 } },
        escalations: [
          { at: 'warning', metric: 'firstResponse', actions: [{ type: 'notify', assignee: true }] },
          { at: 'breached', metric: '*', actions: [{ type: 'reassign', groupId: 'grp_nope' }, { type: 'raise_priority', to: 'galactic' }, { type: 'notify' }] },
          { at: 'breached', metric: '*', actions: [{ type: 'notify', userIds: ['usr_nope'], groupId: groupId }] },
        ],
      },
    });
    expect(bad.status).toBe(400);
    const pointers = bad.body.errors.map((e: { pointer: string }) => e.pointer).sort();
    expect(pointers).toEqual([
      '/body/escalations/0/at',
      '/body/escalations/1/actions/0/groupId',
      '/body/escalations/1/actions/1/to',
      '/body/escalations/1/actions/2',
      '/body/escalations/2/actions/0/groupId',
      '/body/escalations/2/actions/0/userIds/0',
    ]);
    const schemaBad = await t.request('POST', '/api/v1/sla/policies', {
      token: admin.token, body: { name: 'Bad at', calendarId, targets: { '*': { firstResponse: 60 } }, escalations: [{ at: { minutesAfterBreach: 0 }, metric: 'firstResponse', actions: [{ type: 'notify', assignee: true }] }] },
    });
    expect(schemaBad.status).toBe(400);
    expect(JSON.stringify(schemaBad.body.errors)).toContain('/body/escalations/0/at');
    const list = await t.request('GET', '/api/v1/sla/policies', { token: admin.token });
    expect(list.body.items.map((p: { name: string }) => p.name)).not.toContain('Bad levels');
  });

  it('applies each level once per metric cycle: notify at warning, reassign + raise priority at breach, notify 30 min later', async () => {
    const policy = await t.request('POST', '/api/v1/sla/policies', {
      token: admin.token,
      body: {
        name: 'Escalating', calendarId, warningPercent: 50, targets: { '*': { firstResponse: 60, resolution: 600 } },
        escalations: [
          { at: 'warning', metric: 'firstResponse', actions: [{ type: 'notify', assignee: true, userIds: [lead.id] }] },
          { at: 'breached', metric: 'firstResponse', actions: [{ type: 'reassign', groupId, userId: lead.id }, { type: 'raise_priority' }] },
          { at: { minutesAfterBreach: 30 }, metric: '*', actions: [{ type: 'notify', groupIds: [groupId] }] },
        ],
      },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    expect(policy.body.escalations).toHaveLength(3);
    const created = await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Escalate me', requester: customer.id, priority: 'normal' } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await until(() => t.kernel.db.query('select 1 from sla_ticket where ticket_id = ? and policy_id is not null', [id]), (rows) => rows.length > 0);
    // The ticket arrived 100 minutes ago: warning (30), breach (60) and breach + 30 (90) of first response are past.
    await t.kernel.db.query(`update sla_ticket_fact set at = at - interval '100 minutes' where ticket_id = ?`, [id]);
    await t.kernel.db.query(`update sla_ticket set next_alert_at = now() - interval '1 second' where ticket_id = ?`, [id]);
    const run = () => t.kernel.runAsSystem('ten_default', 'test-escalate', (scope) => scope.resolve<Escalator>('sla.escalator').escalate(scope));
    await Promise.all([run(), run(), run()]);

    // A concurrent after-commit re-derivation (the policy's config change) may hold the row; it sends them then.
    const rows = await until(() => t.kernel.db.query<{ kind: string }>('select kind from sla_escalation where ticket_id = ? and metric = ? order by kind', [id, 'firstResponse']), (r) => r.length >= 5);
    expect(rows.map((r) => r.kind)).toEqual(['breached', 'level:0', 'level:1', 'level:2', 'warning']);
    const ticket = await t.request('GET', `/api/v1/tickets/${id}`, { token: agent.token });
    expect(ticket.body).toMatchObject({ groupId, assigneeId: lead.id, priority: 'high' });
    const history = await t.kernel.db.query<{ field: string; via: string }>('select field, via from ticket_history where ticket_id = ? and via = ? order by field', [id, 'sla']);
    expect(history.map((h) => h.field)).toContain('priority');
    expect(history.length).toBe(3);

    const mine = () => received.filter((e) => e.payload.ticketId === id);
    await until(async () => mine(), (list) => list.length >= 3);
    await new Promise((r) => setTimeout(r, 1000));
    const byLevel = Object.fromEntries(mine().map((e) => [e.payload.level as number, e.payload]));
    expect(mine()).toHaveLength(3);
    expect(byLevel[0]).toMatchObject({ metric: 'firstResponse', cycle: 1, levelAt: 'warning', actions: [{ type: 'notify', assignee: true, userIds: [lead.id] }] });
    expect(byLevel[1]).toMatchObject({ levelAt: 'breached', results: [{ type: 'reassign', applied: true }, { type: 'raise_priority', applied: true, detail: 'normal → high' }] });
    expect(byLevel[2]).toMatchObject({ levelAt: { minutesAfterBreach: 30 }, actions: [{ type: 'notify', groupIds: [groupId] }] });

    // The SLA timeline shows the levels; running again (and the ticket changes they caused) sends nothing new.
    const sla = await t.request('GET', `/api/v1/sla/tickets/${id}`, { token: agent.token });
    expect(sla.body.timeline.filter((e: { type: string }) => e.type === 'escalated').map((e: { level: number }) => e.level)).toEqual([0, 1, 2]);
    await t.kernel.db.query(`update sla_ticket set next_alert_at = now() - interval '1 second' where ticket_id = ?`, [id]);
    await run();
    await new Promise((r) => setTimeout(r, 1000));
    expect(mine()).toHaveLength(3);
    const after = await t.request('GET', `/api/v1/tickets/${id}`, { token: agent.token });
    expect(after.body.priority).toBe('high');
  });
});
