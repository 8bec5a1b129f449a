import type { KernelHooks, Scope, TicketsService, TransactionContext } from '@ticketops/plugin-sdk';
import { sql } from '../tickets/sql.ts';
import { updateTicketInTransaction } from '../tickets/ticket-service.ts';

/** The `tickets` service plugins resolve: the kernel's own update path, recorded with `via`. */
export function ticketsService(hooks: KernelHooks): TicketsService {
  return {
    update(scope: Scope, id: string, patch, options) {
      const run = (tx: TransactionContext) => updateTicketInTransaction(scope, hooks, tx, id, patch, undefined, { channel: 'plugin', via: options.via });
      return options.tx ? run(options.tx) : scope.transactional(run);
    },
    async priorities(scope: Scope, tx?: TransactionContext) {
      const rows = await sql<{ name: string }>((tx ?? scope).em, 'select name from ticket_priority where tenant_id = ? and active order by position, name', [scope.tenantId]);
      return rows.map((r) => r.name);
    },
  };
}
