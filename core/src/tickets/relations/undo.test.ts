import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../kernel/tenants.ts';
import { type TestKernel, startTestKernel } from '../../testing/index.ts';

let t: TestKernel;
let agent: { id: string; token: string };
let helper: { id: string; token: string };
let customer: { id: string; token: string };
let admin: { id: string; token: string };
const create = async (title: string, extra: Record<string, unknown> = {}, token = agent.token) => (await t.request('POST', '/api/v1/tickets', { token, body: { title, ...extra } })).body;
const get = async (id: string) => (await t.request('GET', `/api/v1/tickets/${id}`, { token: agent.token })).body;
const comment = async (id: string, body: string) => (await t.request('POST', `/api/v1/tickets/${id}/comments`, { token: agent.token, body: { body } })).body;
const commentBodies = async (id: string) => (await t.request('GET', `/api/v1/tickets/${id}/comments`, { token: agent.token })).body.items.map((c: { body: string }) => c.body);
const watchers = async (id: string) => (await t.kernel.db.query<{ user_id: string }>('select user_id from ticket_watcher where ticket_id = ? order by user_id', [id])).map((w) => w.user_id);
const watch = (id: string, userId: string) => t.kernel.db.query('insert into ticket_watcher (ticket_id, user_id, tenant_id) values (?, ?, ?)', [id, userId, 'ten_default']);
const links = async (id: string) => (await t.request('GET', `/api/v1/tickets/${id}/links`, { token: agent.token })).body.items.map((l: { type: string; ticketId: string }) => `${l.type}:${l.ticketId}`);
const history = async (id: string) => (await t.request('GET', `/api/v1/tickets/${id}/history`, { token: agent.token })).body.items as { field: string; from: any; to: any; via: string | null }[];
const merge = (targetId: string, ids: string[]) => t.request('POST', `/api/v1/tickets/${targetId}/merge`, { token: agent.token, body: { ticketIds: ids } });
const unmerge = (id: string, token = agent.token) => t.request('POST', `/api/v1/tickets/${id}/unmerge`, { token });
const sorted = (ids: string[]) => [...ids].sort();

beforeAll(async () => {
  t = await startTestKernel({ workers: false });
  agent = await t.createUser({ role: 'agent' });
  helper = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
  admin = await t.createUser({ role: 'admin' });
});
afterAll(async () => {
  await t?.close();
});

describe('unmerge', () => {
  it('puts one source back exactly; the other source stays merged; a second undo is 409', async () => {
    const target = await create('Email down', { tags: ['email'] });
    const a = await create('Cannot send mail', { tags: ['outlook', 'shared'] }, customer.token);
    const b = await create('Mail bounces', { tags: ['shared', 'vpn'] });
    const solved = (await t.request('PATCH', `/api/v1/tickets/${a.id}`, { token: agent.token, body: { status: 'solved' } })).body;
    await comment(a.id, 'A1');
    await comment(b.id, 'B1');
    await watch(target.id, agent.id);
    await watch(a.id, agent.id);
    await watch(a.id, helper.id);
    await watch(b.id, helper.id);
    expect((await merge(target.id, [a.id, b.id])).status).toBe(200);
    const mergedA = await get(a.id);

    const res = await unmerge(a.id);
    expect(res.status).toBe(200);
    expect(res.body.ticket).toMatchObject({ id: a.id, mergedIntoId: null, status: 'solved', statusCategory: 'solved', solvedAt: solved.solvedAt, closedAt: null, tags: ['outlook', 'shared'] });
    expect(res.body.ticket.version).toBeGreaterThan(mergedA.version);
    // `shared` and the helper stay on the target: b still carries them; the agent watched the target before.
    expect(res.body.target).toMatchObject({ id: target.id, tags: ['email', 'shared', 'vpn'] });
    expect(await commentBodies(a.id)).toEqual(['A1']);
    expect(await commentBodies(target.id)).toEqual(['B1', `Merged #${a.number}, #${b.number} into this ticket.`]);
    expect(await watchers(a.id)).toEqual(sorted([agent.id, helper.id]));
    expect(await watchers(target.id)).toEqual(sorted([agent.id, helper.id]));
    expect(await links(a.id)).toEqual([]);
    expect(await links(target.id)).toEqual([`duplicated_by:${b.id}`]);
    expect(await get(b.id)).toMatchObject({ mergedIntoId: target.id, statusCategory: 'closed' });
    expect((await history(a.id)).filter((h) => h.via === 'unmerge').map((h) => h.field)).toEqual(['mergedInto', 'status', 'commentsMoved', 'watchersMoved']);
    expect((await history(target.id)).find((h) => h.field === 'unmerged')).toMatchObject({ via: 'unmerge', to: { ticketId: a.id, watchersRemoved: [] } });

    const again = await unmerge(a.id);
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('is not merged');

    // Undoing the last source takes away what only the sources gave the target.
    expect((await unmerge(b.id)).body.target.tags).toEqual(['email']);
    expect(await watchers(target.id)).toEqual([agent.id]);
    expect(await watchers(b.id)).toEqual([helper.id]);
    expect(await get(b.id)).toMatchObject({ status: 'new', solvedAt: null, closedAt: null, mergedIntoId: null });
    expect(await commentBodies(b.id)).toEqual(['B1']);
  });

  it('keeps on the target what a later merge also brought, and what was added by hand since', async () => {
    const target = await create('VPN');
    const a = await create('VPN slow', { tags: ['vpn', 'later'] });
    const b = await create('VPN drops', { tags: ['vpn'] });
    await watch(a.id, helper.id);
    await merge(target.id, [a.id]);
    await merge(target.id, [b.id]);
    // Taken off and put back by hand: now the target's own.
    await t.request('PATCH', `/api/v1/tickets/${target.id}`, { token: agent.token, body: { tags: ['vpn'] } });
    await t.request('PATCH', `/api/v1/tickets/${target.id}`, { token: agent.token, body: { tags: ['later', 'vpn'] } });
    await t.request('DELETE', `/api/v1/tickets/${target.id}/watchers/${helper.id}`, { token: agent.token });
    await t.request('PUT', `/api/v1/tickets/${target.id}/watchers/${helper.id}`, { token: agent.token });

    expect((await unmerge(a.id)).body.target.tags).toEqual(['later', 'vpn']);
    expect(await watchers(target.id)).toEqual([helper.id]);
    expect((await unmerge(b.id)).body.target.tags).toEqual(['later']);
  });

  it('is refused for customers, unknown or foreign tickets, and when the target was deleted', async () => {
    const target = await create('T');
    const source = await create('S');
    await merge(target.id, [source.id]);
    expect((await unmerge(source.id, customer.token)).status).toBe(403);
    expect((await unmerge('tkt_nope')).status).toBe(404);
    const other = await createTenant(t.kernel.db, { slug: 'undo-other', name: 'Other' });
    await t.kernel.db.query(
      `insert into ticket (id, tenant_id, number, title, status, status_category, priority, merged_into_id) values ('tkt_foreign', ?, 1, 'Foreign', 'closed', 'closed', 'normal', ?)`,
      [other.id, target.id],
    );
    expect((await unmerge('tkt_foreign')).status).toBe(404);
    expect((await t.request('DELETE', `/api/v1/tickets/${target.id}`, { token: admin.token })).status).toBe(204);
    const gone = await unmerge(source.id);
    expect(gone.status).toBe(409);
    expect(gone.body.detail).toContain('deleted');
    expect((await get(source.id)).mergedIntoId).toBe(target.id);
  });

  it('writes nothing when it fails part way', async () => {
    const target = await create('Printer', { tags: ['print'] });
    const source = await create('Printer jam', { tags: ['jam'] });
    await comment(source.id, 'Jammed again');
    await watch(source.id, helper.id);
    await merge(target.id, [source.id]);
    const [before, targetBefore, historyBefore] = [await get(source.id), await get(target.id), (await history(source.id)).length];
    // Fails late: removing the duplicate_of link comes after the comments, watchers and tickets are written.
    await t.kernel.db.query(`create function undo_test_fail() returns trigger language plpgsql as $$ begin raise exception 'link removal refused'; end $$`);
    await t.kernel.db.query('create trigger undo_test_fail before delete on ticket_link for each row execute function undo_test_fail()');
    try {
      expect((await unmerge(source.id)).status).toBe(500);
    } finally {
      await t.kernel.db.query('drop trigger undo_test_fail on ticket_link');
    }
    expect(await get(source.id)).toEqual(before);
    expect(await get(target.id)).toEqual(targetBefore);
    expect(await commentBodies(target.id)).toEqual(['Jammed again', `Merged #${source.number} into this ticket.`]);
    expect(await watchers(target.id)).toEqual([helper.id]);
    expect(await watchers(source.id)).toEqual([]);
    expect(await history(source.id)).toHaveLength(historyBefore);
    expect((await unmerge(source.id)).status).toBe(200);
  });
});

describe('unsplit', () => {
  it('moves the split comments back and deletes the split-off ticket', async () => {
    const original = await create('Two problems');
    const first = await comment(original.id, 'Problem one');
    const second = await comment(original.id, 'Problem two');
    const split = (await t.request('POST', `/api/v1/tickets/${original.id}/split`, { token: agent.token, body: { commentIds: [second.id] } })).body;
    expect((await t.request('POST', `/api/v1/tickets/${split.id}/unsplit`, { token: customer.token })).status).toBe(403);
    expect((await t.request('POST', `/api/v1/tickets/${original.id}/unsplit`, { token: agent.token })).status).toBe(409);

    const res = await t.request('POST', `/api/v1/tickets/${split.id}/unsplit`, { token: agent.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: original.id });
    expect(res.body.version).toBeGreaterThan(original.version);
    const comments = (await t.request('GET', `/api/v1/tickets/${original.id}/comments`, { token: agent.token })).body.items.map((c: { id: string }) => c.id);
    expect(comments).toEqual([first.id, second.id]);
    expect((await t.request('GET', `/api/v1/tickets/${split.id}`, { token: agent.token })).status).toBe(404);
    const list = await t.request('GET', '/api/v1/tickets?limit=100', { token: agent.token });
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(split.id);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(original.id);
    expect(await links(original.id)).toEqual([]);
    expect((await history(original.id)).find((h) => h.via === 'unsplit')).toMatchObject({ field: 'splitTo', to: null, from: { ticketId: split.id } });
    expect((await t.request('POST', `/api/v1/tickets/${split.id}/unsplit`, { token: agent.token })).status).toBe(404);
  });

  it('is refused while the split-off ticket has comments of its own', async () => {
    const original = await create('Mixed');
    const moved = await comment(original.id, 'Other issue');
    const split = (await t.request('POST', `/api/v1/tickets/${original.id}/split`, { token: agent.token, body: { commentIds: [moved.id] } })).body;
    await comment(split.id, 'Follow-up on the other issue');
    const res = await t.request('POST', `/api/v1/tickets/${split.id}/unsplit`, { token: agent.token });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('added after the split');
    expect(await commentBodies(split.id)).toEqual(['Other issue', 'Follow-up on the other issue']);
    expect(await get(split.id)).toMatchObject({ id: split.id });
  });
});
