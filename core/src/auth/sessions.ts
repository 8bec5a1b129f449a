import type { Database } from '../db/database.ts';
import type { KernelConfig } from '../config/config.ts';
import { newId } from '../kernel-data/ids.ts';
import { newSecret, sha256 } from './secrets.ts';

export const SESSION_COOKIE = 'ticketops_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Creates a console session; the cookie value is returned once, the table keeps its hash. */
export async function createSession(db: Database, config: KernelConfig, input: { tenantId: string; userId: string; ip: string | null; userAgent: string | null }) {
  const secret = newSecret('tks_');
  const csrfToken = newSecret('');
  const expiresAt = new Date(Date.now() + config.session.absoluteHours * 3_600_000);
  const id = newId('ses');
  await db.query(
    `insert into user_session (id, tenant_id, user_id, token_hash, csrf_token, last_seen_at, expires_at, ip, user_agent) values (?, ?, ?, ?, ?, now(), ?, ?, ?)`,
    [id, input.tenantId, input.userId, sha256(secret), csrfToken, expiresAt, input.ip, input.userAgent?.slice(0, 400) ?? null],
  );
  return { id, secret, csrfToken, expiresAt };
}

export async function revokeSession(db: Database, id: string): Promise<void> {
  await db.query('update user_session set revoked_at = now() where id = ? and revoked_at is null', [id]);
}

export function sessionCookieOptions(config: KernelConfig, expires?: Date) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.publicUrl?.startsWith('https:') ?? false,
    path: '/',
    ...(expires ? { expires } : {}),
  };
}
