import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../testing/index.ts';

/** The requester's own status moves: a reply reopens a pending or solved ticket; "mark solved". */
let t: TestKernel;
let agent: { id: string; token: string };
let customer: { id: string; token: string };
let colleague: { id: string; token: string };

const api = (token: string, method: string, path: string, body?: unknown) => t.request(method, `/api/v1${path}`, { token, body });
const history = async (ticketId: string) =>
  (await t.kernel.db.query<{ field: string; new_value: unknown; via: string | null; actor_id: string }>(
    "select field, new_value, via, actor_id from ticket_history where ticket_id = ? and field = 'status' order by created_at, id",
    [ticketId],
  )).map((h) => ({ to: h.new_value, via: h.via, actor: h.actor_id }));

beforeAll(async () => {
  t = await startTestKernel({ workers: false });
  agent = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
  colleague = await t.createUser({ role: 'customer' });
  // The two customers share an organization that shares its tickets: the colleague sees the ticket.
  const org = (await api((await t.createUser({ role: 'admin' })).token, 'POST', '/organizations', { name: 'Acme', sharedTickets: true })).body;
  for (const u of [customer, colleague]) await t.kernel.db.query('update app_user set organization_id = ? where id = ?', [org.id, u.id]);
});
afterAll(async () => {
  await t?.close();
});

const newTicket = async (status: string) => {
  const ticket = (await api(agent.token, 'POST', '/tickets', { title: `Waiting (${status})`, requester: customer.id })).body;
  return (await api(agent.token, 'PATCH', `/tickets/${ticket.id}`, { status })).body;
};

describe("the requester's status moves", () => {
  it('reopens a pending or solved ticket when its requester replies publicly, as the requester, via requester-reply', async () => {
    for (const status of ['pending', 'solved']) {
      const ticket = await newTicket(status);
      expect((await api(customer.token, 'POST', `/tickets/${ticket.id}/comments`, { body: 'Still broken.' })).status).toBe(201);
      const after = (await api(agent.token, 'GET', `/tickets/${ticket.id}`)).body;
      expect(after).toMatchObject({ status: 'open', statusCategory: 'open' });
      expect((await history(ticket.id)).at(-1)).toEqual({ to: 'open', via: 'requester-reply', actor: customer.id });
    }
  });

  it('leaves the status alone for staff replies, internal notes, a colleague, on-hold and closed tickets', async () => {
    const pending = await newTicket('pending');
    await api(agent.token, 'POST', `/tickets/${pending.id}/comments`, { body: 'Any news?' });
    await api(agent.token, 'POST', `/tickets/${pending.id}/comments`, { body: 'note', internal: true });
    await api(colleague.token, 'POST', `/tickets/${pending.id}/comments`, { body: 'Me too.' });
    expect((await api(agent.token, 'GET', `/tickets/${pending.id}`)).body.status).toBe('pending');
    for (const status of ['on-hold', 'closed']) {
      const ticket = await newTicket(status);
      await api(customer.token, 'POST', `/tickets/${ticket.id}/comments`, { body: 'Hello?' });
      expect((await api(agent.token, 'GET', `/tickets/${ticket.id}`)).body.status).toBe(status);
    }
  });

  it('lets the requester mark a request solved; a colleague gets 403, a closed ticket 409, a stranger 404', async () => {
    const ticket = await newTicket('open');
    expect((await api(colleague.token, 'POST', `/tickets/${ticket.id}/solve`)).status).toBe(403);
    const stranger = await t.createUser({ role: 'customer' });
    expect((await api(stranger.token, 'POST', `/tickets/${ticket.id}/solve`)).status).toBe(404);
    const solved = await api(customer.token, 'POST', `/tickets/${ticket.id}/solve`);
    expect(solved.status).toBe(200);
    expect(solved.body).toMatchObject({ status: 'solved', statusCategory: 'solved' });
    expect(solved.headers.get('etag')).toBe(`"${solved.body.version}"`);
    expect((await history(ticket.id)).at(-1)).toEqual({ to: 'solved', via: 'requester', actor: customer.id });
    // Again: answered as it is, nothing changes.
    expect((await api(customer.token, 'POST', `/tickets/${ticket.id}/solve`)).body.version).toBe(solved.body.version);
    const closed = await newTicket('closed');
    expect((await api(customer.token, 'POST', `/tickets/${closed.id}/solve`)).status).toBe(409);
  });
});
