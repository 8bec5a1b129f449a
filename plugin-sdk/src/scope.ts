import type { EntityManager } from '@mikro-orm/sql';

/** Who is acting: a signed-in user, an API token's user, or the system itself (jobs, CLI). */
export interface Actor {
  kind: 'user' | 'system';
  userId: string | null;
  role: string;
  permissions: ReadonlySet<string>;
  /** How the actor authenticated, for audit records. */
  via: 'session' | 'token' | 'system';
  /** The console session, for cookie-authenticated requests. */
  sessionId?: string;
  /** The user's email and display name, when known from authentication. */
  email?: string;
  name?: string;
}

/** A unit of work inside one transaction; events emitted here are delivered only after commit. */
export interface TransactionContext {
  em: EntityManager;
  emit(event: string, payload: Record<string, unknown>): Promise<void>;
  /** Appends to the kernel audit log in this transaction. */
  audit(entry: AuditEntry): Promise<void>;
}

/**
 * What a request, job or subscriber run sees: its own entity manager (filtered to the tenant),
 * the actor, the tenant, a request id, and the services it may resolve.
 */
export interface Scope {
  em: EntityManager;
  actor: Actor;
  tenantId: string;
  requestId: string;
  resolve<T = unknown>(name: string): T;
  transactional<R>(work: (tx: TransactionContext) => Promise<R>): Promise<R>;
  audit(entry: AuditEntry): Promise<void>;
}

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  data?: Record<string, unknown>;
}

export function hasPermission(actor: Actor, permission: string): boolean {
  if (actor.permissions.has('*') || actor.permissions.has(permission)) return true;
  // `tickets.*` grants every `tickets.<x>` permission.
  const parts = permission.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    if (actor.permissions.has(`${parts.slice(0, i).join('.')}.*`)) return true;
  }
  return false;
}
