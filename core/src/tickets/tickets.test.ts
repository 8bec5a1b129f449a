import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../testing/index.ts';

let t: TestKernel;
let agent: { id: string; token: string };
let admin: { id: string; token: string };
let customer: { id: string; token: string; email: string };

beforeAll(async () => {
  t = await startTestKernel({ workers: false });
  agent = await t.createUser({ role: 'agent' });
  admin = await t.createUser({ role: 'admin' });
  customer = await t.createUser({ role: 'customer' });
  await t.kernel.db.query(
    `insert into ticket_type (id, tenant_id, name, fields_schema) values ('tty_bug', 'ten_default', 'bug', ?::jsonb)`,
    [JSON.stringify({ type: 'object', additionalProperties: false, properties: { severity: { enum: ['minor', 'major'] }, build: { type: 'integer', minimum: 1 } }, required: ['severity'] })],
  );
});
afterAll(async () => {
  await t?.close();
});

describe('tickets', () => {
  it('creates with defaults, per-tenant numbers, a new customer from an email, and an ETag', async () => {
    const a = await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Printer on fire', requester: { email: 'New.Person@Example.com', name: 'New Person' }, tags: ['Hardware', 'urgent', 'hardware'] } });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ title: 'Printer on fire', status: 'new', statusCategory: 'new', priority: 'normal', tags: ['hardware', 'urgent'], version: 1 });
    expect(a.headers.get('etag')).toBe('"1"');
    const requester = await t.kernel.db.query<{ role: string; email: string }>('select role, email from app_user where id = ?', [a.body.requesterId]);
    expect(requester).toEqual([{ role: 'customer', email: 'new.person@example.com' }]);
    const b = await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Second' } });
    expect(b.body.number).toBe(a.body.number + 1);
    const byNumber = await t.request('GET', `/api/v1/tickets/by-number/${b.body.number}`, { token: agent.token });
    expect(byNumber.body.id).toBe(b.body.id);
  });

  it('unknown status, priority, type or user → 400 naming each field; nothing written', async () => {
    const before = (await t.kernel.db.query<{ n: number }>('select count(*)::int as n from ticket'))[0]?.n;
    const res = await t.request('POST', '/api/v1/tickets', {
      token: agent.token,
      body: { title: 'x', status: 'limbo', priority: 'meh', type: 'nope', assigneeId: 'usr_missing', groupId: 'grp_missing' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/assigneeId', '/body/groupId', '/body/priority', '/body/status', '/body/type']);
    expect((await t.kernel.db.query<{ n: number }>('select count(*)::int as n from ticket'))[0]?.n).toBe(before);
  });

  it('validates custom fields against the type schema, listing every failing field', async () => {
    const bad = await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Bug', type: 'bug', customFields: { build: 0, colour: 'red' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/customFields/build', '/body/customFields/colour', '/body/customFields/severity']);
    const ok = await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Bug', type: 'bug', customFields: { severity: 'major', build: 7 } } });
    expect(ok.status).toBe(201);
    const patched = await t.request('PATCH', `/api/v1/tickets/${ok.body.id}`, { token: agent.token, body: { customFields: { build: null, severity: 'minor' } } });
    expect(patched.body.customFields).toEqual({ severity: 'minor' });
    const badPatch = await t.request('PATCH', `/api/v1/tickets/${ok.body.id}`, { token: agent.token, body: { customFields: { severity: 'catastrophic' } } });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.errors[0].pointer).toBe('/body/customFields/severity');
  });

  it('updates with optimistic concurrency: a stale If-Match answers 412 and changes nothing', async () => {
    const created = await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Race' } });
    const first = await t.request('PATCH', `/api/v1/tickets/${created.body.id}`, { token: agent.token, headers: { 'if-match': '"1"' }, body: { priority: 'high' } });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(2);
    const stale = await t.request('PATCH', `/api/v1/tickets/${created.body.id}`, { token: agent.token, headers: { 'if-match': '"1"' }, body: { priority: 'low' } });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('precondition_failed');
    const staleBody = await t.request('PATCH', `/api/v1/tickets/${created.body.id}`, { token: agent.token, body: { priority: 'low', version: 1 } });
    expect(staleBody.status).toBe(412);
    const now = await t.request('GET', `/api/v1/tickets/${created.body.id}`, { token: agent.token });
    expect(now.body).toMatchObject({ priority: 'high', version: 2 });
  });

  it('records history per field and sets solved/closed timestamps', async () => {
    const created = await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'History' } });
    await t.request('PATCH', `/api/v1/tickets/${created.body.id}`, { token: agent.token, body: { status: 'solved', assigneeId: agent.id } });
    const solved = await t.request('GET', `/api/v1/tickets/${created.body.id}`, { token: agent.token });
    expect(solved.body.solvedAt).not.toBeNull();
    expect(solved.body.closedAt).toBeNull();
    const history = await t.request('GET', `/api/v1/tickets/${created.body.id}/history`, { token: agent.token });
    expect(history.body.items.map((h: { field: string }) => h.field)).toEqual(['created', 'status', 'assigneeId']);
    expect(history.body.items[1]).toMatchObject({ from: 'new', to: 'solved', actorId: agent.id, channel: 'api' });
    await t.request('PATCH', `/api/v1/tickets/${created.body.id}`, { token: agent.token, body: { status: 'open' } });
    expect((await t.request('GET', `/api/v1/tickets/${created.body.id}`, { token: agent.token })).body.solvedAt).toBeNull();
  });

  it('customers see their own tickets only, never internal notes, and cannot write notes or staff fields', async () => {
    const mine = await t.request('POST', '/api/v1/tickets', { token: customer.token, body: { title: 'Help me', description: 'please' } });
    expect(mine.status).toBe(201);
    expect(mine.body.requesterId).toBe(customer.id);
    const staffField = await t.request('POST', '/api/v1/tickets', { token: customer.token, body: { title: 'x', priority: 'urgent' } });
    expect(staffField.status).toBe(403);
    expect(staffField.body.errors[0].pointer).toBe('/body/priority');

    const other = await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Not yours' } });
    expect((await t.request('GET', `/api/v1/tickets/${other.body.id}`, { token: customer.token })).status).toBe(404);

    await t.request('POST', `/api/v1/tickets/${mine.body.id}/comments`, { token: agent.token, body: { body: 'We are on it' } });
    const note = await t.request('POST', `/api/v1/tickets/${mine.body.id}/comments`, { token: agent.token, body: { body: 'Customer is grumpy', internal: true } });
    expect(note.status).toBe(201);
    const asCustomer = await t.request('GET', `/api/v1/tickets/${mine.body.id}/comments`, { token: customer.token });
    expect(asCustomer.body.items.map((c: { body: string }) => c.body)).toEqual(['We are on it']);
    const asAgent = await t.request('GET', `/api/v1/tickets/${mine.body.id}/comments`, { token: agent.token });
    expect(asAgent.body.items.map((c: { internal: boolean }) => c.internal)).toEqual([false, true]);

    const customerNote = await t.request('POST', `/api/v1/tickets/${mine.body.id}/comments`, { token: customer.token, body: { body: 'sneaky', internal: true } });
    expect(customerNote.status).toBe(403);
    expect((await t.request('POST', `/api/v1/tickets/${mine.body.id}/comments`, { token: customer.token, body: { body: 'thanks' } })).status).toBe(201);
    expect((await t.request('PATCH', `/api/v1/tickets/${mine.body.id}`, { token: customer.token, body: { title: 'changed' } })).status).toBe(403);
    expect((await t.request('GET', `/api/v1/tickets/${mine.body.id}/history`, { token: customer.token })).status).toBe(403);
  });

  it('the first public staff reply sets firstResponseAt; an internal note does not', async () => {
    const created = await t.request('POST', '/api/v1/tickets', { token: customer.token, body: { title: 'Waiting' } });
    await t.request('POST', `/api/v1/tickets/${created.body.id}/comments`, { token: agent.token, body: { body: 'note', internal: true } });
    expect((await t.request('GET', `/api/v1/tickets/${created.body.id}`, { token: agent.token })).body.firstResponseAt).toBeNull();
    await t.request('POST', `/api/v1/tickets/${created.body.id}/comments`, { token: agent.token, body: { body: 'reply' } });
    expect((await t.request('GET', `/api/v1/tickets/${created.body.id}`, { token: agent.token })).body.firstResponseAt).not.toBeNull();
  });

  it('deletes (admins only), after which the ticket is gone from the API and audited', async () => {
    const created = await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Delete me' } });
    expect((await t.request('DELETE', `/api/v1/tickets/${created.body.id}`, { token: agent.token })).status).toBe(403);
    expect((await t.request('DELETE', `/api/v1/tickets/${created.body.id}`, { token: admin.token })).status).toBe(204);
    expect((await t.request('GET', `/api/v1/tickets/${created.body.id}`, { token: admin.token })).status).toBe(404);
    const audit = await t.request('GET', '/api/v1/audit?action=ticket.deleted', { token: admin.token });
    expect(audit.body.items[0]).toMatchObject({ action: 'ticket.deleted', targetId: created.body.id });
  });
});
