import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import { newId, sql } from '../db.ts';

/** Why a message was kept aside instead of ingested. */
export type QuarantineReason =
  | 'too-large'
  | 'header-too-large'
  | 'too-many-parts'
  | 'too-deep'
  | 'parse-timeout'
  | 'parse-error'
  | 'no-sender'
  | 'unknown-sender'
  | 'not-participant'
  | 'rate-limited'
  | 'authentication'
  | 'bounce-unmatched'
  | 'ingest-error';

export interface QuarantineInput {
  tenantId: string;
  raw: Buffer | null;
  size: number;
  messageId?: string | null;
  source: string;
  mailboxId?: string | null;
  sender?: string | null;
  /** The Subject header, when the mail could be parsed. */
  subject?: string | null;
  reason: QuarantineReason;
  detail?: Record<string, unknown>;
}

/**
 * Keeps a message aside for an admin, once per Message-ID (or per content when it has none): an
 * IMAP message fetched again after a crash lands on the same row.
 */
export async function quarantine(em: EntityManager, input: QuarantineInput): Promise<{ id: string; created: boolean }> {
  const dedupKey = input.messageId ?? `sha256:${input.raw ? createHash('sha256').update(input.raw).digest('hex') : newId('none')}`;
  const rows = await sql<{ id: string }>(
    em,
    `insert into email_quarantine (id, tenant_id, dedup_key, message_id, source, mailbox_id, sender, subject, reason, detail, size, raw)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (tenant_id, dedup_key) do nothing returning id`,
    [newId('emq'), input.tenantId, dedupKey, input.messageId ?? null, input.source, input.mailboxId ?? null, input.sender?.slice(0, 320) ?? null, input.subject?.slice(0, 1000) ?? null, input.reason, JSON.stringify(input.detail ?? {}), input.size, input.raw],
  );
  if (rows[0]) return { id: rows[0].id, created: true };
  const existing = await sql<{ id: string }>(em, 'select id from email_quarantine where tenant_id = ? and dedup_key = ?', [input.tenantId, dedupKey]);
  return { id: existing[0]?.id ?? '', created: false };
}
