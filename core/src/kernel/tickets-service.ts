import type { KernelHooks, Scope, TicketsService, TransactionContext } from '@ticketops/plugin-sdk';
import { TicketOpsError } from '@ticketops/plugin-sdk';
import { newId } from '../kernel-data/ids.ts';
import { addCommentInTransaction } from '../tickets/comments.ts';
import { resolveRequester } from '../tickets/people.ts';
import { sql } from '../tickets/sql.ts';
import { createTicketInTransaction, getTicket, updateTicketInTransaction } from '../tickets/ticket-service.ts';

/** PostgreSQL refuses a tsvector over 1 MB; indexed text is cut well below that. */
const MAX_INDEXED_CHARS = 200_000;

/**
 * The `tickets` service plugins resolve: the kernel's own create, update and comment paths (rules,
 * hooks, history, events, realtime), run as `scope.actor` and recorded with `via`.
 */
export function ticketsService(hooks: KernelHooks): TicketsService {
  const inTx = <R>(scope: Scope, tx: TransactionContext | undefined, work: (tx: TransactionContext) => Promise<R>) => (tx ? work(tx) : scope.transactional(work));
  return {
    update(scope, id, patch, options) {
      return inTx(scope, options.tx, (tx) => updateTicketInTransaction(scope, hooks, tx, id, patch, undefined, { channel: 'plugin', via: options.via }));
    },
    async priorities(scope, tx) {
      const rows = await sql<{ name: string }>((tx ?? scope).em, 'select name from ticket_priority where tenant_id = ? and active order by position, name', [scope.tenantId]);
      return rows.map((r) => r.name);
    },
    get(scope, id, tx) {
      return getTicket(scope, (tx ?? scope).em, id);
    },
    async idByNumber(scope, number, tx) {
      if (!Number.isSafeInteger(number) || number < 1) return null;
      const rows = await sql<{ id: string }>((tx ?? scope).em, 'select id from ticket where tenant_id = ? and number = ? and deleted_at is null', [scope.tenantId, number]);
      return rows[0]?.id ?? null;
    },
    async create(scope, input, options) {
      const { similar: _, ...ticket } = await inTx(scope, options.tx, (tx) =>
        createTicketInTransaction(scope, hooks, tx, { ...input, channel: input.channel ?? 'plugin' }, { via: options.via }),
      );
      return ticket;
    },
    comment(scope, ticketId, input, options) {
      return inTx(scope, options.tx, (tx) => addCommentInTransaction(scope, hooks, tx, ticketId, { ...input, channel: input.channel ?? 'plugin' }));
    },
    async person(scope, email, options) {
      const em = (options.tx ?? scope).em;
      const normalized = email.trim().toLowerCase();
      const rows = await sql<{ id: string; role: string; organization_id: string | null }>(
        em, 'select id, role, organization_id from app_user where tenant_id = ? and lower(email) = ?', [scope.tenantId, normalized],
      );
      if (rows[0]) return { id: rows[0].id, role: rows[0].role, organizationId: rows[0].organization_id, created: false };
      if (!options.create) return null;
      const made = await resolveRequester(em, scope.tenantId, { email: normalized, name: options.create.name });
      if ('pointer' in made) throw new TicketOpsError('invalid_input', `"${email}" is not an email address`, { details: [{ pointer: '/email', message: made.message }] });
      return { ...made, created: true };
    },
    async indexText(scope, entry, options) {
      await inTx(scope, options?.tx, async (tx) => {
        // The ticket must be the tenant's (the foreign key alone would accept another tenant's id).
        const owned = await sql(tx.em, 'select 1 from ticket where tenant_id = ? and id = ?', [scope.tenantId, entry.ticketId]);
        if (!owned[0]) throw new TicketOpsError('not_found', 'Ticket was not found');
        await sql(
          tx.em,
          `insert into ticket_text (id, tenant_id, ticket_id, source, source_id, body, internal) values (?, ?, ?, ?, ?, ?, ?)
           on conflict (tenant_id, source, source_id) do update set ticket_id = excluded.ticket_id, body = excluded.body, internal = excluded.internal`,
          [newId('ttx'), scope.tenantId, entry.ticketId, entry.source, entry.sourceId, entry.text.slice(0, MAX_INDEXED_CHARS), entry.internal],
        );
      });
    },
    async removeText(scope, entry, options) {
      await sql((options?.tx ?? scope).em, 'delete from ticket_text where tenant_id = ? and source = ? and source_id = ?', [scope.tenantId, entry.source, entry.sourceId]);
    },
  };
}
