import type { EntityManager } from '@mikro-orm/sql';
import { sql } from './db.ts';

/**
 * No automatic acknowledgement for this ticket. The inbound part calls it, in the transaction
 * that creates a ticket from a mail that must not be answered automatically (RFC 3834: the mail
 * was itself auto-submitted, came from a list or had an empty return path).
 */
export async function suppressAcknowledgement(em: EntityManager, tenantId: string, ticketId: string): Promise<void> {
  await sql(em, 'insert into email_ack_suppressed (tenant_id, ticket_id) values (?, ?) on conflict do nothing', [tenantId, ticketId]);
}
