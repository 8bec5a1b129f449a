import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { type TestKernel, startTestKernel, testDatabaseUrl } from '../../core/src/testing/index.ts';
import { connectStream } from './stream-client.ts';

const nodes: TestKernel[] = [];
const sockets: WebSocket[] = [];
let a: TestKernel;
let b: TestKernel;
let admin: { id: string; token: string };
let agent: { id: string; token: string };
let agent2: { id: string; token: string };
let customer: { id: string; token: string };
let other: { id: string; token: string };

/** A stream socket with helpers for `view.count` messages. */
async function connect(node: TestKernel, token: string) {
  const { ws, messages, next, send: sendJson } = await connectStream(node, token, sockets, 10_000);
  /** The `view.count` messages received for a view, oldest first. */
  const counts = (viewId: string) => messages.filter((m) => m.type === 'view.count' && m.viewId === viewId).map((m) => m.count as number);
  /** Waits until the latest count of the view is `n`. */
  const countIs = (viewId: string, n: number, ms = 10_000) => next(() => counts(viewId).at(-1) === n, ms);
  /** Subscribes to a view and returns the initial count, which must follow `subscribed`. */
  const subscribe = async (viewId: string) => {
    sendJson({ type: 'subscribe', viewId });
    const subscribed = await next((m) => m.type === 'subscribed' && m.viewId === viewId);
    const first = await next((m) => m.type === 'view.count' && m.viewId === viewId);
    expect(messages.indexOf(subscribed)).toBeLessThan(messages.indexOf(first));
    return first.count as number;
  };
  return { ws, messages, next, send: sendJson, counts, countIs, subscribe };
}

const quiet = (ms: number) => new Promise((r) => setTimeout(r, ms));
const createTicket = async (token: string, body: Record<string, unknown>) => {
  const res = await a.request('POST', '/api/v1/tickets', { token, body });
  expect(res.status).toBe(201);
  return res.body as { id: string };
};

beforeAll(async () => {
  nodes.push(await startTestKernel({ workers: false }));
  // A second server process on the same database when PostgreSQL is there; else the same node.
  nodes.push((await testDatabaseUrl()) ? await startTestKernel({ workers: false, join: true }) : (nodes[0] as TestKernel));
  [a, b] = nodes as [TestKernel, TestKernel];
  admin = await a.createUser({ role: 'admin', name: 'Ada' });
  agent = await a.createUser({ role: 'agent', name: 'Ana' });
  agent2 = await a.createUser({ role: 'agent', name: 'Ben' });
  customer = await a.createUser({ role: 'customer', name: 'Cy' });
  other = await a.createUser({ role: 'customer', name: 'Oz' });
});
afterAll(async () => {
  for (const s of sockets) s.terminate();
  for (const n of new Set(nodes)) await n.close();
});

describe('live view counts on the stream', () => {
  it('sends the count on subscribe, then +1 when a ticket enters the view on the other node and -1 when it leaves', async () => {
    await createTicket(agent.token, { title: 'Already urgent', priority: 'urgent' });
    const view = (await a.request('POST', '/api/v1/views', { token: agent2.token, body: { name: 'Urgent', filter: { priority: ['urgent'] } } })).body;
    const s = await connect(b, agent2.token);
    expect(await s.subscribe(view.id)).toBe(1);

    const hot = await createTicket(agent.token, { title: 'Hot', priority: 'urgent' });
    await s.countIs(view.id, 2);
    // Leaving the view: it matched before and not after.
    await a.request('PATCH', `/api/v1/tickets/${hot.id}`, { token: agent.token, body: { priority: 'low' } });
    await s.countIs(view.id, 1);
    await a.request('PATCH', `/api/v1/tickets/${hot.id}`, { token: agent.token, body: { priority: 'urgent' } });
    await s.countIs(view.id, 2);
    expect((await a.request('DELETE', `/api/v1/tickets/${hot.id}`, { token: admin.token })).status).toBe(204);
    await s.countIs(view.id, 1);
    expect(s.counts(view.id)).toEqual([1, 2, 1, 2, 1]);

    // A change that leaves the number as it is sends nothing.
    await createTicket(agent.token, { title: 'Calm', priority: 'low' });
    await quiet(1500);
    expect(s.counts(view.id)).toEqual([1, 2, 1, 2, 1]);
    // The number is the one GET /views/counts answers.
    const rest = (await b.request('GET', '/api/v1/views/counts', { token: agent2.token })).body.items.find((i: { id: string }) => i.id === view.id);
    expect(rest.count).toBe(1);

    s.send({ type: 'unsubscribe', viewId: view.id });
    await s.next((m) => m.type === 'unsubscribed' && m.viewId === view.id);
    await createTicket(agent.token, { title: 'Unheard', priority: 'urgent' });
    await quiet(1500);
    expect(s.counts(view.id)).toEqual([1, 2, 1, 2, 1]);
  });

  it('a customer subscribed to a shared view counts only the tickets they may see', async () => {
    const view = (await a.request('POST', '/api/v1/views', { token: admin.token, body: { name: 'Zebra talk', shared: true, filter: { q: 'zebra' } } })).body;
    expect(view.shared).toBe(true);
    const mine = await createTicket(customer.token, { title: 'My zebra is ill' });
    await createTicket(other.token, { title: 'Another zebra' });
    await createTicket(agent.token, { title: 'Staff zebra' });

    const c = await connect(b, customer.token);
    const staff = await connect(b, agent2.token);
    expect(await c.subscribe(view.id)).toBe(1);
    expect(await staff.subscribe(view.id)).toBe(3);

    // Other people's tickets change the staff count, never the customer's.
    await createTicket(other.token, { title: 'Zebra again' });
    await staff.countIs(view.id, 4);
    // An internal note matching the query: staff count it, the customer must not.
    const printer = await createTicket(customer.token, { title: 'Printer' });
    await a.request('POST', `/api/v1/tickets/${printer.id}/comments`, { token: agent.token, body: { body: 'zebra pattern on the print', internal: true } });
    await staff.countIs(view.id, 5);
    await quiet(1500);
    expect(c.counts(view.id)).toEqual([1]);
    // A public reply makes it theirs to count.
    await a.request('POST', `/api/v1/tickets/${printer.id}/comments`, { token: agent.token, body: { body: 'Is it a zebra pattern?' } });
    await c.countIs(view.id, 2);
    // A ticket handed to someone else leaves the customer's count (the notice names the new requester).
    await a.request('PATCH', `/api/v1/tickets/${mine.id}`, { token: agent.token, body: { requesterId: other.id } });
    await c.countIs(view.id, 1);
    await quiet(1500);
    expect(c.counts(view.id)).toEqual([1, 2, 1]);
    expect(Math.max(...c.counts(view.id))).toBeLessThanOrEqual(2);
    expect(staff.counts(view.id).at(-1)).toBe(5);
    const rest = (await b.request('GET', '/api/v1/views/counts', { token: customer.token })).body.items.find((i: { id: string }) => i.id === view.id);
    expect(rest.count).toBe(1);
  });

  it('a customer of an organization sharing its tickets counts the organization\'s', async () => {
    const org = (await a.request('POST', '/api/v1/organizations', { token: agent.token, body: { name: 'Acme', sharedTickets: true } })).body;
    const member = await a.createUser({ role: 'customer', name: 'Wile' });
    await a.kernel.db.query('update app_user set organization_id = ? where id = ?', [org.id, member.id]);
    const view = (await a.request('POST', '/api/v1/views', { token: admin.token, body: { name: 'Anvils', shared: true, filter: { tag: ['anvil'] } } })).body;
    const c = await connect(b, member.token);
    expect(await c.subscribe(view.id)).toBe(0);
    await createTicket(agent.token, { title: 'Not theirs', tags: ['anvil'] });
    await createTicket(agent.token, { title: 'For Acme', tags: ['anvil'], organizationId: org.id });
    await c.countIs(view.id, 1);
    await quiet(1500);
    expect(c.counts(view.id)).toEqual([0, 1]);
  });

  it('connections that see the same thing share one count query per node', async () => {
    const view = (await a.request('POST', '/api/v1/views', { token: admin.token, body: { name: 'Shared tag', shared: true, filter: { tag: ['shared-count'] } } })).body;
    const watchers = [await connect(b, agent.token), await connect(b, agent2.token), await connect(b, agent2.token)];
    for (const w of watchers) expect(await w.subscribe(view.id)).toBe(0);
    let queries = 0;
    const original = b.kernel.db.query;
    b.kernel.db.query = ((text: string, params?: unknown[]) => {
      if (text.startsWith('select count(*)::int as n from ticket') && JSON.stringify(params).includes('shared-count')) queries++;
      return original(text, params);
    }) as typeof original;
    try {
      await createTicket(agent.token, { title: 'One', tags: ['shared-count'] });
      for (const w of watchers) await w.countIs(view.id, 1);
      await quiet(500);
      expect(queries).toBe(1);
    } finally {
      b.kernel.db.query = original;
    }
  });

  it('a burst of creates is coalesced into a few counts that end at the right number', async () => {
    const view = (await a.request('POST', '/api/v1/views', { token: agent2.token, body: { name: 'Burst', filter: { tag: ['burst'] } } })).body;
    const s = await connect(b, agent2.token);
    expect(await s.subscribe(view.id)).toBe(0);
    await Promise.all(Array.from({ length: 20 }, (_, i) => createTicket(agent.token, { title: `Burst ${i}`, tags: ['burst'] })));
    await s.countIs(view.id, 20, 20_000);
    await quiet(1500);
    const counts = s.counts(view.id);
    expect(counts.at(-1)).toBe(20);
    // The initial count, then far fewer than one per ticket.
    expect(counts.length - 1).toBeLessThanOrEqual(8);
    expect(counts).toEqual([...counts].sort((x, y) => x - y));
  });

  it('a steady stream of changes still gets counts while it lasts (the debounce has a max wait)', async () => {
    const view = (await a.request('POST', '/api/v1/views', { token: agent2.token, body: { name: 'Steady', filter: { tag: ['steady'] } } })).body;
    const s = await connect(b, agent2.token);
    expect(await s.subscribe(view.id)).toBe(0);
    const started = Date.now();
    let created = 0;
    // Changes closer together than the debounce, for 3 s.
    while (Date.now() - started < 3000) {
      await createTicket(agent.token, { title: `Steady ${created}`, tags: ['steady'] });
      created++;
      await quiet(50);
    }
    const duringTheStream = s.counts(view.id).length - 1;
    await s.countIs(view.id, created);
    expect(duringTheStream).toBeGreaterThanOrEqual(1);
    expect(s.counts(view.id).length - 1).toBeLessThan(created);
  });
});
