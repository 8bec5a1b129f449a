import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../../testing/index.ts';

let t: TestKernel;
let admin: { id: string; token: string };
let agent: { id: string; token: string };
let other: { id: string; token: string };
let customer: { id: string; token: string };

beforeAll(async () => {
  t = await startTestKernel({ workers: false });
  admin = await t.createUser({ role: 'admin', name: 'Ada' });
  agent = await t.createUser({ role: 'agent', name: 'Ana Agent' });
  other = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer', name: 'Carl Customer' });
});
afterAll(async () => {
  await t?.close();
});

describe('ticket templates', () => {
  it('renders placeholders over plain data and opens tickets through normal validation', async () => {
    const created = await t.request('POST', '/api/v1/templates', {
      token: admin.token,
      body: { name: 'Access request', visibleToCustomers: true, fields: { title: 'Access to {{upper values.system}} for {{requester.name}}', description: 'Requested on {{today}} by {{requester.email}}', priority: 'high', tags: ['access'] } },
    });
    expect(created.status).toBe(201);
    const preview = await t.request('POST', `/api/v1/templates/${created.body.id}/render`, { token: agent.token, body: { values: { system: 'vpn' }, requesterId: customer.id } });
    expect(preview.body.title).toBe('Access to VPN for Carl Customer');
    const ticket = await t.request('POST', '/api/v1/tickets/from-template', { token: customer.token, body: { templateId: created.body.id, values: { system: 'crm' } } });
    expect(ticket.status).toBe(201);
    expect(ticket.body).toMatchObject({ title: 'Access to CRM for Carl Customer', tags: ['access'], requesterId: customer.id, priority: 'normal' });
    const byAgent = await t.request('POST', '/api/v1/tickets/from-template', { token: agent.token, body: { templateId: created.body.id, values: { system: 'erp' }, overrides: { requester: customer.id } } });
    expect(byAgent.body).toMatchObject({ title: 'Access to ERP for Carl Customer', priority: 'high' });
    const badField = await t.request('POST', '/api/v1/tickets/from-template', { token: agent.token, body: { templateId: created.body.id, overrides: { priority: 'whenever' } } });
    expect(badField.status).toBe(400);
    expect(badField.body.errors[0].pointer).toBe('/body/priority');
  });

  it('refuses broken, oversized and unknown-helper templates; prototype access renders nothing', async () => {
    const broken = await t.request('POST', '/api/v1/templates', { token: admin.token, body: { name: 'Broken', fields: { title: 'Hi {{#if x}}' } } });
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0].pointer).toBe('/body/fields/title');
    const helper = await t.request('POST', '/api/v1/templates', { token: admin.token, body: { name: 'Helper', fields: { title: '{{lookup this "constructor"}} {{evil 1}}' } } });
    expect(helper.status).toBe(400);
    const huge = await t.request('POST', '/api/v1/templates', { token: admin.token, body: { name: 'Huge', fields: { description: 'x'.repeat(25_000) } } });
    expect(huge.status).toBe(400);
    const proto = await t.request('POST', '/api/v1/templates', { token: admin.token, body: { name: 'Proto', fields: { title: 'a{{constructor.name}}b{{values.__proto__.polluted}}c{{requester.constructor.constructor}}d' } } });
    expect(proto.status).toBe(201);
    const rendered = await t.request('POST', `/api/v1/templates/${proto.body.id}/render`, { token: agent.token, body: { values: {} } });
    expect(rendered.body.title).toBe('abcd');
    expect((await t.request('POST', '/api/v1/templates', { token: agent.token, body: { name: 'x', fields: {} } })).status).toBe(403);
  });
});

describe('time tracking', () => {
  it('logs entries, runs timers, and reports totals grouped several ways', async () => {
    const ticket = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Timed' } })).body;
    const a = await t.request('POST', `/api/v1/tickets/${ticket.id}/time-entries`, { token: agent.token, body: { minutes: 30, date: '2026-11-02', billable: true, activity: 'analysis' } });
    expect(a.status).toBe(201);
    await t.request('POST', `/api/v1/tickets/${ticket.id}/time-entries`, { token: other.token, body: { minutes: 45, date: '2026-11-03' } });
    await t.request('POST', `/api/v1/tickets/${ticket.id}/time-entries`, { token: agent.token, body: { minutes: 15, date: '2026-12-01', billable: true } });
    const list = await t.request('GET', `/api/v1/tickets/${ticket.id}/time-entries`, { token: agent.token });
    expect(list.body).toMatchObject({ totalMinutes: 90, billableMinutes: 45 });

    const byAgent = await t.request('GET', '/api/v1/time/report?groupBy=agent', { token: admin.token });
    expect(byAgent.body.items).toEqual(expect.arrayContaining([
      { key: agent.id, minutes: 45, billableMinutes: 45, entries: 2 },
      { key: other.id, minutes: 45, billableMinutes: 0, entries: 1 },
    ]));
    const byMonth = await t.request('GET', '/api/v1/time/report?groupBy=month&from=2026-11-01&to=2026-11-30', { token: admin.token });
    expect(byMonth.body.items).toEqual([{ key: '2026-11', minutes: 75, billableMinutes: 30, entries: 2 }]);
    expect((await t.request('GET', '/api/v1/time/report?groupBy=colour', { token: admin.token })).body.errors[0].pointer).toBe('/query/groupBy');

    expect((await t.request('PATCH', `/api/v1/time-entries/${a.body.id}`, { token: other.token, body: { minutes: 1 } })).status).toBe(403);
    expect((await t.request('PATCH', `/api/v1/time-entries/${a.body.id}`, { token: agent.token, body: { minutes: 20 } })).body.minutes).toBe(20);
    expect((await t.request('POST', `/api/v1/tickets/${ticket.id}/time-entries`, { token: agent.token, body: { minutes: 0 } })).status).toBe(400);

    expect((await t.request('POST', `/api/v1/tickets/${ticket.id}/timer/start`, { token: agent.token })).status).toBe(201);
    expect((await t.request('POST', `/api/v1/tickets/${ticket.id}/timer/start`, { token: agent.token })).status).toBe(409);
    expect((await t.request('GET', '/api/v1/me/timers', { token: agent.token })).body.items[0].ticketId).toBe(ticket.id);
    await t.kernel.db.query(`update time_timer set started_at = now() - interval '61 minutes' where ticket_id = ?`, [ticket.id]);
    const stopped = await t.request('POST', `/api/v1/tickets/${ticket.id}/timer/stop`, { token: agent.token, body: { billable: true } });
    expect(stopped.body).toMatchObject({ minutes: 62, billable: true });
    expect((await t.request('POST', `/api/v1/tickets/${ticket.id}/timer/stop`, { token: agent.token })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/tickets/${ticket.id}/time-entries`, { token: customer.token })).status).toBe(403);
  });
});
