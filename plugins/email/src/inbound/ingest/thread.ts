import type { EntityManager } from '@mikro-orm/sql';
import type { Scope, TicketsService } from '@ticketops/plugin-sdk';
import { numberFromSubject } from '../../outbound/subject.ts';
import { ticketIdFromToken, tokenFromAddress } from '../../shared/reply-token.ts';
import type { ThreadStep } from '../config.ts';
import { sql } from '../db.ts';

/** Why a mail went where it did; stored with the message and shown through the API. */
export type ThreadReason =
  | { by: 'references'; messageId: string }
  | { by: 'token'; address: string }
  | { by: 'subject'; number: number }
  | { by: 'new'; notParticipant?: ThreadReason }
  | { by: 'bounce'; messageId: string }
  | { by: 'ignored'; why: string };

export interface ThreadInput {
  references: string[];
  recipients: string[];
  subject: string | undefined;
  /** Outbound's subject tag pattern (`[#{number}]`). */
  subjectPattern?: string;
}

/** Also `[Ticket #123]`, as people retype the tag (freescout#2921). */
const LOOSE_TAG = /\[(?:[a-z]{1,20} ?)?#(\d{1,12})\]/i;

/** The ticket number in a subject: outbound's tag (`config.outbound.subjectTag`) first, then the loose form. */
export function subjectNumber(subject: string | undefined, pattern?: string): number | null {
  if (!subject) return null;
  const tagged = numberFromSubject(subject, pattern);
  if (tagged !== null) return tagged;
  const m = LOOSE_TAG.exec(subject);
  return m ? Number(m[1]) : null;
}

/** The first step (in the configured order) that names an existing ticket of this tenant. */
export async function findThread(
  scope: Scope,
  tickets: TicketsService,
  key: Buffer,
  order: ThreadStep[],
  input: ThreadInput,
): Promise<{ ticketId: string; reason: ThreadReason } | null> {
  for (const step of order) {
    if (step === 'references' && input.references.length > 0) {
      const rows = await sql<{ ticket_id: string; message_id: string }>(
        scope.em,
        `select m.ticket_id, m.message_id from email_message m join ticket t on t.id = m.ticket_id and t.tenant_id = m.tenant_id
         where m.tenant_id = ? and m.message_id in (${input.references.map(() => '?').join(', ')}) and t.deleted_at is null
         order by m.created_at desc limit 1`,
        [scope.tenantId, ...input.references],
      );
      if (rows[0]) return { ticketId: rows[0].ticket_id, reason: { by: 'references', messageId: rows[0].message_id } };
    }
    if (step === 'token') {
      for (const address of input.recipients) {
        const token = tokenFromAddress(address);
        const ticketId = token ? ticketIdFromToken(key, token) : null;
        if (ticketId && (await ticketExists(scope.em, scope.tenantId, ticketId))) return { ticketId, reason: { by: 'token', address } };
      }
    }
    if (step === 'subject') {
      const number = subjectNumber(input.subject, input.subjectPattern);
      const ticketId = number ? await tickets.idByNumber(scope, number) : null;
      if (ticketId && number) return { ticketId, reason: { by: 'subject', number } };
    }
  }
  return null;
}

/** A ticket merged into another: mail for it goes to the one it was merged into (a few hops at most). */
export async function followMerged(em: EntityManager, tenantId: string, ticketId: string): Promise<string> {
  let id = ticketId;
  for (let hop = 0; hop < 5; hop++) {
    const rows = await sql<{ merged_into_id: string | null }>(em, 'select merged_into_id from ticket where tenant_id = ? and id = ?', [tenantId, id]);
    const next = rows[0]?.merged_into_id;
    if (!next) break;
    id = next;
  }
  return id;
}

async function ticketExists(em: EntityManager, tenantId: string, id: string): Promise<boolean> {
  return (await sql(em, 'select 1 from ticket where tenant_id = ? and id = ? and deleted_at is null', [tenantId, id])).length > 0;
}

/**
 * Whether the sender may add to the ticket by mail (zammad#2444: a subject match must not append
 * a stranger's mail): its requester, someone of the requester's organization, a watcher, or staff.
 */
export async function isParticipant(em: EntityManager, tenantId: string, ticketId: string, person: { id: string; role: string; organizationId: string | null }): Promise<boolean> {
  if (person.role !== 'customer') return true;
  const rows = await sql(
    em,
    `select 1 from ticket t where t.tenant_id = ? and t.id = ? and (
       t.requester_id = ? or (t.organization_id is not null and t.organization_id = ?)
       or exists (select 1 from ticket_watcher w where w.ticket_id = t.id and w.user_id = ?))`,
    [tenantId, ticketId, person.id, person.organizationId, person.id],
  );
  return rows.length > 0;
}
