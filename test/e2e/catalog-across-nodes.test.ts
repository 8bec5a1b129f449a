import { afterAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel, testDatabaseUrl } from '../../core/src/testing/index.ts';

const nodes: TestKernel[] = [];
afterAll(async () => {
  for (const n of nodes) await n.close();
});

describe('ticket catalogue cache across nodes', () => {
  it('a priority deactivated through one node is refused by another; a new one is accepted at once', async () => {
    if (!(await testDatabaseUrl())) return; // one embedded database cannot be shared by processes
    nodes.push(await startTestKernel({ workers: false }));
    nodes.push(await startTestKernel({ workers: false, join: true }));
    const [a, b] = nodes as [TestKernel, TestKernel];
    const admin = await a.createUser({ role: 'admin' });
    const create = (node: TestKernel, priority: string) => node.request('POST', '/api/v1/tickets', { token: admin.token, body: { title: `On ${priority}`, priority } });
    // Both nodes have loaded (and cached) the catalogue.
    expect((await create(a, 'low')).status).toBe(201);
    expect((await create(b, 'low')).status).toBe(201);

    expect((await a.request('PATCH', '/api/v1/ticket-priorities/low', { token: admin.token, body: { active: false } })).status).toBe(200);
    // The node that made the change forgets at once…
    const refusedHere = await create(a, 'low');
    expect(refusedHere.status).toBe(400);
    expect(refusedHere.body.errors).toEqual([{ pointer: '/body/priority', message: '"low" is not a priority of this help desk' }]);
    // …the other hears it by NOTIFY; allow it a moment, far below the cache TTL.
    let status = 0;
    for (let i = 0; i < 20 && status !== 400; i++) {
      status = (await create(b, 'low')).status;
      if (status !== 400) await new Promise((r) => setTimeout(r, 25));
    }
    expect(status).toBe(400);

    // A change made behind the API's back (plain SQL) reaches both nodes through the table trigger.
    await a.kernel.db.query(`insert into ticket_priority (id, tenant_id, name, position, active) values ('tpr_sql', 'ten_default', 'sql-made', 50, true)`);
    for (const node of [a, b]) {
      let created = 0;
      for (let i = 0; i < 20 && created !== 201; i++) {
        created = (await create(node, 'sql-made')).status;
        if (created !== 201) await new Promise((r) => setTimeout(r, 25));
      }
      expect(created).toBe(201);
    }
  });
});
