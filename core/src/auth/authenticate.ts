import type { Actor } from '@ticketops/plugin-sdk';
import { TicketOpsError, notFound } from '@ticketops/plugin-sdk';
import type { Kernel } from '../kernel/kernel.ts';
import { BUILTIN_ROLES, type BuiltinRole } from './roles.ts';
import { sha256 } from './secrets.ts';
import { CSRF_HEADER, SESSION_COOKIE } from './sessions.ts';
import { safeEqual } from './secrets.ts';

export interface Principal {
  actor: Actor;
  tenantId: string;
  sessionId?: string;
}

interface Row {
  cred_id: string;
  tenant_id: string;
  user_id: string;
  role: string;
  active: boolean;
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
  last_used_at?: Date | string | null;
  last_seen_at?: Date | string;
  csrf_token?: string;
  email?: string;
  name?: string;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const asDate = (v: Date | string | null | undefined) => (v == null ? null : v instanceof Date ? v : new Date(v));

/**
 * Resolves the caller from `Authorization: Bearer <token>` or the session cookie. Returns null for an
 * anonymous request; throws `unauthenticated` for credentials that are present but not valid
 * (revoked, expired, idle) so the client learns it must sign in again.
 */
export async function authenticate(
  kernel: Kernel,
  req: { method: string; headers: Record<string, string | string[] | undefined>; cookies?: Record<string, string> },
): Promise<Principal | null> {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.length > 0) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new TicketOpsError('unauthenticated', 'Authorization header must be "Bearer <token>"');
    return authenticateToken(kernel, match[1] as string);
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  if (cookie) return authenticateSession(kernel, cookie, req);
  return null;
}

async function authenticateToken(kernel: Kernel, token: string): Promise<Principal> {
  const hash = sha256(token);
  const cached = kernel.authCache.get(hash);
  if (cached) return cached;
  const rows = await kernel.db.query<Row>(
    `select t.id as cred_id, t.tenant_id, t.user_id, u.role, u.active, u.email, u.name, t.expires_at, t.revoked_at, t.last_used_at
       from api_token t join app_user u on u.id = t.user_id where t.token_hash = ?`,
    [hash],
  );
  const row = rows[0];
  if (!row) throw new TicketOpsError('unauthenticated', 'The API token is not valid');
  if (row.revoked_at) throw new TicketOpsError('unauthenticated', 'The API token has been revoked');
  const expires = asDate(row.expires_at);
  if (expires && expires.getTime() <= Date.now()) throw new TicketOpsError('unauthenticated', 'The API token has expired');
  if (!row.active) throw new TicketOpsError('unauthenticated', 'The user of this token is deactivated');
  const lastUsed = asDate(row.last_used_at);
  // Record use at most once a minute: a write per request would cost more than the request.
  if (!lastUsed || Date.now() - lastUsed.getTime() > 60_000) {
    kernel.db.query('update api_token set last_used_at = now() where id = ?', [row.cred_id]).catch(() => {});
  }
  const principal = {
    tenantId: row.tenant_id,
    actor: { ...(await actorFor(kernel, row, 'token')), email: row.email, name: row.name },
    user: { email: row.email as string, name: row.name as string },
    credentialId: row.cred_id,
    validUntil: expires ? expires.getTime() : Number.POSITIVE_INFINITY,
  };
  kernel.authCache.set(hash, principal);
  return principal;
}

async function authenticateSession(
  kernel: Kernel,
  cookie: string,
  req: { method: string; headers: Record<string, string | string[] | undefined> },
): Promise<Principal> {
  const rows = await kernel.db.query<Row>(
    `select s.id as cred_id, s.tenant_id, s.user_id, u.role, u.active, u.email, u.name, s.expires_at, s.revoked_at, s.last_seen_at, s.csrf_token
       from user_session s join app_user u on u.id = s.user_id where s.token_hash = ?`,
    [sha256(cookie)],
  );
  const row = rows[0];
  if (!row || row.revoked_at) throw new TicketOpsError('unauthenticated', 'The session has ended; sign in again');
  const now = Date.now();
  const expires = asDate(row.expires_at) as Date;
  const lastSeen = asDate(row.last_seen_at) as Date;
  if (expires.getTime() <= now) throw new TicketOpsError('unauthenticated', 'The session has expired; sign in again');
  if (now - lastSeen.getTime() > kernel.config.session.idleMinutes * 60_000) {
    throw new TicketOpsError('unauthenticated', 'The session timed out after inactivity; sign in again');
  }
  if (!row.active) throw new TicketOpsError('unauthenticated', 'The user is deactivated');
  if (UNSAFE.has(req.method)) {
    const sent = req.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !safeEqual(sent, row.csrf_token as string)) {
      throw new TicketOpsError('forbidden', `Missing or wrong ${CSRF_HEADER} header for a cookie-authenticated request`);
    }
  }
  if (now - lastSeen.getTime() > 30_000) {
    await kernel.db.query('update user_session set last_seen_at = now() where id = ?', [row.cred_id]);
  }
  return { tenantId: row.tenant_id, sessionId: row.cred_id, actor: { ...(await actorFor(kernel, row, 'session')), sessionId: row.cred_id, email: row.email, name: row.name } };
}

async function actorFor(kernel: Kernel, row: Row, via: Actor['via']): Promise<Actor> {
  return { kind: 'user', userId: row.user_id, role: row.role, permissions: await permissionsOf(kernel, row.tenant_id, row.role), via };
}

/** The actor of an active user, for work done on their behalf (plugins' `forUser`). */
export async function actorOfUser(kernel: Kernel, tenantId: string, userId: string): Promise<Actor> {
  const rows = await kernel.db.query<{ role: string; email: string; name: string }>('select role, email, name from app_user where tenant_id = ? and id = ? and active', [tenantId, userId]);
  const row = rows[0];
  if (!row) throw notFound('User');
  return { kind: 'user', userId, role: row.role, permissions: await permissionsOf(kernel, tenantId, row.role), via: 'system', email: row.email, name: row.name };
}

/** Built-in roles come from code (kernel + plugin grants); custom roles from the `role` table. */
export async function permissionsOf(kernel: Kernel, tenantId: string, role: string): Promise<ReadonlySet<string>> {
  if ((BUILTIN_ROLES as readonly string[]).includes(role)) return kernel.rolePermissions[role as BuiltinRole];
  const rows = await kernel.db.query<{ permissions: string[] | string }>('select permissions from role where tenant_id = ? and name = ?', [tenantId, role]);
  const raw = rows[0]?.permissions ?? [];
  return new Set(typeof raw === 'string' ? (JSON.parse(raw) as string[]) : raw);
}
