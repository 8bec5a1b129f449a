import type { KernelHooks } from '@ticketops/plugin-sdk';
import type { KernelConfig } from '../config/config.ts';
import { recordHistory } from './history.ts';
import { notify } from './announce.ts';
import { sql } from './sql.ts';

const DONE = new Set(['solved', 'closed']);

/**
 * Kernel-owned ticket rules, tapped on the kernel's own hooks like any plugin would:
 * what closing a parent does to its children (config `tickets.parentClose`).
 */
export function registerTicketRules(hooks: KernelHooks, config: KernelConfig): void {
  const mode = config.tickets.parentClose;
  if (mode === 'none') return;
  const category = async (em: Parameters<typeof sql>[0], tenantId: string, status: string) =>
    (await sql<{ category: string }>(em, 'select category from ticket_status where tenant_id = ? and name = ?', [tenantId, status]))[0]?.category;
  const openChildren = (em: Parameters<typeof sql>[0], tenantId: string, ticketId: string) =>
    sql<{ id: string; number: string | number; status: string; requester_id: string | null; organization_id: string | null }>(
      em,
      `select c.id, c.number, c.status, c.requester_id, c.organization_id from ticket_link l join ticket c on c.id = l.linked_id
        where l.tenant_id = ? and l.ticket_id = ? and l.type = 'child' and c.deleted_at is null and c.status_category not in ('solved', 'closed')`,
      [tenantId, ticketId],
    );

  if (mode === 'require') {
    hooks.ticket.validateTicket.tapPromise({ name: 'kernel:parent-close' }, async ({ ticket, before }, ctx) => {
      if (!before || ticket.status === before.status) return undefined;
      if (!DONE.has((await category(ctx.em, ctx.tenantId, ticket.status)) ?? '')) return undefined;
      const open = await openChildren(ctx.em, ctx.tenantId, before.id);
      if (open.length === 0) return undefined;
      return { code: 'conflict', message: `Close the child tickets first: ${open.map((c) => `#${c.number}`).join(', ')}`, pointer: '/body/status' };
    });
    return;
  }
  hooks.ticket.afterUpdate.tapPromise({ name: 'kernel:parent-close' }, async ({ ticket, changes }, ctx) => {
    if (!changes.some((c) => c.field === 'status') || !DONE.has(ticket.statusCategory)) return;
    for (const child of await openChildren(ctx.em, ctx.tenantId, ticket.id)) {
      await sql(ctx.em, 'update ticket set status = ?, status_category = ?, solved_at = coalesce(solved_at, now()), closed_at = case when ? then coalesce(closed_at, now()) else closed_at end, updated_at = now(), version = version + 1 where id = ?', [
        ticket.status, ticket.statusCategory, ticket.statusCategory === 'closed', child.id,
      ]);
      await recordHistory(ctx.em, { tenantId: ctx.tenantId, ticketId: child.id, actorId: ctx.actor.userId, channel: 'api', via: `parent:${ticket.id}` }, [{ field: 'status', from: child.status, to: ticket.status }]);
      await ctx.emit('ticket.updated', { ticketId: child.id, changes: ['status'] });
      await notify(ctx.em, { kind: 'ticket.updated', tenantId: ctx.tenantId, ticketId: child.id, requesterId: child.requester_id, organizationId: child.organization_id, actorId: ctx.actor.userId, changes: ['status'] });
    }
  });
}
