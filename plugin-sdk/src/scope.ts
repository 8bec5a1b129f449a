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
  /**
   * Runs `work` in a savepoint of this transaction: if it throws, only its own writes, events and
   * notifications are undone and the error propagates; the transaction goes on. For batches where
   * one bad item must not spoil the rest, without a commit per item.
   */
  savepoint<R>(work: (tx: TransactionContext) => Promise<R>): Promise<R>;
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
