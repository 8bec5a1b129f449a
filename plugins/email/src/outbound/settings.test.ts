import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutboundHarness, startOutbound, waitFor } from './testing/kernel.ts';

let h: OutboundHarness;
let admin: { token: string };
let agent: { token: string };
let customer: { id: string; email: string };

beforeAll(async () => {
  h = await startOutbound();
  admin = await h.t.createUser({ role: 'admin' });
  agent = await h.t.createUser({ role: 'agent' });
  customer = await h.t.createUser({ role: 'customer', name: 'Alex Customer' });
});
afterAll(async () => {
  await h?.close();
});

const acknowledgementOf = async (title: string) => {
  const res = await h.t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title, description: 'It broke.', requester: customer.id } });
  expect(res.status).toBe(201);
  return waitFor(() => h.smtp.to(customer.email).find((m) => m.parsed.subject?.startsWith(`[#${res.body.number}]`)), 'acknowledgement');
};

describe('email settings per tenant', () => {
  it("sends as the help desk's own sender name once its admin sets one, the installation's otherwise", async () => {
    expect((await acknowledgementOf('Before')).parsed.from).toMatchObject({ address: 'support@help.example', name: 'Example Support' });
    const current = await h.t.request('GET', '/api/v1/plugins/email/settings', { token: admin.token });
    expect(current.body).toMatchObject({ value: {}, version: 0 });

    const bad = await h.t.request('PUT', '/api/v1/plugins/email/settings', { token: admin.token, body: { senderName: 'Acme\r\nBcc: x@example.test' }, headers: { 'if-match': '"0"' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/body/senderName']);

    const saved = await h.t.request('PUT', '/api/v1/plugins/email/settings', { token: admin.token, body: { senderName: 'Acme Support' }, headers: { 'if-match': '"0"' } });
    expect(saved.status).toBe(200);
    const mail = await acknowledgementOf('After');
    // The address (and with it SPF/DKIM alignment) stays the installation's.
    expect(mail.parsed.from).toMatchObject({ address: 'support@help.example', name: 'Acme Support' });
    // The template preview signs with it too.
    const preview = await h.t.request('POST', '/api/v1/email/templates/preview', { token: admin.token, body: { kind: 'ticket-created' } });
    expect(preview.status).toBe(200);
    expect(preview.body.text).toContain('-- Acme Support');
  });
});
