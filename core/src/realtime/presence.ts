import type { Kernel } from '../kernel/kernel.ts';

export const PRESENCE_CHANNEL = 'ticketops_presence';
/** A presence lasts this long without a heartbeat (clients resend every ~15 s). */
export const PRESENCE_TTL_SECONDS = 30;

export interface PresenceEntry {
  userId: string;
  name: string;
  state: 'viewing' | 'replying';
}

/** Records (or clears, with `left`) a user's presence on a ticket and tells every node. */
export async function setPresence(kernel: Kernel, tenantId: string, ticketId: string, userId: string, state: 'viewing' | 'replying' | 'left'): Promise<void> {
  if (state === 'left') {
    await kernel.db.query('delete from ticket_presence where ticket_id = ? and user_id = ?', [ticketId, userId]);
  } else {
    await kernel.db.query(
      `insert into ticket_presence (tenant_id, ticket_id, user_id, state, expires_at) values (?, ?, ?, ?, now() + make_interval(secs => ?))
       on conflict (ticket_id, user_id) do update set state = excluded.state, expires_at = excluded.expires_at`,
      [tenantId, ticketId, userId, state, PRESENCE_TTL_SECONDS],
    );
  }
  await kernel.db.query('select pg_notify(?, ?)', [PRESENCE_CHANNEL, JSON.stringify({ tenantId, ticketId })]);
}

export async function presenceOf(kernel: Kernel, tenantId: string, ticketId: string): Promise<PresenceEntry[]> {
  return kernel.db.query<PresenceEntry>(
    `select p.user_id as "userId", u.name, p.state from ticket_presence p join app_user u on u.id = p.user_id
      where p.tenant_id = ? and p.ticket_id = ? and p.expires_at > now() order by u.name`,
    [tenantId, ticketId],
  );
}
