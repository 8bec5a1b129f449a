import { type SandboxCapability, type Scope, invalidInput, notFound } from '@ticketops/plugin-sdk';
import { sql } from '../tickets/sql.ts';
import { getTicket } from '../tickets/ticket-service.ts';

type RunAsSystem = <R>(tenantId: string, requestId: string, work: (scope: Scope) => Promise<R>) => Promise<R>;

const MAX_ID = 100;

/** The single id argument of a lookup: a short string, or 400 naming the argument. */
function idArgument(args: unknown[], what: string): string {
  const id = args[0];
  if (typeof id !== 'string' || id === '' || id.length > MAX_ID) throw invalidInput(`${what} expects an id`, [{ pointer: '/args/0', message: `must be a string of 1 to ${MAX_ID} characters` }]);
  return id;
}

/**
 * Read-only lookups every script may be granted, run as the tenant's system actor in a fresh
 * scope. The tenant comes from the run, never from the script: another tenant's id is not found.
 */
export function kernelCapabilities(runAsSystem: RunAsSystem): SandboxCapability[] {
  return [
    {
      name: 'tickets.get',
      description: "A ticket of the run's tenant as a JSON record (read-only).",
      signature: '(id: string) => Promise<TicketRecord>',
      handler: (args, call) => {
        const id = idArgument(args, 'tickets.get');
        return runAsSystem(call.tenantId, `sandbox:${call.scriptId}`, (scope) => getTicket(scope, scope.em as never, id));
      },
    },
    {
      name: 'users.get',
      description: "A user of the run's tenant: id, name, email and role (nothing secret).",
      signature: '(id: string) => Promise<{ id: string; name: string; email: string; role: string }>',
      handler: (args, call) => {
        const id = idArgument(args, 'users.get');
        return runAsSystem(call.tenantId, `sandbox:${call.scriptId}`, async (scope) => {
          const rows = await sql<{ id: string; name: string; email: string; role: string }>(scope.em as never, 'select id, name, email, role from app_user where tenant_id = ? and id = ?', [scope.tenantId, id]);
          if (!rows[0]) throw notFound('User');
          return { id: rows[0].id, name: rows[0].name, email: rows[0].email, role: rows[0].role };
        });
      },
    },
  ];
}
