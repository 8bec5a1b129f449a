import type { EntityManager } from '@mikro-orm/sql';
import type { AuditEntry } from '@ticketops/plugin-sdk';
import { newId } from '../kernel-data/ids.ts';

export interface AuditOrigin {
  tenantId: string;
  actorId: string | null;
  requestId: string | null;
  ip?: string | null;
}

/** Appends to the audit log, inside `em`'s transaction when it has one. */
export async function writeAudit(em: EntityManager, origin: AuditOrigin, entry: AuditEntry): Promise<void> {
  await em.getConnection().execute(
    `insert into audit_log (id, tenant_id, actor_id, action, target_type, target_id, data, ip, request_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      newId('aud'), origin.tenantId, origin.actorId, entry.action, entry.targetType ?? entry.action.split('.')[0], entry.targetId ?? null,
      entry.data ? JSON.stringify(entry.data) : null, origin.ip ?? null, origin.requestId,
    ] as never[],
    'run',
    em.getTransactionContext(),
  );
}
