import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketOpsError, definePlugin, defineRoute, respond } from '@ticketops/plugin-sdk';
import { type TestKernel, startTestKernel } from '../testing/index.ts';

/** A probe plugin: a route that writes and emits (optionally failing after the emit), and subscribers that record deliveries. */
const probe = definePlugin({
  id: 'probe',
  version: '1.0.0',
  kernel: '^0.1.0',
  migrations: [{
    name: '0001',
    up: [
      'create table probe_thing (id text primary key, tenant_id text not null, committed_at timestamptz)',
      'create table probe_delivery (event_id text, subscriber text, thing_id text, thing_visible boolean, delivered_at timestamptz default clock_timestamp())',
      'create table probe_attempt (event_id text, subscriber text, at timestamptz default clock_timestamp())',
    ],
  }],
  register(r) {
    r.routes([
      defineRoute<unknown, unknown, { id: string; fail?: boolean; holdMs?: number }>({
        method: 'post', path: '/things', summary: 'write + emit', permission: null,
        schema: { body: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, fail: { type: 'boolean' }, holdMs: { type: 'integer' } } } },
        async handler({ scope, body }) {
          await scope.transactional(async (tx) => {
            await tx.em.getConnection().execute('insert into probe_thing (id, tenant_id) values (?, ?)', [body.id, scope.tenantId], 'run', tx.em.getTransactionContext());
            await tx.emit('probe.thing.created', { thingId: body.id });
            if (body.holdMs) await new Promise((r) => setTimeout(r, body.holdMs));
            if (body.fail) throw new TicketOpsError('conflict', 'rolled back on purpose');
          });
          await scope.em.getConnection().execute('update probe_thing set committed_at = clock_timestamp() where id = ?', [body.id]);
          return respond(201, { id: body.id });
        },
      }),
    ]);
    const record = (subscriber: string) => async (event: { id: string; payload: Record<string, unknown> }, scope: import('@ticketops/plugin-sdk').Scope) => {
      const conn = scope.em.getConnection();
      // Attempts are written outside any transaction, so a failing run still leaves its trace.
      await conn.execute('insert into probe_attempt (event_id, subscriber) values (?, ?)', [event.id, subscriber]);
      const attempts = (await conn.execute<{ n: number }[]>('select count(*)::int as n from probe_attempt where event_id = ? and subscriber = ?', [event.id, subscriber]))[0]?.n ?? 0;
      if (subscriber === 'flaky' && attempts < 3) throw new Error(`flaky failure ${attempts}`);
      if (subscriber === 'broken') throw new Error('always fails');
      const visible = await conn.execute<unknown[]>('select 1 from probe_thing where id = ?', [event.payload.thingId]);
      await conn.execute('insert into probe_delivery (event_id, subscriber, thing_id, thing_visible) values (?, ?, ?, ?)', [event.id, subscriber, event.payload.thingId, visible.length > 0]);
    };
    r.subscribe('probe.thing.created', { id: 'steady' }, record('steady'));
    r.subscribe('probe.thing.created', { id: 'flaky', retryLimit: 5 }, record('flaky'));
    r.subscribe('probe.thing.created', { id: 'broken', retryLimit: 1 }, record('broken'));
  },
});

let t: TestKernel;
let token: string;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: probe }] });
  token = (await t.createUser({ role: 'agent' })).token;
});
afterAll(async () => {
  await t?.close();
});

const deliveries = (thingId: string) =>
  t.kernel.db.query<{ subscriber: string; thing_visible: boolean; delivered_at: Date; event_id: string }>('select * from probe_delivery where thing_id = ? order by subscriber', [thingId]);

async function waitFor<T>(probeFn: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probeFn();
    if (done(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('domain events', () => {
  it('are delivered after commit, to every subscriber, seeing the committed row', async () => {
    const res = await t.request('POST', '/api/v1/probe/things', { token, body: { id: 'thing-1', holdMs: 1200 } });
    expect(res.status).toBe(201);
    const rows = await waitFor(() => deliveries('thing-1'), (r) => r.length >= 2);
    const steady = rows.find((r) => r.subscriber === 'steady');
    expect(steady?.thing_visible).toBe(true);
    const [thing] = await t.kernel.db.query<{ committed_at: Date }>('select committed_at from probe_thing where id = ?', ['thing-1']);
    // The transaction was held open 1.2 s after the emit; delivery could only start at commit.
    const heldUntil = new Date(thing!.committed_at).getTime() - 50;
    expect(new Date(steady!.delivered_at).getTime()).toBeGreaterThanOrEqual(heldUntil);
  });

  it('a rolled-back transaction enqueues and delivers nothing', async () => {
    const res = await t.request('POST', '/api/v1/probe/things', { token, body: { id: 'ghost', fail: true } });
    expect(res.status).toBe(409);
    expect(await t.kernel.db.query('select 1 from probe_thing where id = ?', ['ghost'])).toHaveLength(0);
    const jobs = await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from pgboss.job where data->'payload'->>'thingId' = 'ghost'`);
    expect(jobs[0]?.n).toBe(0);
    // A later event goes through, and the rolled-back one never shows up beside it.
    await t.request('POST', '/api/v1/probe/things', { token, body: { id: 'after-ghost' } });
    await waitFor(() => deliveries('after-ghost'), (r) => r.some((d) => d.subscriber === 'steady'));
    expect(await deliveries('ghost')).toHaveLength(0);
  });

  it('a failing subscriber is retried with backoff until it succeeds, and never undoes the change', async () => {
    await t.request('POST', '/api/v1/probe/things', { token, body: { id: 'thing-flaky' } });
    const rows = await waitFor(() => deliveries('thing-flaky'), (r) => r.some((d) => d.subscriber === 'flaky'), 25_000);
    const flaky = rows.find((r) => r.subscriber === 'flaky');
    expect(flaky).toBeDefined();
    const attempts = await t.kernel.db.query<{ at: Date }>(`select at from probe_attempt where event_id = ? and subscriber = 'flaky' order by at`, [flaky!.event_id]);
    expect(attempts).toHaveLength(3);
    // Backoff: the gaps between attempts are at least the 1 s base delay.
    expect(new Date(attempts[1]!.at).getTime() - new Date(attempts[0]!.at).getTime()).toBeGreaterThanOrEqual(900);
    expect(await t.kernel.db.query('select 1 from probe_thing where id = ?', ['thing-flaky'])).toHaveLength(1);
  });

  it('an event its subscriber keeps failing on ends in the dead-letter queue', async () => {
    await t.request('POST', '/api/v1/probe/things', { token, body: { id: 'thing-dead' } });
    const dead = await waitFor(
      () => t.kernel.db.query<{ n: number }>(`select count(*)::int as n from pgboss.job where name = 'ticketops.dead-letter' and data->'payload'->>'thingId' = 'thing-dead'`),
      (r) => (r[0]?.n ?? 0) > 0,
      25_000,
    );
    expect(dead[0]?.n).toBe(1);
    // retryLimit 1: the first run and one retry, then no more.
    const attempts = await t.kernel.db.query<{ n: number }>(
      `select count(*)::int as n from probe_attempt a join pgboss.job j on j.data->>'id' = a.event_id
        where a.subscriber = 'broken' and j.name = 'ticketops.dead-letter' and j.data->'payload'->>'thingId' = 'thing-dead'`,
    );
    expect(attempts[0]?.n).toBe(2);
    expect(await deliveries('thing-dead').then((r) => r.filter((d) => d.subscriber === 'broken'))).toHaveLength(0);
    expect(await t.kernel.db.query('select 1 from probe_thing where id = ?', ['thing-dead'])).toHaveLength(1);
  });

  it('a backlog is fetched in batches, each event settled on its own: a failing one is retried alone, none delivered twice', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `batch-${i}`);
    await Promise.all(ids.map((id) => t.request('POST', '/api/v1/probe/things', { token, body: { id } })));
    const rows = await waitFor(
      () => t.kernel.db.query<{ thing_id: string; subscriber: string; n: number }>(
        `select thing_id, subscriber, count(*)::int as n from probe_delivery where thing_id like 'batch-%' and subscriber in ('steady', 'flaky') group by 1, 2`,
      ),
      (r) => r.length === 24,
      40_000,
    );
    expect(rows).toHaveLength(24);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    // The flaky subscriber's failures were retried alone: the steady one ran each of its 12 events once.
    const attempts = await t.kernel.db.query<{ n: number }>(
      `select count(*)::int as n from probe_attempt a join probe_delivery d on d.event_id = a.event_id and d.subscriber = a.subscriber
        where a.subscriber = 'steady' and d.thing_id like 'batch-%'`,
    );
    expect(attempts[0]?.n).toBe(12);
  });
});
