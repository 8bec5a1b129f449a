import type { Database } from '../db/database.ts';
import { BUILTIN_ROLES } from '../auth/roles.ts';
import { DEFAULT_TENANT_ID } from '../kernel-data/ids.ts';

/** Idempotent rows every installation needs: the default tenant and its built-in roles. */
export async function ensureDefaults(db: Database): Promise<void> {
  await db.query(`insert into tenant (id, slug, name) values (?, 'default', 'Default') on conflict do nothing`, [DEFAULT_TENANT_ID]);
  await ensureBuiltinRoles(db, DEFAULT_TENANT_ID);
}

export async function ensureBuiltinRoles(db: Database, tenantId: string): Promise<void> {
  for (const name of BUILTIN_ROLES) {
    await db.query(
      `insert into role (id, tenant_id, name, description, permissions, builtin) values (?, ?, ?, ?, '[]', true) on conflict do nothing`,
      [`rol_${tenantId}_${name}`, tenantId, name, `Built-in ${name} role`],
    );
  }
}
