import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPermission } from '@ticketops/plugin-sdk';
import { compose } from './compose.ts';
import { deliver, drainFresh } from './deliver.ts';
import { ownAddressGuard } from './loop-guard.ts';
import { STAFF_PERMISSION } from './notifications.ts';
import { planCommentCreated } from './plan.ts';
import { enqueue } from './queue.ts';
import type { OutboundService } from './service.ts';
import { type OutboundHarness, startOutbound } from './testing/kernel.ts';

/** No workers here: the test runs planning and delivery itself, so nothing else touches the rows. */
let h: OutboundHarness;
beforeAll(async () => {
  h = await startOutbound({}, { workers: false });
});
afterAll(async () => {
  await h?.close();
});

describe('draining fresh rows', () => {
  it('a delivery that succeeded sends the tenant’s other fresh rows over the pool, and hands back those to retry', async () => {
    const author = await h.t.createUser({ role: 'agent', name: 'Author' });
    const watchers = await Promise.all([1, 2, 3, 4].map((i) => h.t.createUser({ role: 'agent', name: `Watcher ${i}` })));
    const customer = await h.t.createUser({ role: 'customer', name: 'Customer' });
    const ticket = await h.t.request('POST', '/api/v1/tickets', { token: author.token, body: { title: 'Many watchers', requester: customer.id } });
    for (const w of watchers) await h.query('insert into ticket_watcher (ticket_id, user_id, tenant_id) values (?, ?, ?)', [ticket.body.id, w.id, 'ten_default']);
    const comment = await h.t.request('POST', `/api/v1/tickets/${ticket.body.id}/comments`, { token: author.token, body: { body: 'note for all', internal: true } });
    h.smtp.reject(watchers[3]?.email as string, 451, 1);

    const ids = await h.t.kernel.runAsSystem('ten_default', 'test-drain', async (scope) => {
      const service = scope.resolve<OutboundService>('email.outbound');
      const isStaff = (userId: string) => (service.forUser as NonNullable<OutboundService['forUser']>)('ten_default', userId, async (s) => hasPermission(s.actor, STAFF_PERMISSION));
      const plan = await planCommentCreated(scope.em, 'ten_default', ticket.body.id, comment.body.id, isStaff);
      const messages = await compose(scope.em, 'ten_default', plan as NonNullable<typeof plan>, service.config, { isOwnAddress: ownAddressGuard(service.config), isStaff });
      return enqueue(scope, ticket.body.id, comment.body.id, messages);
    });
    expect(ids).toHaveLength(4);

    const retry = await h.t.kernel.runAsSystem('ten_default', 'test-drain', async (scope) => {
      const service = scope.resolve<OutboundService>('email.outbound');
      const options = { maxAttempts: 3, isOwnAddress: () => false };
      expect(await deliver(scope.em, 'ten_default', ids[0] as string, service.transport(), options)).toBe('sent');
      return drainFresh(scope.em, 'ten_default', service.transport(), { ...options, limit: 200, parallel: 4 });
    });
    const rows = await h.query<{ id: string; state: string; attempts: number; recipient_id: string }>('select id, state, attempts, recipient_id from email_outbox where comment_id = ? order by id', [comment.body.id]);
    const refused = rows.find((r) => r.recipient_id === watchers[3]?.id);
    expect(retry).toEqual([refused?.id]);
    expect(rows.filter((r) => r.state === 'sent')).toHaveLength(3);
    expect(refused).toMatchObject({ state: 'pending', attempts: 1 });
    expect(h.smtp.mails.filter((m) => m.raw.includes('note for all'))).toHaveLength(3);
  });
});
