import { conflict, invalidInput } from '@ticketops/plugin-sdk';
import type { Database } from '../db/database.ts';
import { newId } from '../kernel-data/ids.ts';
import { ensureTenantDefaults } from './defaults.ts';

/** Creates a tenant with its built-in roles. Tenants share nothing: every row carries its tenant. */
export async function createTenant(db: Database, input: { slug: string; name: string }): Promise<{ id: string; slug: string; name: string }> {
  if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(input.slug)) throw invalidInput('slug must be lowercase letters, digits and dashes', [{ pointer: '/slug', message: 'is not a valid slug' }]);
  const id = newId('ten');
  const rows = await db.query<{ id: string }>('insert into tenant (id, slug, name) values (?, ?, ?) on conflict (slug) do nothing returning id', [id, input.slug, input.name]);
  if (rows.length === 0) throw conflict(`Tenant "${input.slug}" already exists`);
  await ensureTenantDefaults(db, id);
  return { id, slug: input.slug, name: input.name };
}
