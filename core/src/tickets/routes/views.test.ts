import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../../testing/index.ts';

let t: TestKernel;
let admin: { id: string; token: string };
let agent: { id: string; token: string };
let other: { id: string; token: string };
let customer: { id: string; token: string };

beforeAll(async () => {
  t = await startTestKernel({ workers: false });
  admin = await t.createUser({ role: 'admin' });
  agent = await t.createUser({ role: 'agent' });
  other = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
  for (const [title, priority, assigneeId] of [['A', 'urgent', agent.id], ['B', 'urgent', null], ['C', 'low', agent.id]] as const) {
    await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title, priority, assigneeId } });
  }
});
afterAll(async () => {
  await t?.close();
});

describe('saved views', () => {
  it('personal and shared views with live counts; "me" resolves per viewer', async () => {
    const mine = await t.request('POST', '/api/v1/views', { token: agent.token, body: { name: 'My urgent', filter: { assigneeId: ['me'], priority: ['urgent'] } } });
    expect(mine.status).toBe(201);
    expect((await t.request('POST', '/api/v1/views', { token: agent.token, body: { name: 'Team', shared: true } })).status).toBe(403);
    const shared = await t.request('POST', '/api/v1/views', { token: admin.token, body: { name: 'Assigned to me', shared: true, filter: { assigneeId: ['me'] }, sort: 'number' } });
    expect(shared.body.shared).toBe(true);

    const counts = await t.request('GET', '/api/v1/views/counts', { token: agent.token });
    expect(counts.body.items.map((v: { name: string; count: number }) => [v.name, v.count]).sort()).toEqual([['Assigned to me', 2], ['My urgent', 1]]);
    const otherCounts = await t.request('GET', '/api/v1/views/counts', { token: other.token });
    expect(otherCounts.body.items.map((v: { name: string; count: number }) => [v.name, v.count])).toEqual([['Assigned to me', 0]]);

    const tickets = await t.request('GET', `/api/v1/views/${shared.body.id}/tickets`, { token: agent.token });
    expect(tickets.body.items.map((i: { title: string }) => i.title)).toEqual(['A', 'C']);
    expect((await t.request('GET', `/api/v1/views/${mine.body.id}/tickets`, { token: other.token })).status).toBe(404);
    expect((await t.request('PATCH', `/api/v1/views/${shared.body.id}`, { token: agent.token, body: { name: 'x' } })).status).toBe(403);
    expect((await t.request('POST', '/api/v1/views', { token: agent.token, body: { name: 'Bad', filter: { colour: ['red'] } } })).body.errors[0].pointer).toBe('/body/filter/colour');
    expect((await t.request('DELETE', `/api/v1/views/${mine.body.id}`, { token: agent.token })).status).toBe(204);
  });
});

describe('duplicates and watchers', () => {
  it('suggests similar open tickets from the same requester on create', async () => {
    const first = await t.request('POST', '/api/v1/tickets', { token: customer.token, body: { title: 'Outlook keeps crashing on startup', description: 'Since the update' } });
    expect(first.body.similar).toEqual([]);
    const second = await t.request('POST', '/api/v1/tickets', { token: customer.token, body: { title: 'Outlook crashing at startup again' } });
    expect(second.body.similar.map((s: { id: string }) => s.id)).toEqual([first.body.id]);
    expect(second.body.similar[0].score).toBeGreaterThan(0);
    const unrelated = await t.request('POST', '/api/v1/tickets', { token: customer.token, body: { title: 'Invoice address change' } });
    expect(unrelated.body.similar).toEqual([]);
    expect((await t.request('GET', `/api/v1/tickets/${second.body.id}/similar`, { token: agent.token })).body.items[0].id).toBe(first.body.id);
    // Best match first; the suggestions come back with the created ticket, which is never among them.
    const third = await t.request('POST', '/api/v1/tickets', { token: customer.token, body: { title: 'Outlook keeps crashing on startup', description: 'Since the update' } });
    expect(third.status).toBe(201);
    expect(third.body.similar.map((s: { id: string }) => s.id)).toEqual([first.body.id, second.body.id]);
    expect(third.body.similar[0].score).toBeGreaterThan(third.body.similar[1].score);
    // Nothing of the customer's is suggested to an agent who opens a ticket for someone else.
    const forOther = await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Outlook keeps crashing on startup', requester: { email: `someone-${Date.now()}@example.com` } } });
    expect(forOther.body.similar).toEqual([]);
  });

  it('watchers: self-service for anyone who sees the ticket, others only by staff', async () => {
    const ticket = (await t.request('POST', '/api/v1/tickets', { token: customer.token, body: { title: 'Watch me' } })).body;
    expect((await t.request('PUT', `/api/v1/tickets/${ticket.id}/watchers/me`, { token: customer.token })).status).toBe(204);
    expect((await t.request('PUT', `/api/v1/tickets/${ticket.id}/watchers/${agent.id}`, { token: customer.token })).status).toBe(403);
    expect((await t.request('PUT', `/api/v1/tickets/${ticket.id}/watchers/${other.id}`, { token: agent.token })).status).toBe(204);
    const list = await t.request('GET', `/api/v1/tickets/${ticket.id}/watchers`, { token: agent.token });
    expect(list.body.items.map((w: { id: string }) => w.id).sort()).toEqual([customer.id, other.id].sort());
    expect((await t.request('DELETE', `/api/v1/tickets/${ticket.id}/watchers/me`, { token: customer.token })).status).toBe(204);
    expect((await t.request('GET', `/api/v1/tickets/${ticket.id}/watchers`, { token: agent.token })).body.items.map((w: { id: string }) => w.id)).toEqual([other.id]);
  });
});
