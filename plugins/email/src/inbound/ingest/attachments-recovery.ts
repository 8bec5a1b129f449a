import { type Db, sql } from '../db.ts';
import { handOffAttachments } from './attachments.ts';
import type { IngestDeps } from './ingest.ts';
import { ATTACHMENTS_LEASE } from './record.ts';

/** Mails taken per run; each is re-parsed from its stored raw source. */
const BATCH = 20;

interface DueRow {
  tenant_id: string;
  message_id: string;
  ticket_id: string | null;
  comment_id: string | null;
  sender_id: string | null;
  raw: Buffer | null;
}

/**
 * Finishes hand-overs of mail files that a process did not finish (it crashed or was killed after
 * the ingest committed). Runs from a schedule on any number of processes: a row is claimed by
 * moving its due time one lease ahead under `skip locked`, so two runs never take the same mail,
 * and a process that dies mid-way leaves it to the next run after the lease. The files come from
 * the raw source kept with the mail, handed over as the sender (the comment's author, or the
 * ticket's requester for a mail that opened it). Returns how many mails were finished.
 */
export async function recoverAttachmentHandoffs(deps: IngestDeps, db: Db): Promise<number> {
  if (!deps.attachments) return 0;
  // Across tenants on purpose (one statement, its own transaction): a system job; each mail is
  // then handled in its own tenant's scopes.
  const rows = await db.query<DueRow>(
    `with due as (
       select id from email_inbound where attachments_due <= now()
       order by attachments_due limit ${BATCH} for update skip locked
     ), claimed as (
       update email_inbound i set attachments_due = now() + ${ATTACHMENTS_LEASE} from due where i.id = due.id
       returning i.tenant_id, i.message_id, i.ticket_id, i.comment_id, i.raw
     )
     select claimed.*, coalesce(c.author_id, t.requester_id) as sender_id from claimed
       left join comment c on c.id = claimed.comment_id
       left join ticket t on t.id = claimed.ticket_id`,
  );
  let finished = 0;
  for (const row of rows) {
    try {
      if (!row.raw || !row.ticket_id || !row.sender_id) {
        // Nothing to hand over any more (the ticket was deleted, the source is gone): not due.
        await deps.forTenant(row.tenant_id, (scope) => sql(scope.em, 'update email_inbound set attachments_due = null where tenant_id = ? and message_id = ?', [row.tenant_id, row.message_id]));
        continue;
      }
      const { email } = await deps.pool.parse(row.raw);
      await handOffAttachments(deps, row.tenant_id, row.sender_id, row.message_id, { ticketId: row.ticket_id, commentId: row.comment_id }, email.attachments);
      finished++;
    } catch (error) {
      // Left due: the next run after the lease tries again.
      deps.logger.warn({ err: error, messageId: row.message_id }, 'email: attachment hand-over not recovered yet');
    }
  }
  return finished;
}
