import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PluginInitContext, type TicketsService, definePlugin } from '@ticketops/plugin-sdk';
import { type TestKernel, startTestKernel } from '../testing/index.ts';
import { createTenant } from './tenants.ts';

/** A plugin that keeps its init context, to act through the `tickets` service as a plugin would. */
let ctx: PluginInitContext<unknown>;
const probe = definePlugin({
  id: 'probe', version: '1.0.0', kernel: '^0.1.0',
  init(c) {
    ctx = c as PluginInitContext<unknown>;
  },
});

let t: TestKernel;
let agent: { id: string; token: string };
let tickets: TicketsService;
const tenant = 'ten_default';

beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: probe }] });
  agent = await t.createUser({ role: 'agent' });
  tickets = ctx.resolve<TicketsService>('tickets');
});
afterAll(async () => {
  await t?.close();
});

describe('the tickets service plugins use', () => {
  it('creates a ticket as a customer found or made by email, who then replies as themself', async () => {
    const person = await ctx.forTenant(tenant, (s) => tickets.person(s, 'New.Sender@Example.org', { create: { name: 'New Sender' } }));
    expect(person).toMatchObject({ role: 'customer', created: true });
    expect(await ctx.forTenant(tenant, (s) => tickets.person(s, 'new.sender@example.org', {}))).toMatchObject({ id: person?.id, created: false });
    expect(await ctx.forTenant(tenant, (s) => tickets.person(s, 'nobody@example.org', {}))).toBeNull();

    const ticket = await ctx.forUser(tenant, person?.id as string, (s) => tickets.create(s, { title: 'Printer on fire', description: 'Smoke', channel: 'email' }, { via: 'probe' }));
    expect(ticket).toMatchObject({ requesterId: person?.id, channel: 'email', status: 'new' });
    const comment = await ctx.forUser(tenant, person?.id as string, (s) => tickets.comment(s, ticket.id, { body: 'Still burning', channel: 'email' }, {}));
    expect(comment).toMatchObject({ authorId: person?.id, internal: false, channel: 'email' });

    // What the API shows: the history names the plugin, the customer is the author.
    const history = await t.request('GET', `/api/v1/tickets/${ticket.id}/history`, { token: agent.token });
    expect(history.body.items.find((h: { field: string }) => h.field === 'created')).toMatchObject({ actorId: person?.id, channel: 'email', via: 'probe' });
    // A customer is still held to the kernel's rules: no internal notes.
    await expect(ctx.forUser(tenant, person?.id as string, (s) => tickets.comment(s, ticket.id, { body: 'x', internal: true }, {}))).rejects.toMatchObject({ code: 'forbidden' });
    expect(await ctx.forTenant(tenant, (s) => tickets.idByNumber(s, ticket.number))).toBe(ticket.id);
    expect(await ctx.forTenant(tenant, (s) => tickets.idByNumber(s, 987654))).toBeNull();
  });

  it('an automatic public reply by the system is not the first response; a person\'s is', async () => {
    const ticket = await ctx.forTenant(tenant, (s) => tickets.create(s, { title: 'Auto', requester: { email: 'auto@example.org' } }, { via: 'probe' }));
    await ctx.forTenant(tenant, (s) => tickets.comment(s, ticket.id, { body: 'We got your message' }, {}));
    expect((await ctx.forTenant(tenant, (s) => tickets.get(s, ticket.id))).firstResponseAt).toBeNull();
    await ctx.forUser(tenant, agent.id, (s) => tickets.comment(s, ticket.id, { body: 'Looking into it' }, {}));
    expect((await ctx.forTenant(tenant, (s) => tickets.get(s, ticket.id))).firstResponseAt).not.toBeNull();
  });

  it('a comment that a hook vetoes inside the caller\'s transaction leaves nothing behind', async () => {
    const ticket = await ctx.forTenant(tenant, (s) => tickets.create(s, { title: 'Tx', requester: { email: 'tx@example.org' } }, { via: 'probe' }));
    await expect(
      ctx.forTenant(tenant, (s) =>
        s.transactional(async (tx) => {
          await tickets.comment(s, ticket.id, { body: 'first' }, { tx });
          await tickets.comment(s, ticket.id, { body: '   ' }, { tx });
        }),
      ),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    const comments = await t.request('GET', `/api/v1/tickets/${ticket.id}/comments`, { token: agent.token });
    expect(comments.body.items).toEqual([]);
  });

  it('text a plugin indexes makes the ticket findable; internal text only for staff; replaced and removed by source id', async () => {
    const customer = await t.createUser({ role: 'customer' });
    const ticket = (await t.request('POST', '/api/v1/tickets', { token: customer.token, body: { title: 'Scan attached' } })).body;
    await ctx.forTenant(tenant, (s) => tickets.indexText(s, { ticketId: ticket.id, source: 'attachment', sourceId: 'att_1', text: 'invoice number zyxwvut', internal: false }));
    await ctx.forTenant(tenant, (s) => tickets.indexText(s, { ticketId: ticket.id, source: 'attachment', sourceId: 'att_2', text: 'secret quokkamemo', internal: true }));
    const search = async (token: string, q: string) => (await t.request('GET', `/api/v1/tickets?q=${q}`, { token })).body;

    const found = await search(customer.token, 'zyxwvut');
    expect(found.items.map((i: { id: string }) => i.id)).toEqual([ticket.id]);
    expect(found.items[0].snippet).toContain('<mark>zyxwvut</mark>');
    expect((await search(customer.token, 'quokkamemo')).items).toEqual([]);
    expect((await search(agent.token, 'quokkamemo')).items.map((i: { id: string }) => i.id)).toEqual([ticket.id]);
    // Sorted by something other than relevance, the same text filter applies.
    expect((await t.request('GET', '/api/v1/tickets?q=zyxwvut&sort=-created', { token: agent.token })).body.items.map((i: { id: string }) => i.id)).toEqual([ticket.id]);

    await ctx.forTenant(tenant, (s) => tickets.indexText(s, { ticketId: ticket.id, source: 'attachment', sourceId: 'att_1', text: 'corrected text', internal: false }));
    expect((await search(agent.token, 'zyxwvut')).items).toEqual([]);
    await ctx.forTenant(tenant, (s) => tickets.removeText(s, { source: 'attachment', sourceId: 'att_2' }));
    expect((await search(agent.token, 'quokkamemo')).items).toEqual([]);
  });

  it('another tenant cannot read, comment on or index a ticket by its id', async () => {
    const ticket = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Ours' } })).body;
    const other = await createTenant(t.kernel.db, { slug: 'other-co', name: 'Other' });
    await expect(ctx.forTenant(other.id, (s) => tickets.get(s, ticket.id))).rejects.toMatchObject({ code: 'not_found' });
    await expect(ctx.forTenant(other.id, (s) => tickets.comment(s, ticket.id, { body: 'hi' }, {}))).rejects.toMatchObject({ code: 'not_found' });
    await expect(ctx.forTenant(other.id, (s) => tickets.indexText(s, { ticketId: ticket.id, source: 's', sourceId: '1', text: 'x', internal: false }))).rejects.toMatchObject({ code: 'not_found' });
    await expect(ctx.forUser(other.id, agent.id, async () => null)).rejects.toMatchObject({ code: 'not_found' });
  });
});
