import { type SandboxCapability, type Scope, TicketOpsError } from '@ticketops/plugin-sdk';
import { sql } from './db.ts';

type ForTenant = <R>(tenantId: string, work: (scope: Scope) => Promise<R>) => Promise<R>;

/** What a script sees of an attachment: metadata only, never bytes, storage keys or hashes. */
export interface AttachmentInfo {
  id: string;
  name: string;
  mimeType: string;
  size: number;
  status: 'clean' | 'unscanned' | 'infected';
  commentId: string | null;
  createdAt: string;
}

const TICKET_ID = /^[A-Za-z0-9_]{1,64}$/;

/** `ctx.attachments.list(ticketId)` for sandboxed scripts: the ticket's attachments in the calling tenant. */
export function sandboxCapabilities(forTenant: () => ForTenant): SandboxCapability[] {
  return [
    {
      name: 'attachments.list',
      description: "A ticket's attachments (metadata only: id, name, mimeType, size, status, commentId, createdAt), oldest first, at most 500",
      signature: '(ticketId: string) => Promise<AttachmentInfo[]>',
      async handler(args, call) {
        const ticketId = args[0];
        if (typeof ticketId !== 'string' || !TICKET_ID.test(ticketId)) {
          throw new TicketOpsError('invalid_input', 'attachments.list takes a ticket id', { details: [{ pointer: '/0', message: 'must be a ticket id' }] });
        }
        return forTenant()(call.tenantId, async (scope) => {
          // The tenant comes from the run, never from the script; another tenant's ticket is simply not found.
          const ticket = await sql(scope.em, 'select 1 from ticket where tenant_id = ? and id = ? and deleted_at is null', [call.tenantId, ticketId]);
          if (!ticket[0]) throw new TicketOpsError('not_found', 'Ticket was not found');
          const rows = await sql<{ id: string; name: string; mime: string; size: string; status: AttachmentInfo['status']; comment_id: string | null; created_at: Date }>(
            scope.em,
            'select id, name, mime, size, status, comment_id, created_at from attachments_file where tenant_id = ? and ticket_id = ? order by created_at, id limit 500',
            [call.tenantId, ticketId],
          );
          return rows.map(
            (r): AttachmentInfo => ({ id: r.id, name: r.name, mimeType: r.mime, size: Number(r.size), status: r.status, commentId: r.comment_id, createdAt: new Date(r.created_at).toISOString() }),
          );
        });
      },
    },
  ];
}
