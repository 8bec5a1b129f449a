import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type TestKernel, startTestKernel, testDatabaseUrl } from '../../core/src/testing/index.ts';
import { connectStream } from './stream-client.ts';

const nodes: TestKernel[] = [];
const sockets: WebSocket[] = [];
let a: TestKernel;
let b: TestKernel;
let agent: { id: string; token: string };
let agent2: { id: string; token: string };
let customer: { id: string; token: string };

const connect = (node: TestKernel, token: string) => connectStream(node, token, sockets);

beforeAll(async () => {
  nodes.push(await startTestKernel({ workers: false }));
  // A second server process on the same database when PostgreSQL is there; else the same node.
  nodes.push((await testDatabaseUrl()) ? await startTestKernel({ workers: false, join: true }) : (nodes[0] as TestKernel));
  [a, b] = nodes as [TestKernel, TestKernel];
  agent = await a.createUser({ role: 'agent', name: 'Ana' });
  agent2 = await a.createUser({ role: 'agent', name: 'Ben' });
  customer = await a.createUser({ role: 'customer' });
});
afterAll(async () => {
  for (const s of sockets) s.terminate();
  for (const n of new Set(nodes)) await n.close();
});

describe('realtime stream', () => {
  it('refuses upgrades without valid credentials', async () => {
    for (const headers of [{}, { authorization: 'Bearer tko_wrong' }]) {
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`${b.url.replace('http', 'ws')}/api/v1/stream`, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
      });
      expect(status).toBe(401);
    }
  });

  it('an agent on node B sees a change made through node A, after commit, with the ticket', async () => {
    const ticket = (await a.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Live one' } })).body;
    const s = await connect(b, agent2.token);
    s.send({ type: 'subscribe', ticketId: ticket.id, id: 1 });
    await s.next((m) => m.type === 'subscribed' && m.id === 1);
    const started = Date.now();
    await a.request('PATCH', `/api/v1/tickets/${ticket.id}`, { token: agent.token, body: { priority: 'urgent' } });
    const update = await s.next((m) => m.type === 'ticket.updated' && m.ticketId === ticket.id);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(update.changes).toEqual(['priority']);
    expect(update.ticket.priority).toBe('urgent');
    // A rejected change (validation fails, nothing commits) sends nothing.
    expect((await a.request('PATCH', `/api/v1/tickets/${ticket.id}`, { token: agent.token, body: { status: 'limbo' } })).status).toBe(400);
    await a.request('PATCH', `/api/v1/tickets/${ticket.id}`, { token: agent.token, body: { title: 'Live two' } });
    await s.next((m) => m.type === 'ticket.updated' && m.changes?.[0] === 'title');
    expect(s.messages.filter((m) => m.type === 'ticket.updated')).toHaveLength(2);
  });

  it('a customer hears public replies on their ticket but nothing about internal notes', async () => {
    const ticket = (await a.request('POST', '/api/v1/tickets', { token: customer.token, body: { title: 'Help' } })).body;
    const c = await connect(b, customer.token);
    const staff = await connect(b, agent2.token);
    c.send({ type: 'subscribe', ticketId: ticket.id });
    staff.send({ type: 'subscribe', ticketId: ticket.id });
    await c.next((m) => m.type === 'subscribed');
    await staff.next((m) => m.type === 'subscribed');
    await a.request('POST', `/api/v1/tickets/${ticket.id}/comments`, { token: agent.token, body: { body: 'secret note', internal: true } });
    await a.request('POST', `/api/v1/tickets/${ticket.id}/comments`, { token: agent.token, body: { body: 'public answer' } });
    await staff.next((m) => m.type === 'comment.created' && m.comment.body === 'public answer');
    await c.next((m) => m.type === 'comment.created' && m.comment.body === 'public answer');
    expect(staff.messages.filter((m) => m.type === 'comment.created').map((m) => m.comment.body)).toEqual(['secret note', 'public answer']);
    expect(c.messages.filter((m) => m.type === 'comment.created').map((m) => m.comment.body)).toEqual(['public answer']);
    expect(JSON.stringify(c.messages)).not.toContain('secret note');
  });

  it('a customer cannot subscribe to someone else\'s ticket; malformed messages get an error', async () => {
    const other = (await a.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Not yours' } })).body;
    const c = await connect(b, customer.token);
    c.send({ type: 'subscribe', ticketId: other.id, id: 'x' });
    expect(await c.next((m) => m.id === 'x')).toMatchObject({ type: 'error', code: 'not_found' });
    c.ws.send('{not json');
    expect(await c.next((m) => m.type === 'error' && m.code === 'invalid_input')).toBeDefined();
    await a.request('PATCH', `/api/v1/tickets/${other.id}`, { token: agent.token, body: { priority: 'low' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(c.messages.some((m) => m.ticketId === other.id && m.type === 'ticket.updated')).toBe(false);
  });

  it('"mine" delivers changes to tickets assigned to me', async () => {
    const s = await connect(b, agent2.token);
    s.send({ type: 'subscribe', mine: true });
    await s.next((m) => m.type === 'subscribed' && m.mine);
    const ticket = (await a.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'For Ben', assigneeId: agent2.id } })).body;
    expect((await s.next((m) => m.type === 'ticket.created' && m.ticketId === ticket.id)).ticket.assigneeId).toBe(agent2.id);
  });

  it('a view subscription delivers changes to tickets matching the view\'s filter', async () => {
    const view = (await a.request('POST', '/api/v1/views', { token: agent2.token, body: { name: 'Urgent', filter: { priority: ['urgent'] } } })).body;
    const s = await connect(b, agent2.token);
    s.send({ type: 'subscribe', viewId: view.id });
    await s.next((m) => m.type === 'subscribed' && m.viewId === view.id);
    const calm = (await a.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Calm', priority: 'low' } })).body;
    const hot = (await a.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Hot', priority: 'urgent' } })).body;
    expect((await s.next((m) => m.type === 'ticket.created' && m.ticketId === hot.id)).viewIds).toEqual([view.id]);
    await a.request('PATCH', `/api/v1/tickets/${calm.id}`, { token: agent.token, body: { priority: 'urgent' } });
    await s.next((m) => m.type === 'ticket.updated' && m.ticketId === calm.id);
    expect(s.messages.some((m) => m.type === 'ticket.created' && m.ticketId === calm.id)).toBe(false);
    const foreign = (await a.request('POST', '/api/v1/views', { token: agent.token, body: { name: 'Mine only' } })).body;
    s.send({ type: 'subscribe', viewId: foreign.id, id: 'v' });
    expect(await s.next((m) => m.id === 'v')).toMatchObject({ type: 'error', code: 'not_found' });
  });

  it('shares presence (viewing, replying) across nodes', async () => {
    const ticket = (await a.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Collision' } })).body;
    const onA = await connect(a, agent.token);
    const onB = await connect(b, agent2.token);
    onA.send({ type: 'subscribe', ticketId: ticket.id });
    onB.send({ type: 'subscribe', ticketId: ticket.id });
    await onA.next((m) => m.type === 'subscribed');
    await onB.next((m) => m.type === 'subscribed');
    onA.send({ type: 'presence', ticketId: ticket.id, state: 'replying' });
    const seen = await onB.next((m) => m.type === 'presence' && m.users.some((u: { userId: string }) => u.userId === agent.id));
    expect(seen.users).toEqual([{ userId: agent.id, name: 'Ana', state: 'replying' }]);
    onA.send({ type: 'presence', ticketId: ticket.id, state: 'left' });
    await onB.next((m) => m.type === 'presence' && m.users.length === 0);
  });
});
