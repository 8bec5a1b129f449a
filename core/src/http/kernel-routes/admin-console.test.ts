import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '@ticketops/plugin-sdk';
import { type TestKernel, startTestKernel } from '../../testing/index.ts';

const vault = definePlugin({
  id: 'vault', version: '1.2.3', kernel: '^0.1.0',
  configSchema: {
    type: 'object',
    properties: { url: { type: 'string', default: 'https://vault.test' }, apiKey: { type: 'string' }, pin: { type: 'string', writeOnly: true }, nested: { type: 'object', properties: { clientSecret: { type: 'string' }, region: { type: 'string' } } } },
  },
});

let t: TestKernel;
let admin: { id: string; token: string };
let agent: { id: string; token: string };

beforeAll(async () => {
  t = await startTestKernel({ workers: false, plugins: [{ definition: vault, config: { apiKey: 'k-123', pin: '0000', nested: { clientSecret: 's', region: 'eu' } } }] });
  admin = await t.createUser({ role: 'admin' });
  agent = await t.createUser({ role: 'agent', name: 'Zora Zed', email: 'zora@findme.test' });
  await t.createUser({ role: 'customer', name: 'Cleo Customer', email: 'cleo@elsewhere.test' });
});
afterAll(async () => {
  await t?.close();
});

describe('admin console routes', () => {
  it('searches users by name or email, role and active state', async () => {
    const byEmail = await t.request('GET', '/api/v1/users/search?q=FINDME', { token: admin.token });
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.items.map((u: { name: string }) => u.name)).toEqual(['Zora Zed']);
    expect(byEmail.body.items[0]).toMatchObject({ role: 'agent', active: true, organizationId: null });
    const customers = await t.request('GET', '/api/v1/users/search?role=customer', { token: admin.token });
    expect(customers.body.items.map((u: { name: string }) => u.name)).toEqual(['Cleo Customer']);
    // "%" is a literal, not a wildcard.
    expect((await t.request('GET', '/api/v1/users/search?q=%25', { token: admin.token })).body.items).toEqual([]);
    const paged = await t.request('GET', '/api/v1/users/search?limit=1', { token: admin.token });
    expect(paged.body.nextCursor).toBeTruthy();
    const next = await t.request('GET', `/api/v1/users/search?limit=1&cursor=${paged.body.nextCursor}`, { token: admin.token });
    expect(next.body.items[0].id).not.toBe(paged.body.items[0].id);
  });

  it('filters the audit log by action prefix, actor and time', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    expect((await t.request('PATCH', `/api/v1/users/${agent.id}`, { token: admin.token, body: { role: 'admin' } })).status).toBe(200);
    await t.request('POST', '/api/v1/roles', { token: admin.token, body: { name: 'auditors', permissions: ['audit.read'] } });
    const roles = await t.request('GET', `/api/v1/audit/search?action=role.*&actorId=${admin.id}&from=${encodeURIComponent(before)}`, { token: admin.token });
    expect(roles.status).toBe(200);
    expect(roles.body.items.map((r: { action: string }) => r.action)).toEqual(['role.created']);
    const all = await t.request('GET', `/api/v1/audit/search?actorId=${admin.id}`, { token: admin.token });
    expect(all.body.items.length).toBeGreaterThanOrEqual(2);
    expect((await t.request('GET', `/api/v1/audit/search?to=${encodeURIComponent(before)}&actorId=${admin.id}`, { token: admin.token })).body.items).toEqual([]);
    expect((await t.request('GET', '/api/v1/audit/search?from=yesterday', { token: admin.token })).status).toBe(400);
    expect((await t.request('GET', '/api/v1/audit/search', { token: agent.token })).status).toBe(200); // now an admin
  });

  it("returns a plugin's config schema with its values, secrets redacted", async () => {
    const res = await t.request('GET', '/api/v1/plugins/vault/config', { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'vault', version: '1.2.3', writable: false, schema: vault.configSchema });
    expect(res.body.values).toEqual({ url: 'https://vault.test', apiKey: null, pin: null, nested: { clientSecret: null, region: 'eu' } });
    expect(res.body.redacted.sort()).toEqual(['/apiKey', '/nested/clientSecret', '/pin']);
    expect(JSON.stringify(res.body)).not.toContain('k-123');
    expect((await t.request('GET', '/api/v1/plugins/nope/config', { token: admin.token })).status).toBe(404);
    const customer = await t.createUser({ role: 'customer' });
    expect((await t.request('GET', '/api/v1/plugins/vault/config', { token: customer.token })).status).toBe(403);
  });
});
