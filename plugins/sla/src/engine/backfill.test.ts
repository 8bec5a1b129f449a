import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { slaPlugin } from '../index.ts';
import { allDay, until } from '../test-support.ts';

let t: TestKernel;

beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: slaPlugin }] });
});
afterAll(async () => {
  await t?.close();
});

describe('SLA backfill', () => {
  it('rebuilds facts and state for tickets that have none, quietly for past breaches, admin only', async () => {
    const admin = await t.createUser({ role: 'admin' });
    const agent = await t.createUser({ role: 'agent' });
    const customer = await t.createUser({ role: 'customer' });
    const cal = await t.request('POST', '/api/v1/sla/calendars', { token: admin.token, body: { name: '24x7 backfill', timeZone: 'UTC', hours: allDay } });
    await t.request('POST', '/api/v1/sla/policies', { token: admin.token, body: { name: 'Backfill', calendarId: cal.body.id, targets: { '*': { firstResponse: 60, resolution: 240 } } } });
    const open = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Old open', requester: customer.id } })).body.id as string;
    const answered = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Old answered', requester: customer.id } })).body.id as string;
    await t.request('POST', `/api/v1/tickets/${answered}/comments`, { token: agent.token, body: { body: 'done' } });
    await t.request('PATCH', `/api/v1/tickets/${answered}`, { token: agent.token, body: { status: 'solved' } });
    await until(() => t.kernel.db.query(`select 1 from sla_ticket where ticket_id = ? and not open`, [answered]), (r) => r.length > 0);
    // As if the plugin had been enabled later: no facts, no state; the open ticket is 2 hours old (breached).
    await t.kernel.db.query('delete from sla_ticket_fact where ticket_id in (?, ?)', [open, answered]);
    await t.kernel.db.query('delete from sla_ticket where ticket_id in (?, ?)', [open, answered]);
    await t.kernel.db.query('delete from sla_metric_cycle where ticket_id in (?, ?)', [open, answered]);
    await t.kernel.db.query(`update ticket set created_at = created_at - interval '2 hours' where id = ?`, [open]);
    expect((await t.request('GET', `/api/v1/sla/tickets/${open}`, { token: agent.token })).status).toBe(404);

    expect((await t.request('POST', '/api/v1/sla/backfill', { token: agent.token, body: {} })).status).toBe(403);
    expect((await t.request('POST', '/api/v1/sla/backfill', { token: admin.token, body: {} })).status).toBe(202);
    const rows = await until(() => t.kernel.db.query<{ ticket_id: string; open: boolean }>('select ticket_id, open from sla_ticket where ticket_id in (?, ?) and policy_id is not null order by ticket_id', [open, answered]), (r) => r.length === 2);
    expect(Object.fromEntries(rows.map((r) => [r.ticket_id, r.open]))).toEqual({ [open]: true, [answered]: false });
    const sla = await t.request('GET', `/api/v1/sla/tickets/${open}`, { token: agent.token });
    expect(sla.body.metrics.find((m: { metric: string }) => m.metric === 'firstResponse')).toMatchObject({ breached: true, state: 'running' });
    const done = await t.request('GET', `/api/v1/sla/tickets/${answered}`, { token: agent.token });
    expect(done.body.timeline.map((e: { metric: string; type: string; cause: { kind: string } | null }) => `${e.metric}:${e.type}:${e.cause?.kind ?? ''}`)).toEqual([
      'firstResponse:started:created', 'resolution:started:created', 'firstResponse:fulfilled:comment', 'resolution:fulfilled:updated',
    ]);
    // The past breach is recorded as sent (never emitted later).
    const sent = await t.kernel.db.query<{ kind: string }>('select kind from sla_escalation where ticket_id = ? order by kind', [open]);
    expect(sent.map((s) => s.kind)).toContain('breached');
    // Idempotent: a second run adds nothing.
    const count = async () => (await t.kernel.db.query<{ n: number }>('select count(*)::int as n from sla_ticket_fact where ticket_id in (?, ?)', [open, answered]))[0]!.n;
    const before = await count();
    await t.kernel.runAsSystem('ten_default', 'test-backfill', (scope) => scope.resolve<typeof import('../index.ts').engine>('sla.engine').backfill(scope));
    expect(await count()).toBe(before);
  });

  it('replays recorded changes from the ticket history: a pause before the plugin came is kept, the result matches live facts', async () => {
    const admin = await t.createUser({ role: 'admin' });
    const agent = await t.createUser({ role: 'agent' });
    const customer = await t.createUser({ role: 'customer' });
    const cal = await t.request('POST', '/api/v1/sla/calendars', { token: admin.token, body: { name: '24x7 replay', timeZone: 'UTC', hours: allDay } });
    await t.request('POST', '/api/v1/sla/policies', { token: admin.token, body: { name: 'Replay', calendarId: cal.body.id, conditions: { tagsAny: ['replay'] }, targets: { '*': { firstResponse: 60, resolution: 240 } } } });
    const id = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Paused once', requester: customer.id, tags: ['replay'] } })).body.id as string;
    const patch = (body: object) => t.request('PATCH', `/api/v1/tickets/${id}`, { token: agent.token, body });
    expect((await patch({ status: 'pending' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await patch({ status: 'open', priority: 'high' })).status).toBe(200);
    await t.request('POST', `/api/v1/tickets/${id}/comments`, { token: customer.token, body: { body: 'still broken' } });
    expect((await patch({ tags: ['replay', 'vip'] })).status).toBe(200);
    const live = await until(() => t.request('GET', `/api/v1/sla/tickets/${id}`, { token: agent.token }), (r) => r.status === 200 && r.body.timeline.some((e: { type: string }) => e.type === 'resumed'));
    const factsBefore = await t.kernel.db.query<{ kind: string; data: Record<string, unknown> }>('select kind, data from sla_ticket_fact where ticket_id = ? order by id', [id]);

    // The plugin "arrives" now: only the kernel's ticket history and comments are left.
    await t.kernel.db.query('delete from sla_ticket_fact where ticket_id = ?', [id]);
    await t.kernel.db.query('delete from sla_ticket where ticket_id = ?', [id]);
    await t.kernel.db.query('delete from sla_metric_cycle where ticket_id = ?', [id]);
    await t.kernel.runAsSystem('ten_default', 'test-replay', (scope) => scope.resolve<typeof import('../index.ts').engine>('sla.engine').backfill(scope));

    const factsAfter = await t.kernel.db.query<{ kind: string; data: Record<string, unknown> }>('select kind, data from sla_ticket_fact where ticket_id = ? order by id', [id]);
    expect(factsAfter.map((f) => [f.kind, f.data.status, f.data.priority, f.data.tags])).toEqual(factsBefore.map((f) => [f.kind, f.data.status, f.data.priority, f.data.tags]));
    const replayed = await t.request('GET', `/api/v1/sla/tickets/${id}`, { token: agent.token });
    // The same events; their times agree to the history's clock (the transaction's, a few ms from the request's).
    const shape = (body: { timeline: { metric: string; type: string }[] }) => body.timeline.map((e) => `${e.metric}:${e.type}`);
    expect(shape(replayed.body)).toEqual(shape(live.body));
    const at = (body: { timeline: { at: string }[] }) => body.timeline.map((e) => Date.parse(e.at));
    const drift = at(replayed.body).map((ms, i) => Math.abs(ms - (at(live.body)[i] as number)));
    expect(Math.max(...drift)).toBeLessThan(100);
    expect(replayed.body.timeline.filter((e: { type: string }) => e.type === 'paused').length).toBeGreaterThan(0);
  });
});
