import { type KernelHooks, type Scope, TicketOpsError, isTicketOpsError } from '@ticketops/plugin-sdk';
import { type TicketFilter, ticketFilterSql } from '../search/filters.ts';
import { sql } from '../sql.ts';
import { type UpdateTicketRequest, deleteTicket, getTicket, updateTicketInTransaction } from '../ticket-service.ts';
import { audienceOf, seesInternalNotes } from '../visibility.ts';

export const MAX_BULK_TICKETS = 100_000;

export interface BulkRequest {
  ids?: string[];
  filter?: TicketFilter;
  set?: Pick<UpdateTicketRequest, 'status' | 'priority' | 'assigneeId' | 'groupId' | 'type' | 'customFields'>;
  addTags?: string[];
  removeTags?: string[];
  delete?: boolean;
}

export interface BulkResult {
  id: string;
  outcome: 'updated' | 'unchanged' | 'deleted' | 'skipped';
  /** Why a ticket was skipped, as the problem it would have answered alone. */
  reason?: { code: string; detail: string; errors?: { pointer: string; message: string }[] };
}

/** The tickets a bulk request names: its ids (in order, without repeats) or its filter's matches. */
export async function resolveTargets(scope: Scope, request: BulkRequest): Promise<string[]> {
  if (request.ids) return [...new Set(request.ids)];
  const audience = await audienceOf(scope.em, scope.tenantId, scope.actor);
  const { where, params } = ticketFilterSql(request.filter ?? {}, { tenantId: scope.tenantId, actorUserId: scope.actor.userId, audience, searchNotes: seesInternalNotes(scope.actor) });
  const rows = await sql<{ id: string }>(scope.em, `select t.id from ticket t where ${where} order by t.id limit ?`, [...params, MAX_BULK_TICKETS + 1]);
  if (rows.length > MAX_BULK_TICKETS) {
    throw new TicketOpsError('invalid_input', `The filter matches more than ${MAX_BULK_TICKETS} tickets; narrow it`, { details: [{ pointer: '/body/filter', message: 'matches too many tickets' }] });
  }
  return rows.map((r) => r.id);
}

/**
 * Applies the request to one ticket in its own transaction, through the same path as a single
 * update (validation, hooks, history, events, realtime): one ticket's failure never touches another.
 */
export async function applyToTicket(scope: Scope, hooks: KernelHooks, id: string, request: BulkRequest): Promise<BulkResult> {
  try {
    if (request.delete) {
      await deleteTicket(scope, id);
      return { id, outcome: 'deleted' };
    }
    const { changes } = await scope.transactional(async (tx) => {
      const patch: UpdateTicketRequest = { ...request.set };
      if (request.addTags?.length || request.removeTags?.length) {
        const current = await getTicket(scope, tx.em, id);
        const remove = new Set((request.removeTags ?? []).map((t) => t.trim().toLowerCase()));
        patch.tags = [...current.tags, ...(request.addTags ?? [])].filter((t) => !remove.has(t.trim().toLowerCase()));
      }
      return updateTicketInTransaction(scope, hooks, tx, id, patch, undefined, { channel: 'api', via: 'bulk' });
    });
    return { id, outcome: changes.length ? 'updated' : 'unchanged' };
  } catch (error) {
    if (!isTicketOpsError(error)) throw error;
    return { id, outcome: 'skipped', reason: { code: error.code, detail: error.message, ...(error.details.length ? { errors: error.details } : {}) } };
  }
}

export function summarize(results: BulkResult[]) {
  const count = (o: BulkResult['outcome']) => results.filter((r) => r.outcome === o).length;
  return { total: results.length, updated: count('updated'), unchanged: count('unchanged'), deleted: count('deleted'), skipped: count('skipped') };
}
