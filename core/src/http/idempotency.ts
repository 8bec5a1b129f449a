import { createHash } from 'node:crypto';
import { TicketOpsError } from '@ticketops/plugin-sdk';
import type { Database } from '../db/database.ts';

const KEY = /^[A-Za-z0-9._:-]{1,200}$/;
/** Keys are remembered this long; a retry after that is a new request. */
export const IDEMPOTENCY_TTL_HOURS = 24;

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * `Idempotency-Key` on POST: the first request with a key runs and its response is stored; a retry
 * with the same key and the same body gets the stored response, a retry with another body is 422,
 * and a retry while the first is still running is 409. Kept in PostgreSQL, so any node can answer.
 */
export async function beginIdempotent(
  db: Database, input: { tenantId: string; principal: string; key: string; method: string; path: string; body: unknown },
): Promise<{ replay: StoredResponse } | { finish(response: StoredResponse): Promise<void>; abandon(): Promise<void> }> {
  if (!KEY.test(input.key)) {
    throw new TicketOpsError('invalid_input', 'Idempotency-Key must be 1–200 letters, digits or ._:-', { details: [{ pointer: '/headers/idempotency-key', message: 'is not a valid key' }] });
  }
  const hash = createHash('sha256').update(`${input.method} ${input.path}\n${JSON.stringify(input.body ?? null)}`).digest('hex');
  await db.query(`delete from idempotency_key where created_at < now() - make_interval(hours => ?)`, [IDEMPOTENCY_TTL_HOURS]);
  const inserted = await db.query<{ key: string }>(
    `insert into idempotency_key (tenant_id, principal, key, request_hash) values (?, ?, ?, ?) on conflict do nothing returning key`,
    [input.tenantId, input.principal, input.key, hash],
  );
  const where = [input.tenantId, input.principal, input.key];
  if (inserted.length === 0) {
    const [row] = await db.query<{ request_hash: string; status: number | null; headers: unknown; body: unknown }>(
      'select request_hash, status, headers, body from idempotency_key where tenant_id = ? and principal = ? and key = ?', where,
    );
    if (!row) throw new TicketOpsError('conflict', 'Idempotency-Key is being reused concurrently; retry');
    if (row.request_hash !== hash) {
      throw new TicketOpsError('invalid_input', 'This Idempotency-Key was used for a different request', { details: [{ pointer: '/headers/idempotency-key', message: 'was used with another body or path' }] });
    }
    if (row.status === null) throw new TicketOpsError('conflict', 'A request with this Idempotency-Key is still being processed');
    const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    return { replay: { status: row.status, headers: parse(row.headers) as Record<string, string>, body: parse(row.body) } };
  }
  return {
    finish: async (response) => {
      await db.query('update idempotency_key set status = ?, headers = ?::jsonb, body = ?::jsonb where tenant_id = ? and principal = ? and key = ?', [
        response.status, JSON.stringify(response.headers), JSON.stringify(response.body ?? null), ...where,
      ]);
    },
    // A failed request is not remembered: the client may retry it with the same key.
    abandon: async () => {
      await db.query('delete from idempotency_key where tenant_id = ? and principal = ? and key = ?', where);
    },
  };
}
