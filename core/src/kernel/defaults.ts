import type { Database } from '../db/database.ts';
import { BUILTIN_ROLES } from '../auth/roles.ts';
import { DEFAULT_TENANT_ID } from '../kernel-data/ids.ts';
import { ensureNumberSequenceSql } from '../tickets/numbers.ts';

/** Out-of-the-box statuses, one per category, and priorities, in display order. */
export const DEFAULT_STATUSES = [
  ['new', 'new'], ['open', 'open'], ['pending', 'pending'], ['on-hold', 'on-hold'], ['solved', 'solved'], ['closed', 'closed'],
] as const;
export const DEFAULT_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/** Idempotent rows every installation needs: the default tenant and its defaults. */
export async function ensureDefaults(db: Database): Promise<void> {
  await db.query(`insert into tenant (id, slug, name) values (?, 'default', 'Default') on conflict do nothing`, [DEFAULT_TENANT_ID]);
  await ensureTenantDefaults(db, DEFAULT_TENANT_ID);
}

/** Built-in roles, default statuses and priorities of a tenant; never overwrites an admin's changes. */
export async function ensureTenantDefaults(db: Database, tenantId: string): Promise<void> {
  const values = (rows: unknown[][]) => rows.map((r) => `(${r.map(() => '?').join(', ')})`).join(', ');
  const roles = BUILTIN_ROLES.map((name) => [`rol_${tenantId}_${name}`, tenantId, name, `Built-in ${name} role`]);
  await db.query(`insert into role (id, tenant_id, name, description, permissions, builtin) select v.*, '[]'::jsonb, true from (values ${values(roles)}) v on conflict do nothing`, roles.flat());
  const statuses = DEFAULT_STATUSES.map(([name, category], i) => [`tst_${tenantId}_${name}`, tenantId, name, category, i]);
  await db.query(`insert into ticket_status (id, tenant_id, name, category, position) values ${values(statuses)} on conflict do nothing`, statuses.flat());
  const priorities = DEFAULT_PRIORITIES.map((name, i) => [`tpr_${tenantId}_${name}`, tenantId, name, i]);
  await db.query(`insert into ticket_priority (id, tenant_id, name, position) values ${values(priorities)} on conflict do nothing`, priorities.flat());
  const [create, align] = ensureNumberSequenceSql(tenantId) as [string, string];
  await db.query(create);
  await db.query(align, [tenantId, tenantId]);
}
