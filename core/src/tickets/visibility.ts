import type { EntityManager } from '@mikro-orm/sql';
import { type Actor, type TicketRecord, hasPermission } from '@ticketops/plugin-sdk';
import { sql } from './sql.ts';

/**
 * Who sees which tickets. Staff with `tickets.read.all` see every ticket of the tenant; anyone else
 * (customers) sees tickets they requested, and those of their organization when it shares tickets.
 * Internal notes are for `tickets.notes.read` only.
 */
export const seesAllTickets = (actor: Actor) => actor.kind === 'system' || hasPermission(actor, 'tickets.read.all');
export const seesInternalNotes = (actor: Actor) => actor.kind === 'system' || hasPermission(actor, 'tickets.notes.read');

export interface Audience {
  all: boolean;
  userId: string | null;
  /** Organization whose tickets this customer may read (shared organizations only). */
  organizationId: string | null;
}

export async function audienceOf(em: EntityManager, tenantId: string, actor: Actor): Promise<Audience> {
  if (seesAllTickets(actor)) return { all: true, userId: actor.userId, organizationId: null };
  if (!actor.userId) return { all: false, userId: null, organizationId: null };
  const rows = await sql<{ organization_id: string | null; shared: boolean | null }>(
    em,
    'select u.organization_id, o.shared_tickets as shared from app_user u left join organization o on o.id = u.organization_id where u.tenant_id = ? and u.id = ?',
    [tenantId, actor.userId],
  );
  const row = rows[0];
  return { all: false, userId: actor.userId, organizationId: row?.shared ? row.organization_id : null };
}

/** SQL condition on alias `t` restricting to the audience; returns the fragment and its params. */
export function audienceCondition(audience: Audience): { clause: string; params: unknown[] } {
  if (audience.all) return { clause: 'true', params: [] };
  if (audience.organizationId) return { clause: '(t.requester_id = ? or t.organization_id = ?)', params: [audience.userId, audience.organizationId] };
  return { clause: 't.requester_id = ?', params: [audience.userId] };
}

export function canSee(audience: Audience, ticket: Pick<TicketRecord, 'requesterId' | 'organizationId'>): boolean {
  return audience.all || (audience.userId !== null && ticket.requesterId === audience.userId) || (audience.organizationId !== null && ticket.organizationId === audience.organizationId);
}
