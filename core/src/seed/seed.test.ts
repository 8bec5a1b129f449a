import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../cli/commands.ts';
import { type TestKernel, startTestKernel } from '../testing/index.ts';

let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ workers: false });
});
afterAll(async () => {
  await t?.close();
});

describe('seed', () => {
  it('generates tickets with comments, continuing the ticket numbers, searchable, with demo logins', async () => {
    const agent = await t.createUser({ role: 'agent' });
    const first = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Before the seed' } })).body;
    const result = (await commands.seed(t.kernel, { demo: true, tickets: 300, commentsPerTicket: 2 })) as { tickets: number; comments: number; login: { email: string; password: string } };
    expect(result).toMatchObject({ tickets: 300, comments: 600 });
    const [counts] = await t.kernel.db.query<{ tickets: number; comments: number; min: number; max: number }>(
      `select (select count(*)::int from ticket) as tickets, (select count(*)::int from comment) as comments, (select min(number)::int from ticket where id like 'tkt\\_%' and id <> ?) as min, (select max(number)::int from ticket) as max`,
      [first.id],
    );
    expect(counts).toEqual({ tickets: 301, comments: 600, min: first.number + 1, max: first.number + 300 });
    const after = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'After the seed' } })).body;
    expect(after.number).toBe(first.number + 301);

    const login = await t.request('POST', '/api/v1/auth/login', { body: { email: result.login.email, password: result.login.password } });
    expect(login.status).toBe(200);
    const search = await t.request('GET', '/api/v1/tickets?q=printer&limit=5', { token: agent.token });
    expect(search.status).toBe(200);
    expect(search.body.items.length).toBeGreaterThan(0);
    expect(search.body.items[0].snippet).toContain('<mark>');
  });

  it('bulk-loads with the secondary indexes rebuilt, identical to before, and the data searchable', async () => {
    const indexes = () => t.kernel.db.query<{ indexdef: string }>(`select indexdef from pg_indexes where tablename in ('ticket', 'comment') order by indexname`);
    const before = await indexes();
    const { seed } = await import('./seed.ts');
    await seed(t.kernel, { demo: false, tickets: 200, commentsPerTicket: 1, bulkLoad: true });
    expect(await indexes()).toEqual(before);
    const agent = await t.createUser({ role: 'agent' });
    const found = await t.request('GET', '/api/v1/tickets?q=printer&limit=5', { token: agent.token });
    expect(found.body.items.length).toBeGreaterThan(0);
    const [{ n }] = (await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from ticket where tags && array['printer']`)) as [{ n: number }];
    expect((await t.request('GET', '/api/v1/tickets?tag=printer&limit=100', { token: agent.token })).body.items.length).toBe(Math.min(n, 100));
  });
});
