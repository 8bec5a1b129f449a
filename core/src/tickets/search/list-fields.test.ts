import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '@ticketops/plugin-sdk';
import { type TestKernel, startTestKernel } from '../../testing/index.ts';

/** A plugin keeping a score and a deadline per ticket, declared as list fields. */
const probe = definePlugin({
  id: 'probe', version: '1.0.0', kernel: '^0.1.0',
  migrations: [{ name: '0001', up: ['create table probe_value (ticket_id text primary key, tenant_id text not null, score float8, due timestamptz)'] }],
  register(r) {
    r.ticketListFields([
      { name: 'probe.score', description: 'A score', type: 'number', table: 'probe_value', column: 'score' },
      { name: 'probe.due', description: 'A deadline', type: 'timestamp', table: 'probe_value', column: 'due' },
    ]);
  },
});

let t: TestKernel;
let agent: { id: string; token: string };
let customer: { id: string; token: string };
const ids: string[] = [];
const get = async (path: string, token = agent.token) => t.request('GET', path, { token });
const allPages = async (path: string, token = agent.token) => {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await get(`${path}${path.includes('?') ? '&' : '?'}limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
    expect(page.status).toBe(200);
    seen.push(...page.body.items.map((i: { id: string }) => i.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  return seen;
};

beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: probe }] });
  agent = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
  // Scores 3, 1, 2, (none), 5 — the fourth ticket has no row at all, the fifth is the customer's.
  const scores = [3, 1, 2, null, 5];
  for (const [i, score] of scores.entries()) {
    const token = i === 4 ? customer.token : agent.token;
    const created = (await t.request('POST', '/api/v1/tickets', { token, body: { title: `T${i}` } })).body;
    ids.push(created.id);
    if (score !== null) {
      await t.kernel.db.query('insert into probe_value values (?, ?, ?, ?)', [created.id, 'ten_default', score, `2026-12-0${score}T12:00:00Z`]);
    }
  }
});
afterAll(async () => {
  await t?.close();
});

describe('plugin list fields: sort and filter ticket lists by a value a plugin keeps', () => {
  it('sorts by the field in either direction across cursor pages, listing only tickets that have a value', async () => {
    expect(await allPages('/api/v1/tickets?sort=probe.score')).toEqual([ids[1], ids[2], ids[0], ids[4]]);
    expect(await allPages('/api/v1/tickets?sort=-probe.score')).toEqual([ids[4], ids[0], ids[2], ids[1]]);
    // Visibility still applies: the customer sees only their own ticket.
    expect(await allPages('/api/v1/tickets?sort=probe.score', customer.token)).toEqual([ids[4]]);
  });

  it('filters by ranges of the field, combined with the kernel filters', async () => {
    expect(await allPages('/api/v1/tickets?sort=number&field.probe.due.lt=2026-12-03T00:00:00Z')).toEqual([ids[1], ids[2]]);
    expect(await allPages('/api/v1/tickets?sort=number&field.probe.score.gte=2&field.probe.score.lt=5')).toEqual([ids[0], ids[2]]);
    expect(await allPages(`/api/v1/tickets?sort=number&field.probe.score.gt=0&requesterId=${customer.id}`)).toEqual([ids[4]]);
  });

  it('lists the declared fields, and carries their values on listed tickets when asked', async () => {
    expect((await get('/api/v1/list-fields')).body.items).toEqual([
      { name: 'probe.score', description: 'A score', type: 'number' },
      { name: 'probe.due', description: 'A deadline', type: 'timestamp' },
    ]);
    const page = await get('/api/v1/tickets?sort=number&fields=probe.score,probe.due');
    const byId = new Map(page.body.items.map((i: { id: string; fields: unknown }) => [i.id, i.fields]));
    expect(byId.get(ids[0])).toEqual({ 'probe.score': 3, 'probe.due': '2026-12-03T12:00:00.000Z' });
    expect(byId.get(ids[3])).toEqual({ 'probe.score': null, 'probe.due': null });
    expect((await get('/api/v1/tickets')).body.items[0].fields).toBeUndefined();
    const unknown = await get('/api/v1/tickets?fields=probe.score,nope.x');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ pointer: '/query/fields', message: '"nope.x" is not a known list field' }]);
  });

  it('answers 400 naming the parameter for an unknown field or a value of the wrong type', async () => {
    const sort = await get('/api/v1/tickets?sort=probe.nothing');
    expect(sort.status).toBe(400);
    expect(sort.body.errors).toEqual([{ pointer: '/query/sort', message: 'is not a sortable field' }]);
    const filter = await get('/api/v1/tickets?field.other.thing.lt=3');
    expect(filter.status).toBe(400);
    expect(filter.body.errors[0].pointer).toBe('/query/field.other.thing');
    const wrong = await get('/api/v1/tickets?field.probe.due.lt=tomorrow');
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([{ pointer: '/query/field.probe.due.lt', message: 'must be a date-time' }]);
  });

  it('saved views keep a field sort and filter, and refuse fields no plugin declares', async () => {
    const view = await t.request('POST', '/api/v1/views', { token: agent.token, body: { name: 'By score', sort: '-probe.score', filter: { fields: { 'probe.score': { lte: 3 } } } } });
    expect(view.status).toBe(201);
    const listed = await get(`/api/v1/views/${view.body.id}/tickets?fields=probe.score`);
    expect(listed.body.items.map((i: { id: string }) => i.id)).toEqual([ids[0], ids[2], ids[1]]);
    expect(listed.body.items.map((i: { fields: Record<string, number> }) => i.fields['probe.score'])).toEqual([3, 2, 1]);
    const counts = await get('/api/v1/views/counts');
    expect(counts.body.items.find((c: { id: string }) => c.id === view.body.id)?.count).toBe(3);

    const bad = await t.request('POST', '/api/v1/views', { token: agent.token, body: { name: 'Bad', filter: { fields: { 'nope.field': { lt: 1 } } } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/body/filter/fields/nope.field');
    const badSort = await t.request('POST', '/api/v1/views', { token: agent.token, body: { name: 'Bad', sort: 'nope.field' } });
    expect(badSort.status).toBe(400);
    // `constructor` as a range operator never reaches SQL.
    const proto = await t.request('POST', '/api/v1/views', { token: agent.token, body: { name: 'Bad', filter: { fields: { 'probe.score': { constructor: 1 } } } } });
    expect(proto.status).toBe(400);
  });

  it('a plugin may only declare its own tables and plain identifiers', async () => {
    const bad = (table: string, column: string, name = 'evil.x') =>
      definePlugin({ id: 'evil', version: '1.0.0', kernel: '^0.1.0', register: (r) => r.ticketListFields([{ name, description: '', type: 'number', table, column }]) });
    await expect(startTestKernel({ plugins: [{ definition: bad('ticket', 'number') }] })).rejects.toThrow(/the table must be one of the plugin's own/);
    await expect(startTestKernel({ plugins: [{ definition: bad('evil_t', 'x; drop table ticket') }] })).rejects.toThrow(/plain lower-case identifier/);
    await expect(startTestKernel({ plugins: [{ definition: bad('evil_t', 'x', 'probe.x') }] })).rejects.toThrow(/the name must be "evil\./);
  });
});
