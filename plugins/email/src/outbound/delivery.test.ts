import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordBounce } from './bounces.ts';
import { deliver } from './deliver.ts';
import type { OutboundService } from './service.ts';
import { requeueStale } from './sweep.ts';
import { type OutboundHarness, startOutbound, waitFor } from './testing/kernel.ts';

let h: OutboundHarness;
let agent: { id: string; token: string };

beforeAll(async () => {
  h = await startOutbound({ maxAttempts: 2, acknowledgementsPerHour: 1 });
  agent = await h.t.createUser({ role: 'agent', name: 'Sam Agent' });
});
afterAll(async () => {
  await h?.close();
});

async function openTicket(title: string, requester: string) {
  const res = await h.t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title, requester } });
  expect(res.status).toBe(201);
  return res.body as { id: string; number: number };
}

const outboxOf = async (ticketId: string) =>
  (await h.query<{ state: string; attempts: number; last_error: string | null }>("select state, attempts, last_error from email_outbox where ticket_id = ? and kind = 'ticket-created'", [ticketId]))[0];

describe('delivery through the outbox', () => {
  it('retries after a temporary refusal (4xx) and delivers once the server accepts', async () => {
    const customer = await h.t.createUser({ role: 'customer', name: 'Retry Customer' });
    h.smtp.reject(customer.email, 451, 1);
    const ticket = await openTicket('Retry me', customer.id);
    const row = await waitFor(async () => {
      const r = await outboxOf(ticket.id);
      return r?.state === 'sent' && r;
    }, 'sent after a retry');
    expect(row.attempts).toBe(2);
    expect(row.last_error).toContain('Try again later');
    expect(h.smtp.to(customer.email)).toHaveLength(1);
  });

  it('marks a message failed after maxAttempts temporary refusals', async () => {
    const customer = await h.t.createUser({ role: 'customer', name: 'Failing Customer' });
    h.smtp.reject(customer.email, 421, 10);
    const ticket = await openTicket('Never accepted', customer.id);
    const row = await waitFor(async () => {
      const r = await outboxOf(ticket.id);
      return r?.state === 'failed' && r;
    }, 'failed');
    expect(row.attempts).toBe(2);
    expect(h.smtp.to(customer.email)).toEqual([]);
  });

  it('marks a permanent refusal (5xx) bounced, records the address, and suppresses later mail to it', async () => {
    const customer = await h.t.createUser({ role: 'customer', name: 'Gone Customer' });
    h.smtp.reject(customer.email, 550, 1);
    const first = await openTicket('Bounces', customer.id);
    const row = await waitFor(async () => {
      const r = await outboxOf(first.id);
      return r?.state === 'bounced' && r;
    }, 'bounced');
    expect(row.attempts).toBe(1);
    const [bounce] = await h.query('select reason, suppressed_until > now() + interval \'71 hours\' as long from email_bounce where address = ?', [customer.email.toLowerCase()]);
    expect(bounce).toMatchObject({ long: true });
    expect(bounce?.reason).toContain('Mailbox unavailable');
    // The server would accept now, but the address is suppressed: nothing reaches it.
    const reply = await h.t.request('POST', `/api/v1/tickets/${first.id}/comments`, { token: agent.token, body: { body: 'Hello?' } });
    expect(reply.status).toBe(201);
    const later = await waitFor(async () => {
      const [r] = await h.query<{ state: string }>('select state from email_outbox where comment_id = ?', [reply.body.id]);
      return r?.state === 'suppressed' && r;
    }, 'suppressed');
    expect(later.state).toBe('suppressed');
    expect(h.smtp.to(customer.email)).toEqual([]);
  });

  it('recordBounce (for DSN bounce mails parsed by inbound) suppresses an address the same way', async () => {
    const customer = await h.t.createUser({ role: 'customer', name: 'DSN Customer' });
    await recordBounce(h.t.kernel.db.em.fork() as never, 'ten_default', ` ${customer.email.toUpperCase()} `, '5.1.1 user unknown (DSN)');
    const ticket = await openTicket('After a DSN', customer.id);
    await waitFor(async () => (await outboxOf(ticket.id))?.state === 'suppressed', 'suppressed');
    expect(h.smtp.to(customer.email)).toEqual([]);
  });

  it('acknowledges at most acknowledgementsPerHour new tickets per address (RFC 3834 §2)', async () => {
    const customer = await h.t.createUser({ role: 'customer', name: 'Busy Customer' });
    const first = await openTicket('One', customer.id);
    await waitFor(async () => (await outboxOf(first.id))?.state === 'sent', 'first acknowledgement');
    const second = await openTicket('Two', customer.id);
    await waitFor(async () => {
      const [r] = await h.query<{ n: number }>("select count(*)::int as n from pgboss.job where name = 'evt.email.notify-ticket-created' and state = 'completed' and data->'payload'->>'ticketId' = ?", [second.id]);
      return r?.n === 1;
    }, 'second handled');
    expect(await outboxOf(second.id)).toBeUndefined();
    expect(h.smtp.to(customer.email)).toHaveLength(1);
  });

  it('queues delivery again for a row whose job was lost (the requeue schedule)', async () => {
    const customer = await h.t.createUser({ role: 'customer', name: 'Lost Job Customer' });
    const ticket = await openTicket('Lost job', customer.id);
    await waitFor(async () => (await outboxOf(ticket.id))?.state === 'sent', 'sent');
    // As if the process died before the job ran: pending for an hour, no job left.
    await h.query("update email_outbox set state = 'pending', updated_at = now() - interval '1 hour' where ticket_id = ?", [ticket.id]);
    const other = await h.t.createUser({ role: 'customer', name: 'Other Customer' });
    const fresh = await openTicket('Fresh pending', other.id);
    const requeued = await h.t.kernel.runAsSystem('ten_default', 'test-requeue', async (scope) => {
      const service = scope.resolve<OutboundService>('email.outbound');
      return requeueStale(scope.em, service.forTenant as NonNullable<OutboundService['forTenant']>);
    });
    expect(requeued).toBe(1); // not the fresh one, whose job is on its way
    await waitFor(async () => (await outboxOf(ticket.id))?.state === 'sent', 'sent again');
    await waitFor(async () => (await outboxOf(fresh.id))?.state === 'sent', 'fresh sent');
    expect(h.smtp.to(customer.email).filter((m) => m.parsed.subject?.startsWith(`[#${ticket.number}]`))).toHaveLength(2);
  });

  it('sends a row once when two processes deliver it at the same time (atomic claim)', async () => {
    const customer = await h.t.createUser({ role: 'customer', name: 'Race Customer' });
    const ticket = await openTicket('Race', customer.id);
    await waitFor(async () => (await outboxOf(ticket.id))?.state === 'sent', 'sent');
    const [row] = await h.query<{ id: string }>("update email_outbox set state = 'pending', attempts = 0 where ticket_id = ? returning id", [ticket.id]);
    const before = h.smtp.to(customer.email).length;
    const outcomes = await Promise.all(
      [1, 2].map(() =>
        h.t.kernel.runAsSystem('ten_default', 'test-race', (scope) => {
          const service = scope.resolve<OutboundService>('email.outbound');
          return deliver(scope.em, 'ten_default', (row as { id: string }).id, service.transport(), { maxAttempts: 2, isOwnAddress: () => false });
        }),
      ),
    );
    expect(outcomes.sort()).toEqual(['sent', 'skipped']);
    expect(h.smtp.to(customer.email).length).toBe(before + 1);
  });
});
