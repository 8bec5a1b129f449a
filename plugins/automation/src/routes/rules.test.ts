import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { automationPlugin } from '../index.ts';
import { pointers } from '../test/support.ts';

let t: TestKernel;
let admin: { id: string; token: string };
let agent: { id: string; token: string };
const R = '/api/v1/automation/rules';

beforeAll(async () => {
  t = await startTestKernel({ workers: false, plugins: [{ definition: automationPlugin }] });
  admin = await t.createUser({ role: 'admin' });
  agent = await t.createUser({ role: 'agent' });
  // Another tenant with a user and a group: a rule of ten_default must not name them.
  await t.kernel.db.query(`insert into tenant (id, slug, name) values ('ten_other', 'other', 'Other') on conflict do nothing`);
  await t.kernel.db.query(`insert into app_user (id, tenant_id, email, name, role) values ('usr_other1', 'ten_other', 'x@other.test', 'X', 'agent') on conflict do nothing`);
  await t.kernel.db.query(`insert into agent_group (id, tenant_id, name) values ('grp_other1', 'ten_other', 'Theirs') on conflict do nothing`);
});
afterAll(async () => {
  await t?.close();
});

const count = async () => Number((await t.kernel.db.query<{ n: number }>('select count(*)::int as n from automation_rule'))[0]?.n);
const vip = {
  name: 'VIP to urgent',
  kind: 'trigger',
  events: ['ticket.created'],
  conditions: { all: [{ field: 'tags', operator: 'contains', value: 'vip' }] },
  actions: [{ type: 'set_field', field: 'priority', value: 'urgent' }, { type: 'add_tags', tags: ['escalated'] }],
};

describe('console panels', () => {
  it('lists the panels a user may see and serves the built module', async () => {
    const forAgent = await t.request('GET', '/api/v1/console/panels', { token: agent.token });
    const mine = forAgent.body.items.filter((p: { plugin: string }) => p.plugin === 'automation').map((p: { element: string }) => p.element).sort();
    expect(mine).toEqual(['to-automation-approvals', 'to-automation-macros']);
    const forAdmin = await t.request('GET', '/api/v1/console/panels', { token: admin.token });
    expect(forAdmin.body.items.map((p: { element: string }) => p.element)).toContain('to-automation-rules');
    const module = await fetch(`${t.url}/admin/plugins/automation/panels.js`);
    expect(module.status).toBe(200);
    expect(await module.text()).toMatch(/customElements\.define\(['"`]to-automation-rules['"`]/);
  });
});

describe('rule CRUD and versions', () => {
  let id: string;

  it('creates a rule; "active": true publishes version 1 at once; agents may read, not write', async () => {
    expect((await t.request('POST', R, { token: agent.token, body: vip })).status).toBe(403);
    const res = await t.request('POST', R, { token: admin.token, body: { ...vip, active: true } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    id = res.body.id;
    expect(res.body).toMatchObject({ name: 'VIP to urgent', kind: 'trigger', active: true, status: 'published', publishedVersion: 1, latestVersion: 1, position: 1, actions: vip.actions });
    const draft = await t.request('POST', R, { token: admin.token, body: { ...vip, name: 'Draft only' } });
    expect(draft.body).toMatchObject({ active: false, status: 'draft', publishedVersion: null, position: 2 });
    const list = await t.request('GET', R, { token: agent.token });
    expect(list.body.items.map((r: { name: string }) => r.name)).toEqual(['VIP to urgent', 'Draft only']);
    expect((await t.request('POST', R, { token: admin.token, body: vip })).status).toBe(409);
  });

  it('a change makes a new draft version; publish moves the pointer; rollback goes back; versions never change', async () => {
    const changed = await t.request('PATCH', `${R}/${id}`, { token: admin.token, body: { actions: [{ type: 'set_field', field: 'priority', value: 'high' }] } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ latestVersion: 2, publishedVersion: 1, status: 'draft_pending', events: ['ticket.created'], conditions: vip.conditions });
    const published = await t.request('POST', `${R}/${id}/publish`, { token: admin.token, body: {} });
    expect(published.body).toMatchObject({ publishedVersion: 2, status: 'published', active: true });
    const back = await t.request('POST', `${R}/${id}/rollback`, { token: admin.token, body: {} });
    expect(back.body).toMatchObject({ publishedVersion: 1, latestVersion: 2 });
    const versions = await t.request('GET', `${R}/${id}/versions`, { token: agent.token });
    expect(versions.body.items.map((v: { version: number; definition: { actions: unknown[] } }) => [v.version, v.definition.actions[0]])).toEqual([
      [2, { type: 'set_field', field: 'priority', value: 'high' }],
      [1, vip.actions[0]],
    ]);
    expect((await t.request('POST', `${R}/${id}/publish`, { token: admin.token, body: { version: 9 } })).status).toBe(404);
    const audit = await t.kernel.db.query<{ action: string }>(`select action from audit_log where target_id = ? order by created_at`, [id]);
    expect(audit.map((a) => a.action)).toEqual(['automation.rule.created', 'automation.rule.updated', 'automation.rule.published', 'automation.rule.rolled_back']);
  });

  it('refuses invalid rules with a 400 naming each problem by JSON pointer, and saves nothing', async () => {
    const before = await count();
    const bad = await t.request('POST', R, {
      token: admin.token,
      body: {
        name: 'Broken',
        kind: 'trigger',
        events: ['ticket.created'],
        conditions: {
          all: [
            { field: 'priority', operator: 'resembles', value: 'x' },
            { field: 'colour', operator: 'equals', value: 'red' },
            { field: 'tags', operator: 'greaterThan', value: 3 },
            { field: 'status', operator: 'changed', value: 'x' },
            { any: [{ all: [{ any: [{ field: 'status', operator: 'equals', value: 'open' }] }] }] },
          ],
        },
        actions: [
          { type: 'assign', userId: 'usr_other1' },
          { type: 'assign', groupId: 'grp_other1' },
          { type: 'set_field', field: 'priority', value: 'galactic' },
          { type: 'set_field', field: 'requesterId', value: 'usr_x' },
          { type: 'add_note', body: '{{#if}}' },
          { type: 'explode' },
          { type: 'add_tags', tags: ['a'], extra: true },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    // Shape problems first (conditions and actions); references are checked once the shape is right.
    expect(pointers(bad.body)).toEqual([
      '/body/actions/3/field',
      '/body/actions/5/type',
      '/body/actions/6/extra',
      '/body/conditions/all/0/operator',
      '/body/conditions/all/1/field',
      '/body/conditions/all/2/operator',
      '/body/conditions/all/3/value',
      '/body/conditions/all/4/any/0/all/0',
    ]);
    const refs = await t.request('POST', R, {
      token: admin.token,
      body: {
        name: 'Cross-tenant', kind: 'trigger', events: ['ticket.updated'],
        actions: [{ type: 'assign', userId: 'usr_other1' }, { type: 'assign', groupId: 'grp_other1' }, { type: 'set_field', field: 'priority', value: 'galactic' }, { type: 'add_note', body: '{{#if}}' }, { type: 'apply_macro', macroId: 'rul_nope' }],
      },
    });
    expect(pointers(refs.body)).toEqual(['/body/actions/0/userId', '/body/actions/1/groupId', '/body/actions/2/value', '/body/actions/3/body', '/body/actions/4/macroId']);
    const kinds = await t.request('POST', R, { token: admin.token, body: { name: 'No events', kind: 'trigger', actions: [{ type: 'add_tags', tags: ['x'] }], cron: '* * * * *' } });
    expect(pointers(kinds.body)).toEqual(['/body/cron', '/body/events']);
    const macro = await t.request('POST', R, { token: admin.token, body: { name: 'M', kind: 'macro', events: ['ticket.created'], actions: [{ type: 'add_tags', tags: ['x'] }] } });
    expect(pointers(macro.body)).toEqual(['/body/events']);
    const cron = await t.request('POST', R, { token: admin.token, body: { name: 'C', kind: 'scheduled', cron: '61 * * * *', conditions: { all: [{ field: 'status', operator: 'equals', value: 'open' }] }, actions: [{ type: 'add_tags', tags: ['x'] }] } });
    expect(pointers(cron.body)).toEqual(['/body/cron']);
    expect(await count()).toBe(before);
  });

  it('export then import recreates the rules, all or none', async () => {
    const exported = await t.request('GET', '/api/v1/automation/export', { token: admin.token });
    expect(exported.body.rules.map((r: { name: string; active: boolean }) => [r.name, r.active])).toEqual([['VIP to urgent', true], ['Draft only', false]]);
    // The live version (1, after the rollback) is exported, not the draft.
    expect(exported.body.rules[0].actions[0]).toEqual(vip.actions[0]);
    const renamed = exported.body.rules.map((r: { name: string }) => ({ ...r, name: `${r.name} (copy)` }));
    const before = await count();
    const bad = await t.request('POST', '/api/v1/automation/import', { token: admin.token, body: { ...exported.body, rules: [renamed[0], { ...renamed[1], conditions: { all: [{ field: 'status', operator: 'nope', value: 1 }] } }] } });
    expect(bad.status).toBe(400);
    expect(pointers(bad.body)).toEqual(['/body/rules/1/conditions/all/0/operator']);
    const dup = await t.request('POST', '/api/v1/automation/import', { token: admin.token, body: { rules: [renamed[0], { ...renamed[1], name: 'VIP to urgent' }] } });
    expect(dup.status).toBe(409);
    expect(pointers(dup.body)).toEqual(['/body/rules/1/name']);
    expect(await count()).toBe(before);
    const ok = await t.request('POST', '/api/v1/automation/import', { token: admin.token, body: { ...exported.body, rules: renamed } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.items.map((r: { name: string; status: string }) => [r.name, r.status])).toEqual([['VIP to urgent (copy)', 'published'], ['Draft only (copy)', 'draft']]);
  });

  it("another tenant's rule is not found, not changed", async () => {
    await t.kernel.db.query(`insert into automation_rule (id, tenant_id, name, kind, position, latest_version) values ('rul_theirs', 'ten_other', 'Theirs', 'trigger', 1, 1)`);
    expect((await t.request('GET', `${R}/rul_theirs`, { token: admin.token })).status).toBe(404);
    expect((await t.request('PATCH', `${R}/rul_theirs`, { token: admin.token, body: { active: false } })).status).toBe(404);
    expect((await t.request('DELETE', `${R}/rul_theirs`, { token: admin.token })).status).toBe(404);
    expect((await t.request('POST', `${R}/rul_theirs/dry-run`, { token: admin.token, body: { ticket: {} } })).status).toBe(404);
    expect((await t.request('GET', R, { token: admin.token })).body.items.map((r: { id: string }) => r.id)).not.toContain('rul_theirs');
    await t.kernel.db.query(`delete from automation_rule where id = 'rul_theirs'`);
  });

  it('reorders (a full permutation only) and deletes', async () => {
    const list = (await t.request('GET', R, { token: admin.token })).body.items.map((r: { id: string }) => r.id) as string[];
    expect((await t.request('PUT', `${R}/order`, { token: admin.token, body: { ids: list.slice(1) } })).status).toBe(400);
    const reordered = await t.request('PUT', `${R}/order`, { token: admin.token, body: { ids: [...list].reverse() } });
    expect(reordered.body.items.map((r: { id: string }) => r.id)).toEqual([...list].reverse());
    expect((await t.request('DELETE', `${R}/${list[0]}`, { token: admin.token })).status).toBe(204);
    expect((await t.request('GET', `${R}/${list[0]}`, { token: admin.token })).status).toBe(404);
  });
});
