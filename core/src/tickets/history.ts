import type { EntityManager } from '@mikro-orm/sql';
import type { TicketChange } from '@ticketops/plugin-sdk';
import { newId } from '../kernel-data/ids.ts';
import { type Statement, sql } from './sql.ts';

export interface HistoryOrigin {
  tenantId: string;
  ticketId: string;
  actorId: string | null;
  /** Channel of the change: api, email, web, portal, rule… */
  channel: string;
  /** What made the change when not a person directly (a rule id, `merge`, `bulk`…). */
  via?: string | null;
}

/** One row per changed field: who, when, via what, old → new. */
export async function recordHistory(em: EntityManager, origin: HistoryOrigin, changes: TicketChange[]): Promise<void> {
  const statement = historyStatement(origin, changes);
  if (statement) await sql(em, statement.text, statement.params);
}

export function historyStatement(origin: HistoryOrigin, changes: TicketChange[]): Statement | null {
  if (changes.length === 0) return null;
  const rows = changes.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
  const params = changes.flatMap((c) => [
    newId('thi'), origin.tenantId, origin.ticketId, origin.actorId, origin.channel, origin.via ?? null, c.field,
    c.from === undefined ? null : JSON.stringify(c.from), c.to === undefined ? null : JSON.stringify(c.to),
  ]);
  return { text: `insert into ticket_history (id, tenant_id, ticket_id, actor_id, channel, via, field, old_value, new_value) values ${rows}`, params };
}
