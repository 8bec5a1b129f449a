import { DeadlockException } from '@mikro-orm/core';
import { type KernelHooks, type Scope, TicketOpsError, type TicketRecord, type TransactionContext, isTicketOpsError } from '@ticketops/plugin-sdk';
import { type FilterContext, type TicketFilter, ticketFilterSql } from '../search/filters.ts';
import { sql } from '../sql.ts';
import { type UpdateTicketRequest, deleteTicketInTransaction, updateTicketInTransaction } from '../ticket-service.ts';
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
export async function resolveTargets(scope: Scope, request: BulkRequest, listFields?: FilterContext['listFields']): Promise<string[]> {
  if (request.ids) return [...new Set(request.ids)];
  const audience = await audienceOf(scope.em, scope.tenantId, scope.actor);
  const { where, params } = ticketFilterSql(request.filter ?? {}, { tenantId: scope.tenantId, actorUserId: scope.actor.userId, audience, searchNotes: seesInternalNotes(scope.actor), listFields });
  const rows = await sql<{ id: string }>(scope.em, `select t.id from ticket t where ${where} order by t.id limit ?`, [...params, MAX_BULK_TICKETS + 1]);
  if (rows.length > MAX_BULK_TICKETS) {
    throw new TicketOpsError('invalid_input', `The filter matches more than ${MAX_BULK_TICKETS} tickets; narrow it`, { details: [{ pointer: '/body/filter', message: 'matches too many tickets' }] });
  }
  return rows.map((r) => r.id);
}

/**
 * Applies the request to one ticket in a savepoint of the chunk's transaction, through the same
 * path as a single update (validation, hooks, history, events, realtime): a ticket that fails is
 * rolled back alone and reported as skipped with the problem it would have answered on its own.
 */
export async function applyToTicket(scope: Scope, hooks: KernelHooks, chunk: TransactionContext, id: string, request: BulkRequest): Promise<BulkResult> {
  try {
    return await chunk.savepoint(async (tx) => {
      if (request.delete) {
        await deleteTicketInTransaction(scope, tx, id);
        return { id, outcome: 'deleted' };
      }
      const remove = new Set((request.removeTags ?? []).map((t) => t.trim().toLowerCase()));
      const patch = (current: TicketRecord): UpdateTicketRequest => ({
        ...request.set,
        ...(request.addTags?.length || remove.size ? { tags: [...current.tags, ...(request.addTags ?? [])].filter((t) => !remove.has(t.trim().toLowerCase())) } : {}),
      });
      const { changes } = await updateTicketInTransaction(scope, hooks, tx, id, patch, undefined, { channel: 'api', via: 'bulk' });
      return { id, outcome: changes.length ? 'updated' : 'unchanged' };
    });
  } catch (error) {
    if (!isTicketOpsError(error)) throw error;
    return { id, outcome: 'skipped', reason: { code: error.code, detail: error.message, ...(error.details.length ? { errors: error.details } : {}) } };
  }
}

/**
 * A chunk of tickets in one transaction — one commit (one WAL flush) per chunk instead of per
 * ticket — with a savepoint per ticket. `alsoInTransaction` commits with the chunk (job progress),
 * so a resumed job never applies a chunk twice.
 */
export async function applyToChunk(
  scope: Scope, hooks: KernelHooks, ids: string[], request: BulkRequest, alsoInTransaction?: (tx: TransactionContext, results: BulkResult[]) => Promise<void>,
): Promise<BulkResult[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await scope.transactional(async (tx) => {
        const results: BulkResult[] = [];
        for (const id of ids) results.push(await applyToTicket(scope, hooks, tx, id, request));
        await alsoInTransaction?.(tx, results);
        return results;
      });
    } catch (error) {
      // Chunks running side by side (or another writer) can lock the same rows in opposite orders;
      // PostgreSQL then aborts one transaction whole, so running the chunk again is safe.
      if (!(error instanceof DeadlockException) || attempt === 3) throw error;
    }
  }
}

export function summarize(results: BulkResult[]) {
  const count = (o: BulkResult['outcome']) => results.filter((r) => r.outcome === o).length;
  return { total: results.length, updated: count('updated'), unchanged: count('unchanged'), deleted: count('deleted'), skipped: count('skipped') };
}
