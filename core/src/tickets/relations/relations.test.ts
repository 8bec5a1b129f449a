import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../../testing/index.ts';

let t: TestKernel;
let agent: { id: string; token: string };
let customer: { id: string; token: string };
const create = async (title: string, extra: Record<string, unknown> = {}, token = agent.token) => (await t.request('POST', '/api/v1/tickets', { token, body: { title, ...extra } })).body;

beforeAll(async () => {
  t = await startTestKernel({ workers: false, config: { tickets: { parentClose: 'require', bulkInlineLimit: 200 } } });
  agent = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
});
afterAll(async () => {
  await t?.close();
});

describe('links', () => {
  it('are stored on both sides with inverse types and listed with the other ticket', async () => {
    const parent = await create('Office move');
    const child = await create('Move printers');
    const res = await t.request('POST', `/api/v1/tickets/${child.id}/links`, { token: agent.token, body: { type: 'parent', ticketId: parent.id } });
    expect(res.status).toBe(201);
    expect(res.body.items).toEqual([expect.objectContaining({ type: 'parent', ticketId: parent.id, number: parent.number, title: 'Office move' })]);
    const other = await t.request('GET', `/api/v1/tickets/${parent.id}/links`, { token: agent.token });
    expect(other.body.items).toEqual([expect.objectContaining({ type: 'child', ticketId: child.id })]);
    const history = await t.request('GET', `/api/v1/tickets/${parent.id}/history`, { token: agent.token });
    expect(history.body.items.at(-1)).toMatchObject({ field: 'link', to: { type: 'child', ticketId: child.id } });

    const blocker = await create('Order van');
    await t.request('POST', `/api/v1/tickets/${child.id}/links`, { token: agent.token, body: { type: 'blocked_by', ticketId: blocker.id } });
    expect((await t.request('GET', `/api/v1/tickets/${blocker.id}/links`, { token: agent.token })).body.items[0].type).toBe('blocks');
    expect((await t.request('DELETE', `/api/v1/tickets/${blocker.id}/links/blocks/${child.id}`, { token: agent.token })).status).toBe(204);
    expect((await t.request('GET', `/api/v1/tickets/${child.id}/links`, { token: agent.token })).body.items.map((l: { type: string }) => l.type)).toEqual(['parent']);
  });

  it('rejects self links, unknown tickets, parent cycles and second parents', async () => {
    const a = await create('A');
    const b = await create('B');
    const c = await create('C');
    expect((await t.request('POST', `/api/v1/tickets/${a.id}/links`, { token: agent.token, body: { type: 'related', ticketId: a.id } })).status).toBe(400);
    expect((await t.request('POST', `/api/v1/tickets/${a.id}/links`, { token: agent.token, body: { type: 'related', ticketId: 'tkt_missing' } })).status).toBe(404);
    expect((await t.request('POST', `/api/v1/tickets/${a.id}/links`, { token: agent.token, body: { type: 'cousin', ticketId: b.id } })).status).toBe(400);
    await t.request('POST', `/api/v1/tickets/${b.id}/links`, { token: agent.token, body: { type: 'parent', ticketId: a.id } });
    await t.request('POST', `/api/v1/tickets/${c.id}/links`, { token: agent.token, body: { type: 'parent', ticketId: b.id } });
    const cycle = await t.request('POST', `/api/v1/tickets/${a.id}/links`, { token: agent.token, body: { type: 'parent', ticketId: c.id } });
    expect(cycle.status).toBe(409);
    expect(cycle.body.detail).toContain('cycle');
    const second = await t.request('POST', `/api/v1/tickets/${c.id}/links`, { token: agent.token, body: { type: 'parent', ticketId: a.id } });
    expect(second.status).toBe(409);
  });

  it('closing a parent requires its children closed first (parentClose: require)', async () => {
    const parent = await create('Rollout');
    const child = await create('Rollout step 1');
    await t.request('POST', `/api/v1/tickets/${parent.id}/links`, { token: agent.token, body: { type: 'child', ticketId: child.id } });
    const blocked = await t.request('PATCH', `/api/v1/tickets/${parent.id}`, { token: agent.token, body: { status: 'solved' } });
    expect(blocked.status).toBe(409);
    expect(blocked.body.detail).toContain(`#${child.number}`);
    await t.request('PATCH', `/api/v1/tickets/${child.id}`, { token: agent.token, body: { status: 'closed' } });
    expect((await t.request('PATCH', `/api/v1/tickets/${parent.id}`, { token: agent.token, body: { status: 'solved' } })).status).toBe(200);
  });
});

describe('merge and split', () => {
  it('merges: comments, tags and watchers move; sources closed, linked and marked; history on both', async () => {
    const target = await create('Email down', { tags: ['email'] });
    const source = await create('Cannot send mail', { tags: ['outlook'] }, customer.token);
    await t.request('POST', `/api/v1/tickets/${source.id}/comments`, { token: customer.token, body: { body: 'Still broken' } });
    await t.kernel.db.query('insert into ticket_watcher (ticket_id, user_id, tenant_id) values (?, ?, ?)', [source.id, agent.id, 'ten_default']);
    const res = await t.request('POST', `/api/v1/tickets/${target.id}/merge`, { token: agent.token, body: { ticketIds: [source.id] } });
    expect(res.status).toBe(200);
    expect(res.body.ticket.tags).toEqual(['email', 'outlook']);
    const comments = await t.request('GET', `/api/v1/tickets/${target.id}/comments`, { token: agent.token });
    expect(comments.body.items.map((c: { body: string }) => c.body)).toEqual(['Still broken', `Merged #${source.number} into this ticket.`]);
    const merged = await t.request('GET', `/api/v1/tickets/${source.id}`, { token: agent.token });
    expect(merged.body).toMatchObject({ mergedIntoId: target.id, statusCategory: 'closed' });
    expect((await t.request('GET', `/api/v1/tickets/${source.id}/links`, { token: agent.token })).body.items[0]).toMatchObject({ type: 'duplicate_of', ticketId: target.id });
    expect(await t.kernel.db.query('select user_id from ticket_watcher where ticket_id = ?', [target.id])).toEqual([{ user_id: agent.id }]);
    const history = await t.request('GET', `/api/v1/tickets/${source.id}/history`, { token: agent.token });
    expect(history.body.items.find((h: { field: string }) => h.field === 'commentsMoved').to.commentIds).toHaveLength(1);
  });

  it('rejects merging into itself, twice, or tickets that cannot be seen; customers cannot merge', async () => {
    const target = await create('T');
    const source = await create('S');
    expect((await t.request('POST', `/api/v1/tickets/${target.id}/merge`, { token: agent.token, body: { ticketIds: [target.id] } })).status).toBe(400);
    const missing = await t.request('POST', `/api/v1/tickets/${target.id}/merge`, { token: agent.token, body: { ticketIds: [source.id, 'tkt_nope'] } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].pointer).toBe('/body/ticketIds/1');
    expect((await t.request('GET', `/api/v1/tickets/${source.id}`, { token: agent.token })).body.mergedIntoId).toBeNull();
    expect((await t.request('POST', `/api/v1/tickets/${target.id}/merge`, { token: customer.token, body: { ticketIds: [source.id] } })).status).toBe(403);
    await t.request('POST', `/api/v1/tickets/${target.id}/merge`, { token: agent.token, body: { ticketIds: [source.id] } });
    expect((await t.request('POST', `/api/v1/tickets/${target.id}/merge`, { token: agent.token, body: { ticketIds: [source.id] } })).status).toBe(400);
  });

  it('splits chosen comments into a new ticket linked to the original', async () => {
    const original = await create('Two problems', { priority: 'high', tags: ['mixed'] });
    const first = (await t.request('POST', `/api/v1/tickets/${original.id}/comments`, { token: agent.token, body: { body: 'Problem one details' } })).body;
    const second = (await t.request('POST', `/api/v1/tickets/${original.id}/comments`, { token: agent.token, body: { body: 'Problem two: the scanner' } })).body;
    const res = await t.request('POST', `/api/v1/tickets/${original.id}/split`, { token: agent.token, body: { commentIds: [second.id] } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ title: `Two problems (split from #${original.number})`, description: 'Problem two: the scanner', priority: 'high', tags: ['mixed'] });
    expect((await t.request('GET', `/api/v1/tickets/${res.body.id}/comments`, { token: agent.token })).body.items.map((c: { id: string }) => c.id)).toEqual([second.id]);
    expect((await t.request('GET', `/api/v1/tickets/${original.id}/comments`, { token: agent.token })).body.items.map((c: { id: string }) => c.id)).toEqual([first.id]);
    expect((await t.request('GET', `/api/v1/tickets/${original.id}/links`, { token: agent.token })).body.items[0]).toMatchObject({ type: 'related', ticketId: res.body.id });
    const bad = await t.request('POST', `/api/v1/tickets/${original.id}/split`, { token: agent.token, body: { commentIds: [first.id, 'cmt_other'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ pointer: '/body/commentIds/1', message: 'is not a comment of this ticket' }]);
  });
});
