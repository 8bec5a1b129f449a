import type { EntityManager } from '@mikro-orm/sql';
import { sql } from './db.ts';

/** How long a bounced address gets no mail, unless the plugin config says otherwise. */
export const DEFAULT_SUPPRESSION_HOURS = 72;
let suppressionHours = DEFAULT_SUPPRESSION_HOURS;

/** Set from `config.outbound.bounceSuppressionHours` when the plugin starts. */
export function setBounceSuppressionHours(hours: number): void {
  suppressionHours = hours;
}

/**
 * Records that `address` rejected mail permanently (an SMTP 5xx answer, or a DSN bounce mail the
 * inbound part parsed): later mail to it is suppressed for the configured time, counted from this
 * bounce. Runs in `em`'s transaction when there is one.
 */
export async function recordBounce(em: EntityManager, tenantId: string, address: string, reason: string, hours = suppressionHours): Promise<void> {
  await sql(
    em,
    `insert into email_bounce (tenant_id, address, reason, suppressed_until) values (?, ?, ?, now() + make_interval(secs => ?))
     on conflict (tenant_id, address) do update set reason = excluded.reason, bounces = email_bounce.bounces + 1,
       last_bounced_at = now(), suppressed_until = excluded.suppressed_until`,
    [tenantId, address.trim().toLowerCase(), reason.slice(0, 1000), hours * 3600],
  );
}

/** True when mail to `address` is suppressed now (it bounced recently). */
export async function isSuppressed(em: EntityManager, tenantId: string, address: string): Promise<boolean> {
  const rows = await sql(em, 'select 1 from email_bounce where tenant_id = ? and address = ? and suppressed_until > now()', [tenantId, address.trim().toLowerCase()]);
  return rows.length > 0;
}
