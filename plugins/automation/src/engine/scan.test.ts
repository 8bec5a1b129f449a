import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { type Scanner, automationPlugin } from '../index.ts';
import { pruneLog } from './prune.ts';
import { due } from './scan.ts';

let t: TestKernel;
let admin: { id: string; token: string };
let agent: { id: string; token: string };
let customer: { id: string; token: string };

beforeAll(async () => {
  t = await startTestKernel({ workers: false, plugins: [{ definition: automationPlugin }] });
  admin = await t.createUser({ role: 'admin' });
  agent = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
});
afterAll(async () => {
  await t?.close();
});

const rule = async (body: Record<string, unknown>) => {
  const res = await t.request('POST', '/api/v1/automation/rules', { token: admin.token, body: { active: true, ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};
const ticket = async (body: Record<string, unknown>) => (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { requester: customer.id, ...body } })).body.id as string;
const get = async (id: string) => (await t.request('GET', `/api/v1/tickets/${id}`, { token: agent.token })).body;
const scanner = () => t.kernel.container.resolve<Scanner>('automation.scanner');
const asSystem = <R>(work: (s: Scanner, scope: never) => Promise<R>) => t.kernel.runAsSystem('ten_default', 'test-scan', (scope) => work(scanner(), scope as never));
const notes = (id: string) => t.kernel.db.query('select body from comment where ticket_id = ?', [id]);

describe('time-based automations and scheduled rules', () => {
  it('an automation acts once on each ticket matching its time conditions, even with concurrent scans', async () => {
    const id = await rule({
      name: 'Pending 3 days', kind: 'automation',
      conditions: { all: [{ field: 'status', operator: 'equals', value: 'pending' }, { field: 'hoursSinceUpdated', operator: 'greaterThan', value: 72 }] },
      actions: [{ type: 'add_tags', tags: ['stale'] }, { type: 'add_note', body: 'No answer for 3 days' }],
    });
    const old = await ticket({ title: 'Old', status: 'pending' });
    const fresh = await ticket({ title: 'Fresh', status: 'pending' });
    const openOld = await ticket({ title: 'Open old', status: 'open' });
    await t.kernel.db.query(`update ticket set updated_at = now() - interval '4 days' where id = any(?::text[])`, [`{${old},${openOld}}`]);
    const counts = await Promise.all([asSystem((s, sc) => s.scan(sc)), asSystem((s, sc) => s.scan(sc)), asSystem((s, sc) => s.scan(sc))]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect((await get(old)).tags).toEqual(['stale']);
    expect((await get(fresh)).tags).toEqual([]);
    expect((await get(openOld)).tags).toEqual([]);
    // Fire once: still old and pending, but the rule already acted on it.
    await t.kernel.db.query(`update ticket set updated_at = now() - interval '5 days' where id = ?`, [old]);
    expect(await asSystem((s, sc) => s.scan(sc))).toBe(0);
    expect(await notes(old)).toHaveLength(1);
    const runs = await t.request('GET', `/api/v1/automation/runs?ruleId=${id}`, { token: admin.token });
    expect(runs.body.items).toMatchObject([{ outcome: 'matched', eventType: 'automation.scan', ticketId: old }]);
  });

  it('a scheduled rule runs once per cron occurrence on the open tickets that match', async () => {
    const id = await rule({ name: 'Hourly urgent ping', kind: 'scheduled', cron: '0 * * * *', conditions: { all: [{ field: 'priority', operator: 'equals', value: 'urgent' }] }, actions: [{ type: 'add_note', body: 'Hourly reminder' }] });
    const urgent = await ticket({ title: 'Urgent', priority: 'urgent' });
    const normal = await ticket({ title: 'Normal' });
    const at = (iso: string) => new Date(iso);
    // The first tick only records "now" (a new rule does not run for occurrences before it existed).
    expect(await asSystem((s, sc) => s.scheduled(sc, at('2030-01-01T10:30:00Z')))).toBe(0);
    expect(await asSystem((s, sc) => s.scheduled(sc, at('2030-01-01T10:59:00Z')))).toBe(0);
    const [a, b] = await Promise.all([asSystem((s, sc) => s.scheduled(sc, at('2030-01-01T11:00:30Z'))), asSystem((s, sc) => s.scheduled(sc, at('2030-01-01T11:00:30Z')))]);
    expect(a + b).toBe(1);
    expect(await asSystem((s, sc) => s.scheduled(sc, at('2030-01-01T11:30:00Z')))).toBe(0);
    expect(await asSystem((s, sc) => s.scheduled(sc, at('2030-01-01T12:00:00Z')))).toBe(1);
    expect(await notes(urgent)).toHaveLength(2);
    expect(await notes(normal)).toHaveLength(0);
    expect((await t.request('GET', `/api/v1/automation/runs?ruleId=${id}`, { token: admin.token })).body.items).toHaveLength(2);
  });

  it('due() follows the cron in its time zone', () => {
    expect(due('0 9 * * 1', 'Europe/Berlin', new Date('2030-01-07T07:00:00Z'), new Date('2030-01-07T08:00:00Z'))).toBe(true);
    expect(due('0 9 * * 1', 'Europe/Berlin', new Date('2030-01-07T08:00:01Z'), new Date('2030-01-07T09:00:00Z'))).toBe(false);
    expect(due('0 9 * * 1', 'UTC', null, new Date())).toBe(false);
  });

  it('prunes runs and processed events older than the retention', async () => {
    const [rule] = await t.kernel.db.query<{ id: string }>('select id from automation_rule limit 1');
    await t.kernel.db.query(`insert into automation_run (id, tenant_id, rule_id, rule_version, event_type, outcome, created_at) values ('run_old', 'ten_default', ?, 1, 'x', 'no_match', now() - interval '100 days'), ('run_new', 'ten_default', ?, 1, 'x', 'no_match', now())`, [rule!.id, rule!.id]);
    await t.kernel.db.query(`insert into automation_event (event_id, tenant_id, event_type, data, created_at, occurred_at) values ('evt_old', 'ten_default', 'x', '{}', now() - interval '100 days', now() - interval '100 days')`);
    expect(await t.kernel.runAsSystem('ten_default', 'prune', (scope) => pruneLog(scope, 90, 1))).toBe(2);
    expect(await t.kernel.db.query(`select id from automation_run where id in ('run_old', 'run_new')`)).toEqual([{ id: 'run_new' }]);
  });
});
