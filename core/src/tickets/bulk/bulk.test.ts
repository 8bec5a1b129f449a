import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '@ticketops/plugin-sdk';
import { type TestKernel, startTestKernel } from '../../testing/index.ts';

/**
 * Counts ticket.updated events, to prove one event per changed ticket; and refuses, after the row is
 * already updated, any change to a ticket titled "Refused…", to prove a failed ticket is undone alone.
 */
const counter = definePlugin({
  id: 'counter', version: '1.0.0', kernel: '^0.1.0',
  migrations: [{ name: '0001', up: ['create table counter_event (ticket_id text, event_id text unique)'] }],
  register(r) {
    r.subscribe<{ ticketId: string }>('ticket.updated', { id: 'count' }, async (event, scope) => {
      await scope.em.getConnection().execute('insert into counter_event values (?, ?) on conflict do nothing', [event.payload.ticketId, event.id]);
    });
  },
  init({ hooks }) {
    hooks.ticket.afterUpdate.tapPromise('refuser', async ({ ticket }) => {
      if (ticket.title.startsWith('Refused')) throw new Error('refused after the update');
    });
  },
});

let t: TestKernel;
let agent: { id: string; token: string };
let admin: { token: string };
let customer: { token: string };
const create = async (title: string, extra: Record<string, unknown> = {}) => (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title, ...extra } })).body;
const bulk = (body: unknown, token = agent.token) => t.request('POST', '/api/v1/tickets/bulk', { token, body });

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: counter }], config: { tickets: { parentClose: 'none', bulkInlineLimit: 3 } } });
  agent = await t.createUser({ role: 'agent' });
  admin = await t.createUser({ role: 'admin' });
  customer = await t.createUser({ role: 'customer' });
});
afterAll(async () => {
  await t?.close();
});

describe('bulk operations', () => {
  it('applies to each ticket on its own, reporting bad ids and invalid changes per ticket', async () => {
    const a = await create('Bulk A', { tags: ['old'] });
    const b = await create('Bulk B', { priority: 'high' });
    const res = await bulk({ ids: [a.id, 'tkt_missing', b.id], set: { priority: 'high' }, addTags: ['triaged'], removeTags: ['old'] });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: a.id, outcome: 'updated' },
      { id: 'tkt_missing', outcome: 'skipped', reason: { code: 'not_found', detail: 'Ticket was not found' } },
      { id: b.id, outcome: 'updated' },
    ]);
    expect(res.body.summary).toEqual({ total: 3, updated: 2, unchanged: 0, deleted: 0, skipped: 1 });
    const after = await t.request('GET', `/api/v1/tickets/${a.id}`, { token: agent.token });
    expect(after.body).toMatchObject({ priority: 'high', tags: ['triaged'] });
    const history = await t.request('GET', `/api/v1/tickets/${a.id}/history`, { token: agent.token });
    expect(history.body.items.at(-1).via).toBe('bulk');

    const invalid = await bulk({ ids: [a.id, b.id], set: { status: 'limbo' } });
    expect(invalid.body.results[0]).toMatchObject({ outcome: 'skipped', reason: { code: 'invalid_input', errors: [{ pointer: '/body/status' }] } });
    const unchanged = await bulk({ ids: [a.id], set: { priority: 'high' } });
    expect(unchanged.body.results[0].outcome).toBe('unchanged');

    // One ticket.updated event per changed ticket, delivered after commit.
    const events = await until(
      () => t.kernel.db.query<{ ticket_id: string }>('select ticket_id from counter_event where ticket_id = any(?::text[])', [`{${a.id},${b.id}}`]),
      (rows) => rows.length >= 2,
    );
    expect(events.map((e) => e.ticket_id).sort()).toEqual([a.id, b.id].sort());
    const audit = await t.request('GET', '/api/v1/audit?action=tickets.bulk', { token: admin.token });
    expect(audit.body.items.map((e: { data: Record<string, number> }) => e.data)).toContainEqual({ total: 3, updated: 2, unchanged: 0, deleted: 0, skipped: 1, background: false });
  });

  it('selects by filter; large selections run in the background with progress and results', async () => {
    const ids = [];
    for (let i = 0; i < 7; i++) ids.push((await create(`Background ${i}`, { tags: ['batch'] })).id);
    const started = await bulk({ filter: { tag: ['batch'] }, set: { priority: 'low' } });
    expect(started.status).toBe(202);
    expect(started.body.total).toBe(7);
    const done = await until(() => t.request('GET', `/api/v1/tickets/bulk/${started.body.jobId}`, { token: agent.token }), (r) => r.body.state === 'completed');
    expect(done.body).toMatchObject({ state: 'completed', total: 7, done: 7, summary: { updated: 7 } });
    expect(done.body.results.map((r: { id: string }) => r.id).sort()).toEqual(ids.sort());
    const listed = await t.request('GET', '/api/v1/tickets?tag=batch&priority=low', { token: agent.token });
    expect(listed.body.items).toHaveLength(7);
    expect((await t.request('GET', `/api/v1/tickets/bulk/${started.body.jobId}`, { token: customer.token })).status).toBe(403);
  });

  it('undoes a ticket that fails half-way on its own; the rest of its chunk commits', async () => {
    const first = await create('Chunk first', { tags: ['chunk'] });
    const refused = await create('Refused in a hook', { tags: ['chunk'] });
    const last = await create('Chunk last', { tags: ['chunk'] });
    const res = await bulk({ ids: [first.id, refused.id, last.id], set: { priority: 'urgent' } });
    expect(res.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['updated', 'skipped', 'updated']);
    expect(res.body.results[1].reason.code).toBe('hook_failed');
    // The refused ticket's UPDATE had already run; its savepoint took it back, and nothing else.
    const after = await t.request('GET', `/api/v1/tickets/${refused.id}`, { token: agent.token });
    expect(after.body).toMatchObject({ priority: 'normal', version: 1 });
    const history = await t.request('GET', `/api/v1/tickets/${refused.id}/history`, { token: agent.token });
    expect(history.body.items.map((h: { field: string }) => h.field)).toEqual(['created']);
    for (const ok of [first, last]) expect((await t.request('GET', `/api/v1/tickets/${ok.id}`, { token: agent.token })).body).toMatchObject({ priority: 'urgent', version: 2 });
    const delivered = () => t.kernel.db.query<{ ticket_id: string }>('select ticket_id from counter_event where ticket_id = any(?::text[])', [`{${first.id},${refused.id},${last.id}}`]);
    await until(delivered, (rows) => rows.length >= 2);
    await new Promise((r) => setTimeout(r, 300)); // a stray event for the refused ticket would land by now
    expect((await delivered()).map((e) => e.ticket_id).sort()).toEqual([first.id, last.id].sort());
  });

  it('deletes only with tickets.delete; rejects bad requests naming the field; customers cannot bulk', async () => {
    const a = await create('Delete me');
    expect((await bulk({ ids: [a.id], delete: true })).status).toBe(403);
    const deleted = await bulk({ ids: [a.id], delete: true }, admin.token);
    expect(deleted.body.results).toEqual([{ id: a.id, outcome: 'deleted' }]);
    expect((await bulk({ ids: [a.id] })).status).toBe(400);
    expect((await bulk({ ids: [a.id], set: { colour: 'red' } })).body.errors[0].pointer).toBe('/body/set/colour');
    expect((await bulk({ ids: [a.id], set: { priority: 'low' } }, customer.token)).status).toBe(403);
  });
});
