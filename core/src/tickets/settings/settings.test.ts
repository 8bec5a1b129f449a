import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../kernel/tenants.ts';
import { type TestKernel, startTestKernel } from '../../testing/index.ts';

let t: TestKernel;
let admin: { id: string; token: string };
let agent: { id: string; token: string };
let customer: { id: string; token: string };

beforeAll(async () => {
  t = await startTestKernel({ workers: false });
  admin = await t.createUser({ role: 'admin' });
  agent = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
});
afterAll(async () => {
  await t?.close();
});

describe('statuses, priorities, types, tags', () => {
  it('renaming a status carries over to tickets; changing its category re-categorises them', async () => {
    const ticket = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Waiting', status: 'pending' } })).body;
    const renamed = await t.request('PATCH', '/api/v1/ticket-statuses/pending', { token: admin.token, body: { name: 'waiting on customer' } });
    expect(renamed.status).toBe(200);
    expect((await t.request('GET', `/api/v1/tickets/${ticket.id}`, { token: agent.token })).body.status).toBe('waiting on customer');
    await t.request('POST', '/api/v1/ticket-statuses', { token: admin.token, body: { name: 'parked', category: 'pending' } });
    await t.request('PATCH', '/api/v1/ticket-statuses/waiting%20on%20customer', { token: admin.token, body: { category: 'on-hold' } });
    expect((await t.request('GET', `/api/v1/tickets/${ticket.id}`, { token: agent.token })).body.statusCategory).toBe('on-hold');
  });

  it('refuses deleting a status in use, or leaving a category without an active status', async () => {
    await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Brand new' } });
    const inUse = await t.request('DELETE', '/api/v1/ticket-statuses/new', { token: admin.token });
    expect(inUse.status).toBe(409);
    expect(inUse.body.detail).toMatch(/tickets use status "new"/);
    await t.request('POST', '/api/v1/ticket-statuses', { token: admin.token, body: { name: 'unused', category: 'closed' } });
    expect((await t.request('DELETE', '/api/v1/ticket-statuses/unused', { token: admin.token })).status).toBe(204);
    const lastSolved = await t.request('PATCH', '/api/v1/ticket-statuses/solved', { token: admin.token, body: { active: false } });
    expect(lastSolved.status).toBe(409);
    expect(lastSolved.body.detail).toContain('solved');
    expect((await t.request('POST', '/api/v1/ticket-statuses', { token: admin.token, body: { name: 'odd', category: 'weird' } })).body.errors[0].pointer).toBe('/body/category');
    expect((await t.request('POST', '/api/v1/ticket-priorities', { token: agent.token, body: { name: 'meh' } })).status).toBe(403);
  });

  it('ticket types validate their schema; custom fields follow it', async () => {
    const bad = await t.request('POST', '/api/v1/ticket-types', { token: admin.token, body: { name: 'broken', fieldsSchema: { type: 'object', properties: { x: { type: 'nonsense' } } } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/body/fieldsSchema');
    const remote = await t.request('POST', '/api/v1/ticket-types', { token: admin.token, body: { name: 'remote', fieldsSchema: { type: 'object', $ref: 'https://evil.example/schema.json' } } });
    expect(remote.status).toBe(400);
    const ok = await t.request('POST', '/api/v1/ticket-types', { token: admin.token, body: { name: 'change', fieldsSchema: { type: 'object', required: ['risk'], properties: { risk: { enum: ['low', 'high'] } } } } });
    expect(ok.status).toBe(201);
    expect((await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'x', type: 'change', customFields: {} } })).body.errors[0].pointer).toBe('/body/customFields/risk');
    expect((await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'x', type: 'change', customFields: { risk: 'low' } } })).status).toBe(201);
    expect((await t.request('DELETE', '/api/v1/ticket-types/change', { token: admin.token })).status).toBe(409);
    expect((await t.request('POST', '/api/v1/ticket-types', { token: admin.token, body: { name: 'change' } })).status).toBe(409);
  });

  it('lists tags with counts; rename merges; delete removes from tickets', async () => {
    const a = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'T1', tags: ['vpn', 'network'] } })).body;
    const b = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'T2', tags: ['net'] } })).body;
    expect((await t.request('GET', '/api/v1/tags?q=net', { token: agent.token })).body.items).toEqual([{ name: 'net', tickets: 1 }, { name: 'network', tickets: 1 }]);
    const renamed = await t.request('POST', '/api/v1/tags/net/rename', { token: admin.token, body: { to: 'network' } });
    expect(renamed.body).toEqual({ name: 'network', tickets: 1 });
    expect((await t.request('GET', `/api/v1/tickets/${b.id}`, { token: agent.token })).body.tags).toEqual(['network']);
    expect((await t.request('DELETE', '/api/v1/tags/vpn', { token: admin.token })).status).toBe(204);
    expect((await t.request('GET', `/api/v1/tickets/${a.id}`, { token: agent.token })).body.tags).toEqual(['network']);
  });
});

describe('organizations, groups, users', () => {
  it('organizations: unique names and domains, member counts, ticket history; new customers join by domain', async () => {
    const org = await t.request('POST', '/api/v1/organizations', { token: agent.token, body: { name: 'Acme', domains: ['Acme.example'], sharedTickets: true } });
    expect(org.status).toBe(201);
    expect(org.body.domains).toEqual(['acme.example']);
    expect((await t.request('POST', '/api/v1/organizations', { token: agent.token, body: { name: 'acme' } })).status).toBe(409);
    expect((await t.request('POST', '/api/v1/organizations', { token: agent.token, body: { name: 'Other', domains: ['acme.example'] } })).status).toBe(409);
    expect((await t.request('POST', '/api/v1/organizations', { token: agent.token, body: { name: 'Bad', domains: ['not a domain'] } })).body.errors[0].pointer).toBe('/body/domains/0');
    const ticket = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'From Acme', requester: { email: 'wile@acme.example', name: 'Wile' } } })).body;
    expect(ticket.organizationId).toBe(org.body.id);
    expect((await t.request('GET', `/api/v1/organizations/${org.body.id}`, { token: agent.token })).body.members).toBe(1);
    expect((await t.request('GET', `/api/v1/organizations/${org.body.id}/tickets`, { token: agent.token })).body.items.map((i: { id: string }) => i.id)).toEqual([ticket.id]);
    expect((await t.request('GET', '/api/v1/organizations', { token: customer.token })).status).toBe(403);
  });

  it('groups take staff members only, naming the bad ones', async () => {
    const bad = await t.request('POST', '/api/v1/groups', { token: admin.token, body: { name: 'Tier 1', userIds: [agent.id, customer.id, 'usr_ghost'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { pointer: '/body/userIds/1', message: 'customers cannot be group members' },
      { pointer: '/body/userIds/2', message: 'is not a user of this help desk' },
    ]);
    const group = await t.request('POST', '/api/v1/groups', { token: admin.token, body: { name: 'Tier 1', userIds: [agent.id] } });
    expect(group.body.memberIds).toEqual([agent.id]);
    const replaced = await t.request('PUT', `/api/v1/groups/${group.body.id}/members`, { token: admin.token, body: { userIds: [admin.id, agent.id] } });
    expect(replaced.body.memberIds).toEqual([admin.id, agent.id].sort());
    expect((await t.request('POST', '/api/v1/groups', { token: agent.token, body: { name: 'Mine' } })).status).toBe(403);
  });

  it('deactivating a user ends their tokens at once; the last admin cannot be demoted; changes are audited', async () => {
    const victim = await t.createUser({ role: 'agent' });
    expect((await t.request('GET', '/api/v1/me', { token: victim.token })).status).toBe(200);
    expect((await t.request('DELETE', `/api/v1/users/${victim.id}`, { token: admin.token })).status).toBe(204);
    expect((await t.request('GET', '/api/v1/me', { token: victim.token })).status).toBe(401);
    const lastAdmin = await t.request('PATCH', `/api/v1/users/${admin.id}`, { token: admin.token, body: { role: 'agent' } });
    expect(lastAdmin.status).toBe(409);
    const promoted = await t.request('PATCH', `/api/v1/users/${agent.id}`, { token: admin.token, body: { role: 'admin' } });
    expect(promoted.body.role).toBe('admin');
    const audit = await t.request('GET', '/api/v1/audit', { token: admin.token });
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.deactivated', 'user.role_changed']));
    expect((await t.request('PATCH', `/api/v1/users/${agent.id}`, { token: admin.token, body: { role: 'wizard' } })).body.errors[0].pointer).toBe('/body/role');
  });

  it('another tenant\'s organizations and groups are 404', async () => {
    const tenant = await createTenant(t.kernel.db, { slug: 'other', name: 'Other' });
    const [org] = await t.kernel.db.query<{ id: string }>(`insert into organization (id, tenant_id, name) values ('org_foreign', ?, 'Foreign') returning id`, [tenant.id]);
    expect((await t.request('GET', `/api/v1/organizations/${org?.id}`, { token: admin.token })).status).toBe(404);
    expect((await t.request('PATCH', `/api/v1/organizations/${org?.id}`, { token: admin.token, body: { name: 'Mine now' } })).status).toBe(404);
  });
});
