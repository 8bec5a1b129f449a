import { afterAll, describe, expect, it } from 'vitest';
import { definePlugin } from '@ticketops/plugin-sdk';
import { type TestKernel, startTestKernel, testDatabaseUrl } from '../../core/src/testing/index.ts';

/** Every node runs the same plugin; the schedule must still fire once per tick, and each event be handled once. */
const ticker = (node: string) =>
  definePlugin({
    id: 'ticker',
    version: '1.0.0',
    kernel: '^0.1.0',
    migrations: [{ name: '0001', up: ['create table ticker_tick (node text, at timestamptz default now())', 'create table ticker_seen (node text, event_id text)'] }],
    register(r) {
      r.schedule({
        name: 'every-minute',
        cron: '* * * * *',
        async handler(scope) {
          await scope.em.getConnection().execute('insert into ticker_tick (node) values (?)', [node]);
        },
      });
      r.subscribe('user.created', { id: 'count' }, async (event, scope) => {
        await scope.em.getConnection().execute('insert into ticker_seen (node, event_id) values (?, ?)', [node, event.id]);
      });
    },
  });

const nodes: TestKernel[] = [];
afterAll(async () => {
  for (const n of nodes) await n.close();
});

describe('background jobs across several nodes on one database', () => {
  it('a cron schedule fires once per tick, and an event is handled once, whichever node takes it', async () => {
    if (!(await testDatabaseUrl())) return; // one embedded database cannot be shared by processes
    nodes.push(await startTestKernel({ plugins: [{ definition: ticker('a') }] }));
    nodes.push(await startTestKernel({ plugins: [{ definition: ticker('b') }], join: true }));
    const [a] = nodes as [TestKernel, TestKernel];

    for (let i = 0; i < 6; i++) await a.createUser({ role: 'agent' });
    const deadline = Date.now() + 80_000;
    let ticks: { node: string; at: Date }[] = [];
    let seen: { n: number; distinct: number }[] = [];
    while (Date.now() < deadline) {
      ticks = await a.kernel.db.query('select node, at from ticker_tick');
      seen = await a.kernel.db.query('select count(*)::int as n, count(distinct event_id)::int as distinct from ticker_seen');
      if (ticks.length > 0 && seen[0]?.n === 6) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(seen[0]).toEqual({ n: 6, distinct: 6 });
    expect(ticks.length).toBeGreaterThanOrEqual(1);
    // Give the other node every chance to fire the same tick again.
    await new Promise((r) => setTimeout(r, 8_000));
    ticks = await a.kernel.db.query('select node, at from ticker_tick');
    const perMinute = new Map<string, number>();
    for (const t of ticks) {
      const minute = new Date(t.at).toISOString().slice(0, 16);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }
    expect([...perMinute.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);
});
