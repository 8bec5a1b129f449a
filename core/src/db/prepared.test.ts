import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/sql';
import { type TestKernel, startTestKernel } from '../testing/index.ts';
import { numberPlaceholders, preparedSql } from './prepared.ts';

let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel();
});
afterAll(async () => {
  await t?.close();
});

describe('prepared statements for hot statements', () => {
  it('numbers placeholders, leaving string literals and the ?? operator alone', () => {
    expect(numberPlaceholders("select ?, '?' as q, x ?? 'a', ?::int")).toBe("select $1, '?' as q, x ?? 'a', $2::int");
  });

  it('runs as a named statement of the connection, with values typed as MikroORM sends them', async () => {
    const em = t.kernel.db.em.fork() as EntityManager;
    await em.transactional(async (tx) => {
      const text = 'select ?::timestamptz as at, ?::jsonb as doc, ?::text[] as list, ? as nothing, ?::int + 1 as n';
      const when = new Date('2026-11-30T10:00:00.123Z');
      for (let i = 0; i < 2; i++) {
        const [row] = await preparedSql(tx as EntityManager, text, [when, { a: 1, nested: { b: [1, 2] } }, '{"x,y","z"}', null, 41]);
        expect(new Date(row?.at).toISOString()).toBe(when.toISOString());
        expect(row?.doc).toEqual({ a: 1, nested: { b: [1, 2] } });
        expect(row?.list).toEqual(['x,y', 'z']);
        expect(row?.nothing).toBeNull();
        expect(row?.n).toBe(42);
      }
      // The same session now holds it as a prepared statement.
      const prepared = await tx.getConnection().execute("select name from pg_prepared_statements where name like 'tko_%'", [], 'all', tx.getTransactionContext());
      expect(prepared.length).toBeGreaterThan(0);
    });
  });

  it('creating tickets goes through it and still answers everything the create answers', async () => {
    const agent = await t.createUser({ role: 'agent' });
    for (let i = 0; i < 3; i++) {
      const res = await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: `Prepared ${i}`, tags: ['a', 'b'], customFields: {} } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ title: `Prepared ${i}`, tags: ['a', 'b'], status: 'new' });
    }
  });
});
