import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeliveredEvent, definePlugin } from '@ticketops/plugin-sdk';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { type Escalator, slaPlugin } from '../index.ts';
import { allDay, until } from '../test-support.ts';

/** Collects the SLA events, as automation or email would consume them. */
const received: DeliveredEvent[] = [];
const listener = definePlugin({
  id: 'sla-listener',
  version: '1.0.0',
  kernel: '^0.1.0',
  register(r) {
    for (const name of ['sla.warning', 'sla.breached']) r.subscribe(name, { id: name.replace('.', '-') }, async (event) => void received.push(event));
  },
});

let t: TestKernel;
let admin: { token: string };
let agent: { id: string; token: string };
let customer: { id: string; token: string };

const sla = (id: string) => t.request('GET', `/api/v1/sla/tickets/${id}`, { token: agent.token });
const metric = (body: { metrics: { metric: string }[] }, name: string) => body.metrics.find((m) => m.metric === name) as Record<string, any>;
const types = (body: { timeline: { metric: string; type: string }[] }, name: string) => body.timeline.filter((e) => e.metric === name).map((e) => e.type);

beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: slaPlugin }, { definition: listener }] });
  admin = await t.createUser({ role: 'admin' });
  agent = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
  const cal = await t.request('POST', '/api/v1/sla/calendars', { token: admin.token, body: { name: '24x7', timeZone: 'UTC', hours: allDay } });
  const vip = await t.request('POST', '/api/v1/sla/policies', {
    token: admin.token, body: { name: 'VIP', calendarId: cal.body.id, conditions: { tagsAny: ['vip'] }, targets: { '*': { firstResponse: 15, resolution: 60 } } },
  });
  const standard = await t.request('POST', '/api/v1/sla/policies', {
    token: admin.token, body: { name: 'Standard', calendarId: cal.body.id, warningPercent: 50, targets: { urgent: { firstResponse: 30 }, '*': { firstResponse: 60, nextResponse: 30, resolution: 240 } } },
  });
  expect([vip.status, standard.status]).toEqual([201, 201]);
});
afterAll(async () => {
  await t?.close();
});

async function newTicket(extra: Record<string, unknown> = {}) {
  const res = await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'VPN drops', requester: customer.id, ...extra } });
  expect(res.status).toBe(201);
  await until(() => sla(res.body.id), (r) => r.status === 200);
  // And the engine's after-commit pass has stored it (tests below change the stored row).
  await until(() => t.kernel.db.query('select 1 from sla_ticket where ticket_id = ? and policy_id is not null', [res.body.id]), (rows) => rows.length > 0);
  return res.body as { id: string; createdAt: string };
}
const patch = (id: string, body: object) => t.request('PATCH', `/api/v1/tickets/${id}`, { token: agent.token, body });
const reply = (id: string, token: string) => t.request('POST', `/api/v1/tickets/${id}/comments`, { token, body: { body: 'hello' } });

describe('SLA engine', () => {
  it('ticket lists sort by the next due time and filter by due times; a paused clock has none', async () => {
    const vip = await newTicket({ tags: ['vip'] }); // first response due in 15 min
    const urgent = await newTicket({ priority: 'urgent' }); // 30 min
    const normal = await newTicket(); // 60 min
    const paused = await newTicket();
    expect((await patch(paused.id, { status: 'on-hold' })).status).toBe(200);
    await until(() => t.kernel.db.query('select 1 from sla_ticket where ticket_id = ? and next_due is null', [paused.id]), (rows) => rows.length > 0);
    const mine = new Set([vip.id, urgent.id, normal.id, paused.id]);
    const list = async (query: string) =>
      ((await t.request('GET', `/api/v1/tickets?limit=100&${query}`, { token: agent.token })).body.items as { id: string }[]).map((i) => i.id).filter((id) => mine.has(id));
    expect(await list('sort=sla.nextDue')).toEqual([vip.id, urgent.id, normal.id]);
    const in20 = new Date(Date.now() + 20 * 60_000).toISOString();
    expect(await list(`sort=number&field.sla.firstResponseDue.lt=${in20}`)).toEqual([vip.id]);
    // Resolution: the VIP policy's 60 minutes come before the standard 240, latest first here.
    const byResolution = await list('sort=-sla.resolutionDue');
    expect(byResolution.indexOf(normal.id)).toBeLessThan(byResolution.indexOf(vip.id));
    expect(byResolution).not.toContain(paused.id);
  });

  it('applies the first matching policy and shows targets, due times and the timeline', async () => {
    const ticket = await newTicket();
    const res = await sla(ticket.id);
    expect(res.body.policy.name).toBe('Standard');
    expect(res.body.targets).toEqual({ firstResponse: 60, nextResponse: 30, resolution: 240 });
    const first = metric(res.body, 'firstResponse');
    expect(first).toMatchObject({ state: 'running', cycle: 1, targetMinutes: 60, breached: false });
    expect(Date.parse(first.dueAt) - Date.parse(ticket.createdAt)).toBe(60 * 60_000);
    expect(first.remainingMinutes).toBeGreaterThan(59);
    expect(res.body.timeline[0]).toMatchObject({ metric: 'firstResponse', type: 'started', cause: { kind: 'created' } });
    const stored = await until(() => t.kernel.db.query<{ first_response_due: string }>('select first_response_due from sla_ticket where ticket_id = ?', [ticket.id]), (rows) => rows.length > 0);
    expect(new Date(stored[0]!.first_response_due).toISOString()).toBe(first.dueAt);
  });

  it('pauses on pending, resumes, fulfils on an agent reply, starts next response on a customer reply', async () => {
    const ticket = await newTicket();
    expect((await patch(ticket.id, { status: 'pending' })).status).toBe(200);
    let res = await until(() => sla(ticket.id), (r) => metric(r.body, 'firstResponse').state === 'paused');
    expect(metric(res.body, 'firstResponse').dueAt).toBeNull();
    expect(metric(res.body, 'resolution').state).toBe('paused');
    await patch(ticket.id, { status: 'open' });
    await reply(ticket.id, agent.token);
    res = await until(() => sla(ticket.id), (r) => metric(r.body, 'firstResponse').state === 'fulfilled');
    expect(types(res.body, 'firstResponse')).toEqual(['started', 'paused', 'resumed', 'fulfilled']);
    expect(res.body.timeline.find((e: { type: string }) => e.type === 'fulfilled').cause.kind).toBe('comment');
    await reply(ticket.id, customer.token);
    res = await until(() => sla(ticket.id), (r) => metric(r.body, 'nextResponse')?.state === 'running');
    expect(metric(res.body, 'nextResponse')).toMatchObject({ cycle: 1, targetMinutes: 30 });
    await patch(ticket.id, { status: 'solved' });
    res = await until(() => sla(ticket.id), (r) => metric(r.body, 'resolution').state === 'fulfilled');
    expect(metric(res.body, 'nextResponse').state).toBe('fulfilled');
    // Reopening starts a new resolution cycle.
    await patch(ticket.id, { status: 'open' });
    res = await until(() => sla(ticket.id), (r) => metric(r.body, 'resolution').cycle === 2);
    expect(metric(res.body, 'resolution').state).toBe('running');
  });

  it('sees a merge close the merged ticket, and an unmerge reopen it', async () => {
    const target = await newTicket();
    const source = await newTicket();
    expect((await t.request('POST', `/api/v1/tickets/${target.id}/merge`, { token: agent.token, body: { ticketIds: [source.id] } })).status).toBe(200);
    let res = await until(() => sla(source.id), (r) => metric(r.body, 'resolution').state === 'fulfilled');
    expect(metric(res.body, 'resolution').state).toBe('fulfilled');
    expect(res.body.timeline.find((e: { metric: string; type: string }) => e.metric === 'resolution' && e.type === 'fulfilled').cause.kind).toBe('updated');
    expect((await t.request('POST', `/api/v1/tickets/${source.id}/unmerge`, { token: agent.token })).status).toBe(200);
    res = await until(() => sla(source.id), (r) => metric(r.body, 'resolution').cycle === 2);
    expect(metric(res.body, 'resolution').state).toBe('running');
  });

  it('re-derives when the ticket changes policy mid-flight (tag added → VIP)', async () => {
    const ticket = await newTicket();
    const tagged = await patch(ticket.id, { tags: ['vip'] });
    expect(tagged.status, JSON.stringify(tagged.body)).toBe(200);
    const res = await until(() => sla(ticket.id), (r) => r.body.policy?.name === 'VIP');
    expect(Date.parse(metric(res.body, 'firstResponse').dueAt) - Date.parse(ticket.createdAt)).toBe(15 * 60_000);
  });

  it('sends sla.warning and sla.breached once per metric cycle, with several workers at once', async () => {
    const ticket = await newTicket();
    // The ticket arrived 5 hours ago: every target (60 min, 240 min) is past, warnings too.
    await t.kernel.db.query(`update sla_ticket_fact set at = at - interval '5 hours' where ticket_id = ?`, [ticket.id]);
    await t.kernel.db.query(`update sla_ticket set next_alert_at = now() - interval '1 second' where ticket_id = ?`, [ticket.id]);
    const second = await startTestKernel({ join: true, workers: false, plugins: [{ definition: slaPlugin }, { definition: listener }] });
    try {
      const run = (k: TestKernel) => k.kernel.runAsSystem('ten_default', 'test-escalate', (scope) => scope.resolve<Escalator>('sla.escalator').escalate(scope));
      await Promise.all([run(t), run(t), run(second), run(second)]);
    } finally {
      await second.close();
    }
    const rows = await t.kernel.db.query('select metric, cycle, kind from sla_escalation where ticket_id = ? order by metric, kind', [ticket.id]);
    expect(rows).toEqual([
      { metric: 'firstResponse', cycle: 1, kind: 'breached' },
      { metric: 'firstResponse', cycle: 1, kind: 'warning' },
      { metric: 'resolution', cycle: 1, kind: 'breached' },
      { metric: 'resolution', cycle: 1, kind: 'warning' },
    ]);
    const mine = () => received.filter((e) => e.payload.ticketId === ticket.id);
    await until(async () => mine(), (list) => list.length >= 4);
    await new Promise((r) => setTimeout(r, 1500));
    expect(mine().map((e) => `${e.name}:${e.payload.metric}`).sort()).toEqual(['sla.breached:firstResponse', 'sla.breached:resolution', 'sla.warning:firstResponse', 'sla.warning:resolution']);
    const res = await sla(ticket.id);
    expect(metric(res.body, 'firstResponse')).toMatchObject({ breached: true, state: 'running' });
    expect(metric(res.body, 'firstResponse').remainingMinutes).toBeLessThan(-230);
    expect(types(res.body, 'firstResponse')).toEqual(['started', 'warning', 'breached']);
    // A later change re-derives the ticket and sends nothing again.
    await reply(ticket.id, agent.token);
    await until(() => sla(ticket.id), (r) => metric(r.body, 'firstResponse').state === 'fulfilled');
    await new Promise((r) => setTimeout(r, 1000));
    expect(mine()).toHaveLength(4);
  });

  it('answers 404 for a ticket it knows nothing about, and is agent-only', async () => {
    expect((await sla('tkt_unknown')).status).toBe(404);
    const ticket = await newTicket();
    expect((await t.request('GET', `/api/v1/sla/tickets/${ticket.id}`, { token: customer.token })).status).toBe(403);
  });
});
