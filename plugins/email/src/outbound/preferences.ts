import type { EntityManager } from '@mikro-orm/sql';
import { sql } from './db.ts';
import type { NotificationKind } from './notifications.ts';

export interface Preference {
  locale: string | null;
  disabled: Set<NotificationKind>;
}

/** Each user's stored preference (users without a row get everything, in the tenant's locale). */
export async function loadPreferences(em: EntityManager, tenantId: string, userIds: string[]): Promise<Map<string, Preference>> {
  if (!userIds.length) return new Map();
  const rows = await sql<{ user_id: string; locale: string | null; disabled: NotificationKind[] }>(
    em,
    'select user_id, locale, disabled from email_preference where tenant_id = ? and user_id = any(?::text[])',
    [tenantId, `{${userIds.join(',')}}`],
  );
  return new Map(rows.map((r) => [r.user_id, { locale: r.locale, disabled: new Set(r.disabled) }]));
}
