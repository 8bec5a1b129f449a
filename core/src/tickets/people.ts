import type { EntityManager } from '@mikro-orm/sql';
import type { ErrorDetail } from '@ticketops/plugin-sdk';
import { newId } from '../kernel-data/ids.ts';
import { sql } from './sql.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface Person {
  id: string;
  role: string;
  organizationId: string | null;
}

export async function findPerson(em: EntityManager, tenantId: string, id: string): Promise<Person | null> {
  const rows = await sql<{ id: string; role: string; organization_id: string | null }>(
    em, 'select id, role, organization_id from app_user where tenant_id = ? and id = ? and active', [tenantId, id],
  );
  const row = rows[0];
  return row ? { id: row.id, role: row.role, organizationId: row.organization_id } : null;
}

/**
 * The requester given as an id, or as `{ email, name }`: an existing user of the tenant with that
 * email, or a new customer created on the spot (placed in the organization owning the email's domain).
 */
export async function resolveRequester(
  em: EntityManager,
  tenantId: string,
  requester: string | { email: string; name?: string },
): Promise<Person | ErrorDetail> {
  if (typeof requester === 'string') {
    return (await findPerson(em, tenantId, requester)) ?? { pointer: '/body/requester', message: 'is not a user of this help desk' };
  }
  const email = requester.email.trim().toLowerCase();
  if (!EMAIL.test(email)) return { pointer: '/body/requester/email', message: 'must be an email address' };
  const existing = await sql<{ id: string; role: string; organization_id: string | null }>(
    em, 'select id, role, organization_id from app_user where tenant_id = ? and lower(email) = ?', [tenantId, email],
  );
  if (existing[0]) return { id: existing[0].id, role: existing[0].role, organizationId: existing[0].organization_id };
  const domain = email.split('@')[1] as string;
  const org = await sql<{ id: string }>(em, 'select id from organization where tenant_id = ? and ? = any(domains) limit 1', [tenantId, domain]);
  const id = newId('usr');
  const organizationId = org[0]?.id ?? null;
  await sql(em, `insert into app_user (id, tenant_id, email, name, role, organization_id) values (?, ?, ?, ?, 'customer', ?)`, [
    id, tenantId, email, requester.name?.trim() || email.split('@')[0], organizationId,
  ]);
  return { id, role: 'customer', organizationId };
}

/** Assignees are staff: agents, admins, or custom roles — never customers. */
export async function checkAssignee(em: EntityManager, tenantId: string, id: string | null): Promise<ErrorDetail | null> {
  if (id === null) return null;
  const person = await findPerson(em, tenantId, id);
  if (!person) return { pointer: '/body/assigneeId', message: 'is not a user of this help desk' };
  if (person.role === 'customer') return { pointer: '/body/assigneeId', message: 'customers cannot be assignees' };
  return null;
}

export async function checkExists(em: EntityManager, tenantId: string, table: 'agent_group' | 'organization', id: string | null, pointer: string): Promise<ErrorDetail | null> {
  if (id === null) return null;
  const rows = await sql(em, `select 1 from ${table} where tenant_id = ? and id = ?`, [tenantId, id]);
  return rows.length ? null : { pointer, message: `is not ${table === 'agent_group' ? 'a group' : 'an organization'} of this help desk` };
}
