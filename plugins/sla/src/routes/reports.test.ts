import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { slaPlugin } from '../index.ts';
import { allDay, until } from '../test-support.ts';

let t: TestKernel;
let admin: { token: string };
let agent: { id: string; token: string };
let customer: { id: string; token: string };
const tickets: string[] = [];

const get = (path: string, token = agent.token, headers?: Record<string, string>) => t.request('GET', `/api/v1/sla/reports/${path}`, { token, headers });

beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: slaPlugin }] });
  admin = await t.createUser({ role: 'admin' });
  agent = await t.createUser({ role: 'agent', name: 'Agent Smith' });
  customer = await t.createUser({ role: 'customer' });
  const cal = await t.request('POST', '/api/v1/sla/calendars', { token: admin.token, body: { name: '24x7 reports', timeZone: 'UTC', hours: allDay } });
  const policy = await t.request('POST', '/api/v1/sla/policies', { token: admin.token, body: { name: 'Reporting', calendarId: cal.body.id, targets: { '*': { firstResponse: 60, resolution: 240 } } } });
  expect(policy.status).toBe(201);
  // Four tickets, answered after 10, 30, 90 and 120 business minutes (two breach first response).
  for (const [i, minutes] of [10, 30, 90, 120].entries()) {
    const res = await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: i === 0 ? '=cmd|" /C calc"!A0' : `Ticket ${i}`, requester: customer.id, assigneeId: agent.id, priority: i % 2 ? 'high' : 'normal' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.id as string;
    tickets.push(id);
    await until(() => t.kernel.db.query('select 1 from sla_ticket where ticket_id = ? and policy_id is not null', [id]), (rows) => rows.length > 0);
    await t.kernel.db.query(`update sla_ticket_fact set at = at - make_interval(mins => ?) where ticket_id = ?`, [minutes, id]);
    expect((await t.request('POST', `/api/v1/tickets/${id}/comments`, { token: agent.token, body: { body: 'on it' } })).status).toBe(201);
    await until(() => t.kernel.db.query(`select 1 from sla_metric_cycle where ticket_id = ? and metric = 'firstResponse' and state = 'fulfilled'`, [id]), (rows) => rows.length > 0);
  }
});
afterAll(async () => {
  await t?.close();
});

describe('SLA reports', () => {
  it('reports compliance per policy, priority, agent and period', async () => {
    const byPolicy = await get('compliance?groupBy=policy');
    expect(byPolicy.status, JSON.stringify(byPolicy.body)).toBe(200);
    expect(byPolicy.body.items).toHaveLength(1);
    expect(byPolicy.body.items[0]).toMatchObject({ label: 'Reporting', metrics: { firstResponse: { total: 4, met: 2, breached: 2, metPercent: 50, breachedPercent: 50 } } });
    const byPriority = await get('compliance?groupBy=priority');
    expect(Object.fromEntries(byPriority.body.items.map((i: any) => [i.key, i.metrics.firstResponse.met]))).toEqual({ high: 1, normal: 1 });
    const byAgent = await get('compliance?groupBy=agent');
    expect(byAgent.body.items[0]).toMatchObject({ key: agent.id, label: 'Agent Smith' });
    const byDay = await get('compliance?groupBy=period&period=month');
    expect(byDay.body.items[0].key).toMatch(/^\d{4}-\d{2}-01$/);
    const empty = await get('compliance?groupBy=group&from=2001-01-01&to=2001-02-01');
    expect(empty.body.items).toEqual([]);
  });

  it('gives response statistics in business minutes', async () => {
    const res = await get('statistics');
    expect(res.status).toBe(200);
    const first = res.body.items.find((i: any) => i.metric === 'firstResponse');
    expect(first.count).toBe(4);
    expect(first.average).toBeCloseTo(62.5, 0);
    expect(first.p50).toBeCloseTo(60, 0);
    expect(first.p95).toBeGreaterThan(110);
  });

  it('lists breaches with a cursor', async () => {
    const page1 = await get('breaches?limit=1');
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.items[0]).toMatchObject({ metric: 'firstResponse', targetMinutes: 60, state: 'fulfilled' });
    expect(page1.body.nextCursor).toBeTruthy();
    const page2 = await get(`breaches?limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.items[0].ticketId).not.toBe(page1.body.items[0].ticketId);
    expect(page2.body.nextCursor).toBeNull();
    expect(new Set([page1.body.items[0].ticketId, page2.body.items[0].ticketId])).toEqual(new Set([tickets[2], tickets[3]]));
    expect((await get('breaches?cursor=nonsense')).status).toBe(400);
  });

  it('exports CSV (format=csv or Accept: text/csv) with formula cells guarded, and audits the export', async () => {
    const csv = await get('compliance?groupBy=priority&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.body.split('\r\n')[0]).toBe('key,label,metric,total,met,breached,metPercent,breachedPercent');
    const breaches = await get('breaches?metric=firstResponse', agent.token, { accept: 'text/csv' });
    expect(breaches.headers.get('content-type')).toMatch(/^text\/csv/);
    const stats = await get('statistics?groupBy=priority&format=csv');
    expect(stats.body).toContain('firstResponse');
    // All four tickets, including the formula title, to see the guard.
    await t.kernel.db.query(`update sla_metric_cycle set breached_at = started_at + interval '1 minute' where ticket_id = ? and metric = 'firstResponse'`, [tickets[0]]);
    const all = await get('breaches?format=csv');
    expect(all.body).toContain(`"'=cmd|"" /C calc""!A0"`);
    const audit = await t.kernel.db.query<{ target_id: string; data: any }>(`select target_id, data from audit_log where action = 'sla.report.exported' order by created_at`);
    expect(audit.map((a) => a.target_id)).toEqual(['compliance', 'breaches', 'statistics', 'breaches']);
    expect(audit[0]!.data).toMatchObject({ format: 'csv', params: { groupBy: 'priority' } });
  });

  it('is staff-only and refuses bad parameters naming them', async () => {
    expect((await get('compliance?groupBy=policy', customer.token)).status).toBe(403);
    expect((await get('breaches', customer.token)).status).toBe(403);
    const bad = await get('compliance?groupBy=policy&from=yesterday&timeZone=Mars/Olympus');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/query/from', '/query/timeZone']);
    expect((await get('compliance?groupBy=color')).status).toBe(400);
  });
});
