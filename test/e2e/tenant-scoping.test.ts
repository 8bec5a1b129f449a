import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helloPlugin } from '@ticketops/example-hello-plugin';
import { createToken } from '../../core/src/auth/tokens.ts';
import { createTenant } from '../../core/src/kernel/tenants.ts';
import { User } from '../../core/src/kernel-data/entities.ts';
import { type TestKernel, startTestKernel } from '../../core/src/testing/index.ts';
import { createUser } from '../../core/src/users/users.ts';

let t: TestKernel;
let a: { id: string; token: string };
let b: { id: string; token: string; tenantId: string };

beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: helloPlugin }], workers: false });
  a = await t.createUser({ role: 'admin', email: 'same@example.com' });
  const tenant = await createTenant(t.kernel.db, { slug: 'acme', name: 'Acme' });
  // Same email in another tenant is a different account.
  const user = await t.kernel.runAsSystem(tenant.id, 'test', (scope) => createUser(scope, t.kernel.hooks, { email: 'same@example.com', name: 'B', role: 'admin', password: 'a long password b' }));
  const { token } = await t.kernel.runAsSystem(tenant.id, 'test', (scope) => createToken(scope, { userId: user.id, name: 'b' }));
  b = { id: user.id, token, tenantId: tenant.id };
});
afterAll(async () => {
  await t?.close();
});

describe('tenant scoping', () => {
  it('lists only the caller\'s tenant', async () => {
    const listA = await t.request('GET', '/api/v1/users', { token: a.token });
    const listB = await t.request('GET', '/api/v1/users', { token: b.token });
    expect(listA.body.items.map((u: { id: string }) => u.id)).toEqual([a.id]);
    expect(listB.body.items.map((u: { id: string }) => u.id)).toEqual([b.id]);
  });

  it('answers 404 for another tenant\'s id, on kernel and plugin routes', async () => {
    expect((await t.request('GET', `/api/v1/users/${a.id}`, { token: b.token })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/users/${b.id}`, { token: a.token })).status).toBe(404);
    await t.request('POST', '/api/v1/hello/greetings', { token: a.token, body: { name: 'only for A' } });
    const seenByB = await t.request('GET', '/api/v1/hello/greetings', { token: b.token });
    expect(seenByB.body.items).toEqual([]);
    const seenByA = await t.request('GET', '/api/v1/hello/greetings', { token: a.token });
    expect(seenByA.body.items).toHaveLength(1);
  });

  it('cannot revoke, list or audit across tenants', async () => {
    const tokensOfA = await t.kernel.db.query<{ id: string }>('select id from api_token where user_id = ?', [a.id]);
    const revoke = await t.request('DELETE', `/api/v1/tokens/${tokensOfA[0]?.id}`, { token: b.token });
    expect(revoke.status).toBe(404);
    expect((await t.request('GET', '/api/v1/me', { token: a.token })).status).toBe(200);
    const auditB = await t.request('GET', '/api/v1/audit', { token: b.token });
    expect(auditB.body.items.every((e: { actorId: string | null; targetId: string }) => e.targetId !== a.id)).toBe(true);
    expect(auditB.body.items.some((e: { targetId: string }) => e.targetId === b.id)).toBe(true);
  });

  it('the ORM refuses a tenant-owned query with no tenant bound (fails closed)', async () => {
    const em = t.kernel.db.em.fork();
    await expect(em.find(User, {})).rejects.toThrow(/tenant/);
  });
});
