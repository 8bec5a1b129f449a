import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '@ticketops/plugin-sdk';
import { type TestKernel, startTestKernel } from '../../testing/index.ts';

/** Records the events notification plugins consume: merges, mentions, watchers. */
const recorder = definePlugin({
  id: 'recorder', version: '1.0.0', kernel: '^0.1.0',
  migrations: [{ name: '0001', up: ['create table recorder_event (name text, payload jsonb, event_id text unique)'] }],
  register(r) {
    for (const name of ['ticket.merged', 'comment.mentioned', 'ticket.watcher.added']) {
      r.subscribe(name, { id: name.replaceAll('.', '-') }, async (event, scope) => {
        await scope.em.getConnection().execute('insert into recorder_event values (?, ?::jsonb, ?) on conflict do nothing', [event.name, JSON.stringify(event.payload), event.id]);
      });
    }
  },
});

let t: TestKernel;
let agent: { id: string; token: string };
let customer: { id: string; token: string };
const events = async (name: string) => {
  const end = Date.now() + 15_000;
  for (;;) {
    const rows = await t.kernel.db.query<{ payload: Record<string, unknown> }>('select payload from recorder_event where name = ?', [name]);
    if (rows.length || Date.now() > end) return rows.map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload));
    await new Promise((r) => setTimeout(r, 100));
  }
};

beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: recorder }], config: { tickets: { parentClose: 'cascade', bulkInlineLimit: 200 } } });
  agent = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
});
afterAll(async () => {
  await t?.close();
});

describe('events for notifications, and cascading parent close', () => {
  it('a merge tells the merged tickets\' requesters through ticket.merged', async () => {
    const target = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Target' } })).body;
    const source = (await t.request('POST', '/api/v1/tickets', { token: customer.token, body: { title: 'Source' } })).body;
    await t.request('POST', `/api/v1/tickets/${target.id}/merge`, { token: agent.token, body: { ticketIds: [source.id] } });
    expect(await events('ticket.merged')).toEqual([{ targetId: target.id, sourceIds: [source.id], requesterIds: [customer.id] }]);
  });

  it('mentioning an agent or a group in a note emits comment.mentioned; customers cannot be mentioned', async () => {
    const group = (await t.kernel.db.query<{ id: string }>(`insert into agent_group (id, tenant_id, name) values ('grp_tier2', 'ten_default', 'Tier 2') returning id`))[0];
    const ticket = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Mention' } })).body;
    const note = await t.request('POST', `/api/v1/tickets/${ticket.id}/comments`, {
      token: agent.token, body: { body: `@user:${agent.id} and @group:${group?.id}, also @user:${customer.id}`, internal: true },
    });
    expect(await events('comment.mentioned')).toEqual([{ ticketId: ticket.id, commentId: note.body.id, userIds: [agent.id], groupIds: ['grp_tier2'] }]);
  });

  it('closing a parent closes its open children (parentClose: cascade), with history via the parent', async () => {
    const parent = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Parent' } })).body;
    const child = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Child' } })).body;
    await t.request('POST', `/api/v1/tickets/${parent.id}/links`, { token: agent.token, body: { type: 'child', ticketId: child.id } });
    expect((await t.request('PATCH', `/api/v1/tickets/${parent.id}`, { token: agent.token, body: { status: 'closed' } })).status).toBe(200);
    const after = await t.request('GET', `/api/v1/tickets/${child.id}`, { token: agent.token });
    expect(after.body).toMatchObject({ status: 'closed', statusCategory: 'closed' });
    const history = await t.request('GET', `/api/v1/tickets/${child.id}/history`, { token: agent.token });
    expect(history.body.items.at(-1)).toMatchObject({ field: 'status', to: 'closed', via: `parent:${parent.id}` });
  });
});
