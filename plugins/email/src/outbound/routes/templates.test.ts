import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '@ticketops/core/kernel/tenants.ts';
import type { TicketsService } from '@ticketops/plugin-sdk';
import { type OutboundHarness, startOutbound, waitFor } from '../testing/kernel.ts';

let h: OutboundHarness;
let admin: { id: string; token: string };
let agent: { id: string; token: string };
let customer: { id: string; email: string; token: string };

beforeAll(async () => {
  h = await startOutbound();
  admin = await h.t.createUser({ role: 'admin', name: 'Ada Admin' });
  agent = await h.t.createUser({ role: 'agent', name: 'Sam Agent' });
  customer = await h.t.createUser({ role: 'customer', name: 'Alex Customer' });
});
afterAll(async () => {
  await h?.close();
});

const put = (token: string, path: string, body: unknown) => h.t.request('PUT', `/api/v1/email/templates/${path}`, { token, body });

describe('template API', () => {
  it('lists the shipped templates in en and de, for admins only', async () => {
    const list = await h.t.request('GET', '/api/v1/email/templates', { token: admin.token });
    expect(list.status).toBe(200);
    const keys = list.body.items.map((i: { kind: string; locale: string }) => `${i.kind}/${i.locale}`);
    for (const kind of ['ticket-created', 'agent-reply', 'ticket-assigned', 'agent-mention', 'ticket-solved']) {
      expect(keys).toContain(`${kind}/en`);
      expect(keys).toContain(`${kind}/de`);
    }
    expect((await h.t.request('GET', '/api/v1/email/templates', { token: agent.token })).status).toBe(403);
  });

  it('refuses a template that does not compile with a 400 naming the field, and changes nothing', async () => {
    const broken = await put(admin.token, 'ticket-created/en', { subject: 'ok {{ticket.title}}', html: '<p>{{#if ticket}}unclosed</p>', text: 'fine' });
    expect(broken.status).toBe(400);
    expect(broken.headers.get('content-type')).toContain('application/problem+json');
    expect(broken.body.errors).toEqual([expect.objectContaining({ pointer: '/body/html' })]);
    const helper = await put(admin.token, 'ticket-created/en', { subject: 's', html: 'h', text: '{{exec "rm -rf /"}}' });
    expect(helper.status).toBe(400);
    expect(helper.body.errors[0].pointer).toBe('/body/text');
    const injected = await put(admin.token, 'ticket-created/en', { subject: 'Hi\r\nBcc: victim@example.com', html: 'h', text: 't' });
    expect(injected.status).toBe(400);
    expect(injected.body.errors[0].pointer).toBe('/body/subject');
    const proto = await h.t.request('PUT', '/api/v1/email/templates/ticket-created/en', { token: admin.token, rawBody: '{"subject":"s","html":"h","text":"t","__proto__":{"x":1}}' });
    expect(proto.status).toBe(400);
    const unknownKind = await put(admin.token, 'nonsense/en', { subject: 's', html: 'h', text: 't' });
    expect(unknownKind.status).toBe(400);
    expect(await h.query('select 1 from email_template')).toEqual([]);
  });

  it('saves a tenant template that the next notification uses, and reverts to the shipped one on delete', async () => {
    const saved = await put(admin.token, 'ticket-created/en', { subject: 'Ticket {{ticket.number}} is ours now', html: '<p class="muted">Custom {{recipient.name}}</p>', text: 'Custom text {{recipient.name}}' });
    expect(saved.status).toBe(200);
    expect(saved.body.overridden).toBe(true);
    const ticket = await h.t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Uses the override', requester: customer.id } });
    const mail = await waitFor(() => h.smtp.to(customer.email).find((m) => m.parsed.subject?.startsWith(`[#${ticket.body.number}]`)), 'custom acknowledgement');
    expect(mail.parsed.subject).toBe(`[#${ticket.body.number}] Ticket ${ticket.body.number} is ours now`);
    expect(mail.parsed.text?.trim()).toBe('Custom text Alex Customer');
    expect(mail.parsed.html).toMatch(/<p class="muted" style="[^"]*color: #59636e[^"]*">Custom Alex Customer<\/p>/);
    expect((await h.t.request('DELETE', '/api/v1/email/templates/ticket-created/en', { token: admin.token })).status).toBe(204);
    const after = await h.t.request('GET', '/api/v1/email/templates/ticket-created/en', { token: admin.token });
    expect(after.body).toMatchObject({ overridden: false, subject: 'We received your request: {{ticket.title}}' });
    expect((await h.t.request('DELETE', '/api/v1/email/templates/ticket-created/en', { token: admin.token })).status).toBe(404);
  });

  it('previews against sample data or a real ticket of this tenant only', async () => {
    const sample = await h.t.request('POST', '/api/v1/email/templates/preview', { token: admin.token, body: { kind: 'agent-reply', locale: 'de' } });
    expect(sample.status).toBe(200);
    expect(sample.body.subject).toBe('[#1234] AW: The printer on floor 2 does not print');
    expect(sample.body.html).toContain('<strong>Restart the printer</strong>');
    expect(sample.body.locale).toBe('de');
    const ticket = await h.t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Real one', requester: customer.id } });
    await h.t.request('POST', `/api/v1/tickets/${ticket.body.id}/comments`, { token: agent.token, body: { body: 'internal detail', internal: true } });
    await h.t.request('POST', `/api/v1/tickets/${ticket.body.id}/comments`, { token: agent.token, body: { body: 'public answer' } });
    const real = await h.t.request('POST', '/api/v1/email/templates/preview', {
      token: admin.token,
      body: { kind: 'agent-reply', ticketId: ticket.body.id, subject: '{{ticket.title}} for {{recipient.name}}', text: '{{comment.text}}', html: '{{{comment.html}}}' },
    });
    expect(real.status).toBe(200);
    expect(real.body.subject).toBe(`[#${ticket.body.number}] Real one for Alex Customer`);
    expect(real.body.text).toBe('public answer');
    // Another tenant's real ticket is as unknown as a made-up id.
    const other = await createTenant(h.t.kernel.db, { slug: 'other-desk', name: 'Other' });
    const foreign = await h.t.kernel.runAsSystem(other.id, 'test-foreign', (scope) =>
      scope.resolve<TicketsService>('tickets').create(scope, { title: 'Foreign secret', requester: { email: 'x@other.example' } }, { via: 'test' }),
    );
    for (const ticketId of [foreign.id, 'tkt_01jh5x7q9m3k2r8t6v4w0y1z2a']) {
      const elsewhere = await h.t.request('POST', '/api/v1/email/templates/preview', { token: admin.token, body: { kind: 'agent-reply', ticketId } });
      expect(elsewhere.status).toBe(404);
      expect(JSON.stringify(elsewhere.body)).not.toContain('Foreign secret');
    }
    const oversize = await h.t.request('POST', '/api/v1/email/templates/preview', { token: admin.token, body: { kind: 'agent-reply', html: 'x'.repeat(20_001) } });
    expect(oversize.status).toBe(400);
    expect(oversize.body.errors[0].pointer).toBe('/body/html');
    const broken = await h.t.request('POST', '/api/v1/email/templates/preview', { token: admin.token, body: { kind: 'agent-reply', subject: '{{#each}}' } });
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0].pointer).toBe('/body/subject');
  });

  it('blocks prototype access in templates', async () => {
    const res = await h.t.request('POST', '/api/v1/email/templates/preview', {
      token: admin.token,
      body: {
        kind: 'ticket-created',
        subject: 'x{{constructor.name}}{{ticket.constructor.name}}{{__proto__.constructor}}',
        text: '[{{lookup ticket "constructor"}}][{{#with ticket.__proto__}}{{toString}}{{/with}}][{{ticket.title.constructor}}]',
        html: '{{constructor.constructor}}',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.subject).toBe('[#1234] x');
    expect(res.body.text).toBe('[][][]');
    expect(res.body.html).not.toContain('function');
  });
});
