import type { EntityManager } from '@mikro-orm/sql';
import { type ErrorDetail, TicketOpsError } from '@ticketops/plugin-sdk';
import { createAjv, toDetails } from '../config/ajv.ts';
import { sql } from './sql.ts';

const ajv = createAjv({ useDefaults: false });
const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

/** The status's category, or a detail naming the field when the tenant has no such (active) status. */
export async function statusCategory(em: EntityManager, tenantId: string, status: string, pointer: string): Promise<string | ErrorDetail> {
  const rows = await sql<{ category: string }>(em, 'select category from ticket_status where tenant_id = ? and name = ? and active', [tenantId, status]);
  return rows[0]?.category ?? { pointer, message: `"${status}" is not a status of this help desk` };
}

export async function checkPriority(em: EntityManager, tenantId: string, priority: string, pointer: string): Promise<ErrorDetail | null> {
  const rows = await sql(em, 'select 1 from ticket_priority where tenant_id = ? and name = ? and active', [tenantId, priority]);
  return rows.length ? null : { pointer, message: `"${priority}" is not a priority of this help desk` };
}

/**
 * Validates custom fields against the ticket type's JSON Schema; every failing field is listed under
 * `/body/customFields/...`. A ticket without a type accepts no custom fields.
 */
export async function checkTypeAndFields(
  em: EntityManager,
  tenantId: string,
  type: string | null,
  customFields: Record<string, unknown>,
): Promise<ErrorDetail[]> {
  if (type === null) {
    return Object.keys(customFields).length ? [{ pointer: '/body/customFields', message: 'custom fields need a ticket type' }] : [];
  }
  const rows = await sql<{ id: string; fields_schema: unknown }>(em, 'select id, fields_schema from ticket_type where tenant_id = ? and name = ? and active', [tenantId, type]);
  const row = rows[0];
  if (!row) return [{ pointer: '/body/type', message: `"${type}" is not a ticket type of this help desk` }];
  const schema = typeof row.fields_schema === 'string' ? JSON.parse(row.fields_schema) : row.fields_schema;
  const key = `${row.id}:${JSON.stringify(schema)}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile({ ...(schema as object), $id: undefined });
    compiled.set(key, validate);
  }
  return validate(customFields) ? [] : toDetails(validate.errors, '/body/customFields');
}

export function throwIfAny(details: ErrorDetail[], message = 'Invalid ticket'): void {
  if (details.length) throw new TicketOpsError('invalid_input', `${message}: ${details.map((d) => `${d.pointer} ${d.message}`).join('; ')}`, { details });
}
