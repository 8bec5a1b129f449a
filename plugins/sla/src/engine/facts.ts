import { type Actor, type HookContext, type KernelHooks, STAGE, type TicketRecord, hasPermission } from '@ticketops/plugin-sdk';

/** The ticket fields the SLA engine cares about, as recorded with each fact. */
export interface TicketSnapshot {
  status: string;
  statusCategory: string;
  priority: string;
  type: string | null;
  organizationId: string | null;
  groupId: string | null;
  requesterId: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
}

export interface CommentFact {
  authorId: string | null;
  /** The author sees every ticket of the tenant (an agent), as the kernel's first-response rule. */
  staff: boolean;
}

const RELEVANT = new Set(['status', 'priority', 'type', 'organizationId', 'groupId', 'requesterId', 'tags', 'customFields']);

export const snapshotOf = (t: TicketRecord): TicketSnapshot => ({
  status: t.status, statusCategory: t.statusCategory, priority: t.priority, type: t.type, organizationId: t.organizationId,
  groupId: t.groupId, requesterId: t.requesterId, tags: t.tags, customFields: t.customFields,
});

async function record(ctx: HookContext, ticketId: string, at: string, kind: string, ref: string | null, data: object): Promise<void> {
  await ctx.em.getConnection().execute(
    'insert into sla_ticket_fact (tenant_id, ticket_id, at, kind, ref, data) values (?, ?, ?, ?, ?, ?::jsonb)',
    [ctx.tenantId, ticketId, at, kind, ref, JSON.stringify(data)],
    'run',
    ctx.em.getTransactionContext(),
  );
}

const isStaff = (actor: Actor) => hasPermission(actor, 'tickets.read.all');

/**
 * Records SLA-relevant changes in the ticket's own transaction: one insert per change, nothing
 * else (the clocks are recomputed after commit by the event subscribers).
 */
export function tapTicketFacts(hooks: KernelHooks): void {
  const tap = { name: 'sla', stage: STAGE.AUDIT };
  hooks.ticket.afterCreate.tapPromise(tap, async (ticket, ctx) => {
    await record(ctx, ticket.id, ticket.createdAt, 'created', null, snapshotOf(ticket));
  });
  hooks.ticket.afterUpdate.tapPromise(tap, async ({ ticket, changes }, ctx) => {
    if (changes.some((c) => RELEVANT.has(c.field))) await record(ctx, ticket.id, ticket.updatedAt, 'updated', null, snapshotOf(ticket));
  });
  hooks.comment.afterCreate.tapPromise(tap, async (comment, ctx) => {
    if (comment.internal) return;
    const fact: CommentFact = { authorId: comment.authorId, staff: isStaff(ctx.actor) };
    await record(ctx, comment.ticketId, comment.createdAt, 'comment', comment.id, fact);
  });
}
