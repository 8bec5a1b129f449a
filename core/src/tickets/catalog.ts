import type { EntityManager } from '@mikro-orm/sql';
import { type ErrorDetail, TicketOpsError } from '@ticketops/plugin-sdk';
import { createAjv, toDetails } from '../config/ajv.ts';
import type { Listener } from '../db/listener.ts';
import { sql } from './sql.ts';

export const CATALOG_CHANNEL = 'ticketops_catalog';
const TTL_MS = 60_000;

type Validate = ReturnType<ReturnType<typeof createAjv>['compile']>;

/** A tenant's active statuses (name → category), priorities and ticket types (name → fields validator). */
export interface CatalogSnapshot {
  statuses: Map<string, string>;
  priorities: Set<string>;
  types: Map<string, Validate>;
  loadedAt: number;
}

/**
 * Every write of a ticket checks its status, priority and type. Those change rarely, so each node
 * keeps the tenant's active ones in memory instead of asking the database on every write. A trigger
 * on the three tables NOTIFYs every node when a change commits (migration 0010); the node that made
 * the change also forgets at once (`forget`), the TTL bounds staleness should a notification be
 * lost, and a listener reconnect clears everything.
 */
export class TicketCatalog {
  readonly #tenants = new Map<string, CatalogSnapshot>();
  readonly #ajv = createAjv({ useDefaults: false });
  /** Compiled validators by type id and schema text: a reload does not recompile unchanged schemas. */
  readonly #validators = new Map<string, Validate>();

  async attach(listener: Listener): Promise<void> {
    await listener.on(CATALOG_CHANNEL, (tenantId) => this.forget(tenantId));
    listener.onReconnect(() => this.#tenants.clear());
  }

  forget(tenantId: string): void {
    this.#tenants.delete(tenantId);
  }

  async snapshot(em: EntityManager, tenantId: string): Promise<CatalogSnapshot> {
    const cached = this.#tenants.get(tenantId);
    if (cached && Date.now() - cached.loadedAt < TTL_MS) return cached;
    const rows = await sql<{ kind: string; id: string; name: string; category: string | null; fields_schema: unknown }>(
      em,
      `select 'status' as kind, id, name, category, null::jsonb as fields_schema from ticket_status where tenant_id = ? and active
       union all select 'priority', id, name, null, null from ticket_priority where tenant_id = ? and active
       union all select 'type', id, name, null, fields_schema from ticket_type where tenant_id = ? and active`,
      [tenantId, tenantId, tenantId],
    );
    const snapshot: CatalogSnapshot = { statuses: new Map(), priorities: new Set(), types: new Map(), loadedAt: Date.now() };
    for (const row of rows) {
      if (row.kind === 'status') snapshot.statuses.set(row.name, row.category as string);
      else if (row.kind === 'priority') snapshot.priorities.add(row.name);
      else snapshot.types.set(row.name, this.#validator(row.id, row.fields_schema));
    }
    this.#tenants.set(tenantId, snapshot);
    return snapshot;
  }

  #validator(id: string, fieldsSchema: unknown): Validate {
    const schema = typeof fieldsSchema === 'string' ? JSON.parse(fieldsSchema) : fieldsSchema;
    const key = `${id}:${JSON.stringify(schema)}`;
    let validate = this.#validators.get(key);
    if (!validate) {
      validate = this.#ajv.compile({ ...(schema as object), $id: undefined });
      this.#validators.set(key, validate);
    }
    return validate;
  }
}

/** The status's category, or a detail naming the field when the tenant has no such (active) status. */
export function statusCategory(catalog: CatalogSnapshot, status: string, pointer: string): string | ErrorDetail {
  return catalog.statuses.get(status) ?? { pointer, message: `"${status}" is not a status of this help desk` };
}

export function checkPriority(catalog: CatalogSnapshot, priority: string, pointer: string): ErrorDetail | null {
  return catalog.priorities.has(priority) ? null : { pointer, message: `"${priority}" is not a priority of this help desk` };
}

/**
 * Validates custom fields against the ticket type's JSON Schema; every failing field is listed under
 * `/body/customFields/...`. A ticket without a type accepts no custom fields.
 */
export function checkTypeAndFields(catalog: CatalogSnapshot, type: string | null, customFields: Record<string, unknown>): ErrorDetail[] {
  if (type === null) {
    return Object.keys(customFields).length ? [{ pointer: '/body/customFields', message: 'custom fields need a ticket type' }] : [];
  }
  const validate = catalog.types.get(type);
  if (!validate) return [{ pointer: '/body/type', message: `"${type}" is not a ticket type of this help desk` }];
  return validate(customFields) ? [] : toDetails(validate.errors, '/body/customFields');
}

export function throwIfAny(details: ErrorDetail[], message = 'Invalid ticket'): void {
  if (details.length) throw new TicketOpsError('invalid_input', `${message}: ${details.map((d) => `${d.pointer} ${d.message}`).join('; ')}`, { details });
}
