import { afterAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel, testDatabaseUrl } from '../../core/src/testing/index.ts';

const nodes: TestKernel[] = [];
afterAll(async () => {
  for (const n of nodes) await n.close();
});

describe('credential cache across nodes', () => {
  it('a token revoked through one node stops working on another at once', async () => {
    if (!(await testDatabaseUrl())) return; // one embedded database cannot be shared by processes
    nodes.push(await startTestKernel({ workers: false }));
    nodes.push(await startTestKernel({ workers: false, join: true }));
    const [a, b] = nodes as [TestKernel, TestKernel];
    const agent = await a.createUser({ role: 'agent' });
    const extra = await a.request('POST', '/api/v1/tokens', { token: agent.token, body: { name: 'to revoke' } });
    // Both nodes have verified (and cached) the token.
    expect((await a.request('GET', '/api/v1/me', { token: extra.body.token })).status).toBe(200);
    expect((await b.request('GET', '/api/v1/me', { token: extra.body.token })).status).toBe(200);

    expect((await a.request('DELETE', `/api/v1/tokens/${extra.body.id}`, { token: agent.token })).status).toBe(200);
    // The invalidation travels by NOTIFY; allow it a moment, far below the cache TTL.
    let status = 0;
    for (let i = 0; i < 20; i++) {
      status = (await b.request('GET', '/api/v1/me', { token: extra.body.token })).status;
      if (status === 401) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(status).toBe(401);
  });
});
