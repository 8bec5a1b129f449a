import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { slaPlugin } from '../index.ts';
import { firstMatch, targetsFor } from '../policies/match.ts';

let t: TestKernel;
let admin: { token: string };
let agent: { token: string };
let calendarId: string;

beforeAll(async () => {
  t = await startTestKernel({ workers: false, plugins: [{ definition: slaPlugin }] });
  admin = await t.createUser({ role: 'admin' });
  agent = await t.createUser({ role: 'agent' });
  const h = [['09:00', '17:00']];
  const cal = await t.request('POST', '/api/v1/sla/calendars', { token: admin.token, body: { name: 'Office', timeZone: 'Europe/Berlin', hours: { mon: h, tue: h, wed: h, thu: h, fri: h } } });
  calendarId = cal.body.id;
});
afterAll(async () => {
  await t?.close();
});

const policy = (name: string, extra: Record<string, unknown> = {}) => ({
  name, calendarId, targets: { urgent: { firstResponse: 30, resolution: 240 }, '*': { firstResponse: 240, nextResponse: 480, resolution: 2400 } }, ...extra,
});
const count = async () => Number((await t.kernel.db.query('select count(*)::int as n from sla_policy'))[0]?.n);

describe('policy API', () => {
  const ids: string[] = [];

  it('creates policies in order with defaults (pause = pending/on-hold, warning 80%)', async () => {
    expect((await t.request('POST', '/api/v1/sla/policies', { token: agent.token, body: policy('VIP') })).status).toBe(403);
    for (const [name, extra] of [['VIP', { conditions: { tagsAny: ['vip'], priorities: ['urgent', 'high'] } }], ['Default', {}]] as const) {
      const res = await t.request('POST', '/api/v1/sla/policies', { token: admin.token, body: policy(name, extra) });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const list = await t.request('GET', '/api/v1/sla/policies', { token: agent.token });
    expect(list.body.items.map((p: { name: string; position: number }) => [p.name, p.position])).toEqual([['VIP', 1], ['Default', 2]]);
    expect(list.body.items[1]).toMatchObject({ pauseStatuses: null, warningPercent: 80, active: true, conditions: {} });
  });

  it('requires a known calendar and known priorities/statuses, naming the field; saves nothing', async () => {
    const before = await count();
    const missing = await t.request('POST', '/api/v1/sla/policies', { token: admin.token, body: { name: 'No cal', targets: { '*': { resolution: 60 } } } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ pointer: '/body/calendarId', message: 'is required' }]);
    const unknown = await t.request('POST', '/api/v1/sla/policies', {
      token: admin.token,
      body: { ...policy('Bad'), calendarId: 'slc_nope', targets: { blocker: { resolution: 60 } }, pauseStatuses: ['snoozed'], conditions: { priorities: ['meh'] } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/calendarId', '/body/conditions/priorities/0', '/body/pauseStatuses/0', '/body/targets/blocker']);
    const zero = await t.request('POST', '/api/v1/sla/policies', { token: admin.token, body: { ...policy('Zero'), targets: { '*': { resolution: 0 } } } });
    expect(zero.body.errors[0].pointer).toBe('/body/targets/*/resolution');
    expect(await count()).toBe(before);
  });

  it('patches, reorders (a full permutation only) and deletes', async () => {
    const patched = await t.request('PATCH', `/api/v1/sla/policies/${ids[1]}`, { token: admin.token, body: { pauseStatuses: ['pending'], warningPercent: 90 } });
    expect(patched.body).toMatchObject({ pauseStatuses: ['pending'], warningPercent: 90, version: 2 });
    const badCal = await t.request('PATCH', `/api/v1/sla/policies/${ids[1]}`, { token: admin.token, body: { calendarId: 'slc_gone' } });
    expect(badCal.body.errors).toEqual([{ pointer: '/body/calendarId', message: 'is not a calendar of this tenant' }]);
    const partial = await t.request('PUT', '/api/v1/sla/policies/order', { token: admin.token, body: { ids: [ids[1]] } });
    expect(partial.status).toBe(400);
    const reordered = await t.request('PUT', '/api/v1/sla/policies/order', { token: admin.token, body: { ids: [ids[1], ids[0]] } });
    expect(reordered.body.items.map((p: { name: string; position: number }) => [p.name, p.position])).toEqual([['Default', 1], ['VIP', 2]]);
    expect((await t.request('DELETE', `/api/v1/sla/calendars/${calendarId}`, { token: admin.token })).status).toBe(409);
    expect((await t.request('DELETE', `/api/v1/sla/policies/${ids[0]}`, { token: admin.token })).status).toBe(204);
    expect((await t.request('GET', `/api/v1/sla/policies/${ids[0]}`, { token: admin.token })).status).toBe(404);
  });
});

describe('policy matching', () => {
  const ticket = { priority: 'high', type: 'incident', organizationId: 'org_1', groupId: null, tags: ['vip', 'eu'], customFields: { plan: 'gold', seats: 50 } };
  const p = (name: string, conditions: object) => ({ name, conditions });
  it('first match wins; every condition must hold', () => {
    expect(firstMatch([p('a', { groupIds: ['grp_1'] }), p('b', { tagsAll: ['vip', 'eu'], customFields: { plan: ['gold', 'platinum'] } }), p('c', {})], ticket)?.name).toBe('b');
    expect(firstMatch([p('a', { tagsNone: ['eu'] }), p('b', { types: [null] })], ticket)).toBeNull();
    expect(firstMatch([p('a', { organizationIds: ['org_1'], customFields: { seats: 50 }, priorities: ['high'] })], ticket)?.name).toBe('a');
  });
  it('targets by priority, else `*`', () => {
    const targets = { urgent: { firstResponse: 30 }, '*': { firstResponse: 240, resolution: null } };
    expect(targetsFor(targets, 'urgent')).toEqual({ firstResponse: 30 });
    expect(targetsFor(targets, 'low')).toEqual({ firstResponse: 240 });
  });
});
