import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketsService } from '@ticketops/plugin-sdk';
import { tenantKey, ticketIdFromToken, tokenFromAddress } from '../shared/reply-token.ts';
import { suppressAcknowledgement } from './acknowledgement.ts';
import { header } from './testing/smtp-peer.ts';
import { type OutboundHarness, startOutbound, waitFor } from './testing/kernel.ts';

let h: OutboundHarness;
let admin: { id: string; token: string };
let agent: { id: string; email: string; token: string };
let agent2: { id: string; email: string; token: string };
let customer: { id: string; email: string; token: string };

beforeAll(async () => {
  h = await startOutbound();
  admin = await h.t.createUser({ role: 'admin', name: 'Ada Admin' });
  agent = await h.t.createUser({ role: 'agent', name: 'Sam Agent' });
  agent2 = await h.t.createUser({ role: 'agent', name: 'Kim Agent' });
  customer = await h.t.createUser({ role: 'customer', name: 'Alex Customer' });
});
afterAll(async () => {
  await h?.close();
});

async function openTicket(title: string, requester: string | { email: string; name?: string }, extra: Record<string, unknown> = {}) {
  const res = await h.t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title, description: 'It broke.', requester, ...extra } });
  expect(res.status).toBe(201);
  return res.body as { id: string; number: number };
}

const comment = async (token: string, ticketId: string, body: string, internal = false) => {
  const res = await h.t.request('POST', `/api/v1/tickets/${ticketId}/comments`, { token, body: { body, internal } });
  expect(res.status).toBe(201);
  return res.body as { id: string };
};

/** How many deliveries of an event to one of our subscribers completed (a barrier: its outcome is final). */
async function handled(subscriber: string, field: string, value: string): Promise<number> {
  const [row] = await h.query<{ n: number }>(
    "select count(*)::int as n from pgboss.job where name = ? and state = 'completed' and data->'payload'->>? = ?",
    [`evt.email.${subscriber}`, field, value],
  );
  return row?.n ?? 0;
}

const mailsAbout = (address: string, number: number) => h.smtp.to(address).filter((m) => m.parsed.subject?.startsWith(`[#${number}]`));

describe('notifications by SMTP', () => {
  it('acknowledges a new ticket to its requester: tagged subject, reply token, Message-ID, RFC 3834 headers, inlined HTML and text', async () => {
    const ticket = await openTicket('Printer <b>jammed</b>', customer.id);
    const mail = await waitFor(() => mailsAbout(customer.email, ticket.number)[0], 'acknowledgement');
    expect(mail.parsed.subject).toBe(`[#${ticket.number}] We received your request: Printer <b>jammed</b>`);
    expect(mail.secure).toBe(true); // STARTTLS, then AUTH
    expect(mail.user).toBe('relay');
    expect(mail.mailFrom).toBe('support@help.example');
    expect(mail.parsed.from).toMatchObject({ address: 'support@help.example', name: 'Example Support' });
    expect(header(mail, 'auto-submitted')).toBe('auto-generated');
    expect(header(mail, 'x-auto-response-suppress')).toBe('All');
    expect(header(mail, 'precedence')).toBe('bulk');
    expect(mail.parsed.messageId).toMatch(new RegExp(`^<${ticket.id}\\.[A-Za-z0-9_-]+@help\\.example>$`));
    // The Reply-To token names this ticket under the tenant's key.
    const replyTo = mail.parsed.replyTo?.[0]?.address as string;
    expect(replyTo).toMatch(/^support\+[0-9a-z]{26}-[a-z2-7]{10}@help\.example$/);
    const key = await tenantKey(h.t.kernel.db.em.fork() as never, 'ten_default');
    expect(ticketIdFromToken(key, tokenFromAddress(replyTo) as string)).toBe(ticket.id);
    // HTML with the stylesheet inlined (no <style> left) and the title escaped; a text part too.
    expect(mail.parsed.html).toContain('style="');
    expect(mail.parsed.html).not.toContain('<style');
    expect(mail.parsed.html).toContain('Printer &lt;b&gt;jammed&lt;/b&gt;');
    expect(mail.parsed.text).toContain(`opened ticket #${ticket.number}`);
    const recorded = await h.query('select direction, ticket_id, comment_id from email_message where message_id = ?', [mail.parsed.messageId?.slice(1, -1)]);
    expect(recorded).toEqual([{ direction: 'out', ticket_id: ticket.id, comment_id: null }]);
  });

  it("threads an agent's public reply under the earlier messages, renders its markdown sanitized, and carries no auto-submitted mark", async () => {
    const ticket = await openTicket('VPN drops', customer.id);
    const ack = await waitFor(() => mailsAbout(customer.email, ticket.number)[0], 'acknowledgement');
    const reply = await comment(agent.token, ticket.id, 'Please **restart** the client.<script>alert(1)</script> [docs](javascript:alert(1))');
    const mail = await waitFor(() => mailsAbout(customer.email, ticket.number).find((m) => m.parsed.messageId?.startsWith(`<${reply.id}.`)), 'reply');
    expect(mail.parsed.subject).toBe(`[#${ticket.number}] Re: VPN drops`);
    expect(mail.parsed.inReplyTo).toBe(ack.parsed.messageId);
    expect(mail.parsed.references).toContain(ack.parsed.messageId as string);
    expect(header(mail, 'auto-submitted')).toBeUndefined();
    expect(mail.parsed.html).toContain('Please <strong>restart</strong> the client.');
    expect(mail.parsed.html).not.toContain('<script');
    expect(mail.parsed.html).not.toContain('javascript:');
    expect(mail.parsed.text).toContain('Please **restart** the client.');
    const recorded = await h.query('select direction, ticket_id, comment_id from email_message where message_id = ?', [mail.parsed.messageId?.slice(1, -1)]);
    expect(recorded).toEqual([{ direction: 'out', ticket_id: ticket.id, comment_id: reply.id }]);
  });

  it('never sends an internal note to a customer — not to the requester, not to a customer watching — but to the assignee', async () => {
    const ticket = await openTicket('Billing question', customer.id, { assigneeId: agent2.id });
    // A custom role that reads every ticket but not internal notes is no staff either.
    const role = await h.t.request('POST', '/api/v1/roles', { token: admin.token, body: { name: 'auditor', permissions: ['tickets.read', 'tickets.read.all'] } });
    expect(role.status).toBe(201);
    const auditor = await h.t.createUser({ role: 'auditor', name: 'Aud Itor' });
    for (const watcher of [customer.id, auditor.id]) {
      await h.query('insert into ticket_watcher (ticket_id, user_id, tenant_id) values (?, ?, ?)', [ticket.id, watcher, 'ten_default']);
    }
    const note = await comment(agent.token, ticket.id, 'SECRET-NOTE: customer owes us money', true);
    const toAssignee = await waitFor(() => h.smtp.to(agent2.email).find((m) => m.parsed.messageId?.startsWith(`<${note.id}.`)), 'note to the assignee');
    expect(toAssignee.parsed.text).toContain('SECRET-NOTE');
    // The customer gets nothing from that note: the note's notifications are queued in one transaction.
    expect(h.smtp.mails.filter((m) => m.raw.includes('SECRET-NOTE') && (m.rcptTo.includes(customer.email) || m.rcptTo.includes(auditor.email)))).toEqual([]);
    const rows = await h.query('select recipient_id from email_outbox where comment_id = ?', [note.id]);
    expect(rows.map((r) => r.recipient_id)).toEqual([agent2.id]);
  });

  it('notifies a mentioned agent and never the author about their own comment', async () => {
    const ticket = await openTicket('Server down', customer.id, { assigneeId: agent.id });
    const note = await comment(agent.token, ticket.id, `@user:${agent2.id} can you check the logs?`, true);
    const mention = await waitFor(() => h.smtp.to(agent2.email).find((m) => m.parsed.messageId?.startsWith(`<${note.id}.`)), 'mention');
    expect(mention.parsed.subject).toBe(`[#${ticket.number}] Sam Agent mentioned you: Server down`);
    expect(header(mention, 'auto-submitted')).toBe('auto-generated');
    await waitFor(async () => (await h.query("select 1 from email_outbox where comment_id = ? and kind = 'agent-mention'", [note.id])).length, 'mention row');
    // The author is the assignee: no "new note" mail to themselves.
    expect(h.smtp.to(agent.email).filter((m) => m.parsed.messageId?.startsWith(`<${note.id}.`))).toEqual([]);
    expect(await h.query('select kind, recipient_id from email_outbox where comment_id = ?', [note.id])).toEqual([{ kind: 'agent-mention', recipient_id: agent2.id }]);
  });

  it('tells the assignee about an assignment and the requester that the ticket is solved', async () => {
    const ticket = await openTicket('Laptop slow', customer.id);
    const assign = await h.t.request('PATCH', `/api/v1/tickets/${ticket.id}`, { token: admin.token, body: { assigneeId: agent2.id, version: 1 } });
    expect(assign.status).toBe(200);
    const assigned = await waitFor(() => mailsAbout(agent2.email, ticket.number).find((m) => m.parsed.subject?.includes('Assigned to you')), 'assignment');
    expect(assigned.parsed.text).toContain('by Ada Admin');
    // The creation event, however late it runs, does not announce the same assignment again.
    await waitFor(() => handled('notify-ticket-created', 'ticketId', ticket.id), 'creation handled');
    expect(mailsAbout(agent2.email, ticket.number).filter((m) => m.parsed.subject?.includes('Assigned to you'))).toHaveLength(1);
    const solve = await h.t.request('PATCH', `/api/v1/tickets/${ticket.id}`, { token: agent2.token, body: { status: 'solved', version: assign.body.version } });
    expect(solve.status).toBe(200);
    const solved = await waitFor(() => mailsAbout(customer.email, ticket.number).find((m) => m.parsed.subject?.includes('Solved')), 'solved');
    expect(solved.parsed.subject).toBe(`[#${ticket.number}] Solved: Laptop slow`);
  });

  it('writes in the recipient’s language (en by default, de when chosen)', async () => {
    const german = await h.t.createUser({ role: 'customer', name: 'Greta Kundin' });
    const set = await h.t.request('PUT', '/api/v1/email/preferences', { token: german.token, body: { locale: 'de' } });
    expect(set.status).toBe(200);
    expect(set.body.locale).toBe('de');
    const ticket = await openTicket('Drucker kaputt', german.id);
    const mail = await waitFor(() => mailsAbout(german.email, ticket.number)[0], 'german acknowledgement');
    expect(mail.parsed.subject).toBe(`[#${ticket.number}] Ihre Anfrage ist eingegangen: Drucker kaputt`);
    expect(mail.parsed.text).toContain('Guten Tag Greta Kundin');
    expect(mail.parsed.html).toContain('Guten Tag Greta Kundin');
  });

  it('respects preferences: a turned-off notification is not sent, an essential one cannot be turned off', async () => {
    const quiet = await h.t.createUser({ role: 'agent', name: 'Quiet Agent' });
    const off = await h.t.request('PUT', '/api/v1/email/preferences', { token: quiet.token, body: { notifications: { 'ticket-assigned': false } } });
    expect(off.status).toBe(200);
    expect(off.body.notifications.find((n: { kind: string }) => n.kind === 'ticket-assigned')).toMatchObject({ enabled: false, essential: false });
    const essential = await h.t.request('PUT', '/api/v1/email/preferences', { token: customer.token, body: { notifications: { 'agent-reply': false, 'agent-mention': false } } });
    expect(essential.status).toBe(400);
    expect(essential.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/notifications/agent-mention', '/body/notifications/agent-reply']);
    const optOut = await h.t.request('PUT', '/api/v1/email/preferences', { token: customer.token, body: { notifications: { 'ticket-solved': false } } });
    expect(optOut.status).toBe(200);
    const mine = await h.t.request('GET', '/api/v1/email/preferences', { token: customer.token });
    expect(mine.body.notifications.map((n: { kind: string }) => n.kind)).toEqual(['ticket-created', 'agent-reply', 'ticket-solved']);

    // Assigned to the quiet agent, and to agent2 as a control: only agent2 hears of it.
    const a = await openTicket('Quiet one', customer.id, { assigneeId: quiet.id });
    const b = await openTicket('Loud one', customer.id, { assigneeId: agent2.id });
    await waitFor(() => mailsAbout(agent2.email, b.number).length, 'control mail');
    await waitFor(() => handled('notify-ticket-created', 'ticketId', a.id), 'ticket a handled');
    expect(h.smtp.to(quiet.email)).toEqual([]);
    expect(await h.query("select 1 from email_outbox where ticket_id = ? and kind = 'ticket-assigned'", [a.id])).toEqual([]);
  });

  it('sends a redelivered comment.created event once', async () => {
    const ticket = await openTicket('Duplicate delivery', customer.id);
    const reply = await comment(agent.token, ticket.id, 'Only once, please.');
    await waitFor(() => h.smtp.to(customer.email).some((m) => m.parsed.messageId?.startsWith(`<${reply.id}.`)), 'first delivery');
    // The same event again (at-least-once delivery), then wait until its subscriber run completed.
    await h.t.kernel.runAsSystem('ten_default', 'test-redeliver', (scope) =>
      scope.transactional((tx) => tx.emit('comment.created', { ticketId: ticket.id, commentId: reply.id, internal: false })),
    );
    await waitFor(async () => (await handled('notify-comment-created', 'commentId', reply.id)) === 2, 'second delivery handled');
    expect(h.smtp.to(customer.email).filter((m) => m.parsed.messageId?.startsWith(`<${reply.id}.`))).toHaveLength(1);
    expect(await h.query('select count(*)::int as n from email_outbox where comment_id = ?', [reply.id])).toEqual([{ n: 1 }]);
  });

  it('never mails its own mailboxes (loop guard), tokened forms included', async () => {
    const ticket = await openTicket('From our own inbox', { email: 'Support+abc@help.example', name: 'Loop' });
    const other = await openTicket('From the inbox list', { email: 'helpdesk-inbox@help.example', name: 'Loop 2' });
    const control = await openTicket('Control', customer.id);
    await waitFor(() => mailsAbout(customer.email, control.number).length, 'control');
    await waitFor(async () => (await handled('notify-ticket-created', 'ticketId', ticket.id)) && handled('notify-ticket-created', 'ticketId', other.id), 'handled');
    expect(h.smtp.mails.filter((m) => m.rcptTo.some((r) => r.toLowerCase().endsWith('@help.example')))).toEqual([]);
    expect(await h.query('select 1 from email_outbox where ticket_id = any(?::text[])', [`{${ticket.id},${other.id}}`])).toEqual([]);
  });

  it('keeps a hostile display name out of the headers (no CR/LF injection)', async () => {
    const ticket = await openTicket('Injection', { email: 'eve@example.test', name: 'Eve\r\nBcc: victim@example.test' });
    const mail = await waitFor(() => mailsAbout('eve@example.test', ticket.number)[0], 'mail to eve');
    expect(mail.rcptTo).toEqual(['eve@example.test']);
    expect(header(mail, 'bcc')).toBeUndefined();
    expect(h.smtp.to('victim@example.test')).toEqual([]);
    const head = mail.raw.slice(0, mail.raw.indexOf('\r\n\r\n'));
    expect(head).not.toMatch(/^Bcc:/im);
  });

  it('answers a ticket opened by mail with auto-replied, and not at all when inbound suppressed the acknowledgement', async () => {
    const byMail = await openTicket('Sent by mail', customer.id, { channel: 'email' });
    const mail = await waitFor(() => mailsAbout(customer.email, byMail.number)[0], 'auto reply');
    expect(header(mail, 'auto-submitted')).toBe('auto-replied');
    expect(header(mail, 'x-auto-response-suppress')).toBe('All');

    // Inbound marks the ticket in its creating transaction; here, before the event is handled.
    const quiet = await h.t.kernel.runAsSystem('ten_default', 'test-suppress', (scope) =>
      scope.transactional(async (tx) => {
        const ticket = await scope.resolve<TicketsService>('tickets').create(scope, { title: 'From a mailing list', requester: customer.id, channel: 'email' }, { via: 'test', tx });
        await suppressAcknowledgement(tx.em, 'ten_default', ticket.id);
        return ticket;
      }),
    );
    await waitFor(() => handled('notify-ticket-created', 'ticketId', quiet.id), 'handled');
    expect(mailsAbout(customer.email, quiet.number)).toEqual([]);
    expect(await h.query('select 1 from email_outbox where ticket_id = ?', [quiet.id])).toEqual([]);
  });
});
