/**
 * Per-tenant ticket numbers come from a PostgreSQL sequence per tenant. A sequence is not
 * transactional, so concurrent creates never wait for each other's commit (a counter row would
 * serialise every create of a tenant behind one lock); the price is a gap when a create rolls back,
 * which help desks accept.
 */
export const numberSequence = (tenantId: string) => `ticket_number_${tenantId.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;

/** Creates the tenant's sequence if missing, never behind the highest number already used. */
export function ensureNumberSequenceSql(tenantId: string): string[] {
  const seq = numberSequence(tenantId);
  return [
    `create sequence if not exists ${seq} as bigint minvalue 1`,
    // Two statements keep the literal tenant id out of DDL; the id itself is escaped by the caller's driver.
    `select setval('${seq}', greatest((select coalesce(max(number), 0) from ticket where tenant_id = ?), (select last_value from ${seq}), 1), (select coalesce(max(number), 0) from ticket where tenant_id = ?) > 0 or (select is_called from ${seq}))`,
  ];
}
