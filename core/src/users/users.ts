import { LockMode } from '@mikro-orm/core';
import { type CreateUserInput, type KernelHooks, type Scope, type UserRecord, TicketOpsError, conflict, invalidInput } from '@ticketops/plugin-sdk';
import { invalidateAuth } from '../auth/auth-cache.ts';
import { hashPassword } from '../auth/secrets.ts';
import { runValidate } from '../hooks/hooks.ts';
import { User } from '../kernel-data/entities.ts';
import { newId } from '../kernel-data/ids.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function toUserRecord(user: { id: string; tenantId: string; email: string; name: string; role: string }): UserRecord {
  return { id: user.id, tenantId: user.tenantId, email: user.email, name: user.name, role: user.role };
}

/**
 * Creates a user through the kernel's user hooks (beforeCreate → validateUser → insert →
 * afterCreate), emits `user.created` and writes the audit record, all in one transaction.
 */
export async function createUser(scope: Scope, hooks: KernelHooks, input: CreateUserInput): Promise<UserRecord> {
  return scope.transactional(async (tx) => {
    const ctx = { tenantId: scope.tenantId, actor: scope.actor, requestId: scope.requestId, em: tx.em, emit: tx.emit };
    const data = await hooks.user.beforeCreate.promise({ ...input, email: input.email.trim().toLowerCase() }, ctx);
    if (!EMAIL.test(data.email)) throw invalidInput('email is not a valid address', [{ pointer: '/body/email', message: 'must be an email address' }]);
    if (!data.name?.trim()) throw invalidInput('name is required', [{ pointer: '/body/name', message: 'must not be empty' }]);
    if (data.password !== undefined && data.password.length < 8) {
      throw invalidInput('password is too short', [{ pointer: '/body/password', message: 'must have at least 8 characters' }]);
    }
    const roles = await tx.em.getConnection().execute<{ name: string }[]>(
      'select name from role where tenant_id = ? and name = ?', [scope.tenantId, data.role] as never[], 'all', tx.em.getTransactionContext(),
    );
    if (roles.length === 0) throw invalidInput(`role "${data.role}" does not exist`, [{ pointer: '/body/role', message: 'is not a role of this tenant' }]);
    await runValidate(hooks.user.validateUser, data, ctx);

    const existing = await tx.em.getConnection().execute<unknown[]>(
      'select 1 from app_user where tenant_id = ? and lower(email) = ?', [scope.tenantId, data.email] as never[], 'all', tx.em.getTransactionContext(),
    );
    if (existing.length > 0) throw conflict(`A user with email ${data.email} already exists`);

    const user = tx.em.create(User, {
      id: newId('usr'),
      tenantId: scope.tenantId,
      email: data.email,
      name: data.name.trim(),
      role: data.role,
      passwordHash: data.password ? await hashPassword(data.password) : null,
      active: true,
    });
    await tx.em.flush();
    const record = toUserRecord(user);
    await hooks.user.afterCreate.promise(record, ctx);
    await tx.emit('user.created', { userId: record.id, role: record.role });
    await tx.audit({ action: 'user.created', targetId: record.id, data: { email: record.email, role: record.role } });
    return record;
  });
}


/**
 * Changes a user. Role changes and deactivation are audited; deactivation revokes tokens and ends
 * sessions; every node forgets cached credentials of the user at once. The last active admin of a
 * tenant stays an active admin.
 */
export async function changeUser(
  kernel: import('../kernel/kernel.ts').Kernel, scope: Scope, id: string,
  patch: { name?: string; role?: string; organizationId?: string | null; active?: boolean; password?: string },
) {
  const updated = await scope.transactional(async (tx) => {
    const user = await tx.em.findOne(User, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!user) throw new TicketOpsError('not_found', 'User was not found');
    const run = (text: string, params: unknown[]) => tx.em.getConnection().execute(text, params as never[], 'all', tx.em.getTransactionContext());
    if (patch.role !== undefined && patch.role !== user.role) {
      const roles = (await run('select 1 from role where tenant_id = ? and name = ?', [scope.tenantId, patch.role])) as unknown[];
      if (roles.length === 0) throw invalidInput(`role "${patch.role}" does not exist`, [{ pointer: '/body/role', message: 'is not a role of this tenant' }]);
    }
    if (patch.organizationId) {
      const orgs = (await run('select 1 from organization where tenant_id = ? and id = ?', [scope.tenantId, patch.organizationId])) as unknown[];
      if (orgs.length === 0) throw invalidInput('organization does not exist', [{ pointer: '/body/organizationId', message: 'is not an organization of this help desk' }]);
    }
    const losesAdmin = user.role === 'admin' && user.active && ((patch.role !== undefined && patch.role !== 'admin') || patch.active === false);
    if (losesAdmin) {
      const admins = (await run(`select count(*)::int as n from app_user where tenant_id = ? and role = 'admin' and active and id <> ?`, [scope.tenantId, id])) as { n: number }[];
      if ((admins[0]?.n ?? 0) === 0) throw conflict('This is the last active admin; make someone else admin first');
    }
    const before = { role: user.role, active: user.active };
    if (patch.name !== undefined) user.name = patch.name.trim();
    if (patch.role !== undefined) user.role = patch.role;
    if (patch.organizationId !== undefined) user.organizationId = patch.organizationId;
    if (patch.active !== undefined) user.active = patch.active;
    if (patch.password !== undefined) user.passwordHash = await hashPassword(patch.password);
    await tx.em.flush();
    if (before.role !== user.role) await tx.audit({ action: 'user.role_changed', targetType: 'user', targetId: id, data: { from: before.role, to: user.role } });
    if (before.active && !user.active) {
      await run('update api_token set revoked_at = now() where user_id = ? and revoked_at is null', [id]);
      await run('update user_session set revoked_at = now() where user_id = ? and revoked_at is null', [id]);
      await tx.audit({ action: 'user.deactivated', targetType: 'user', targetId: id });
    }
    if (patch.password !== undefined) await tx.audit({ action: 'user.password_reset', targetType: 'user', targetId: id });
    return user;
  });
  await invalidateAuth(kernel.db, kernel.authCache, { userId: id });
  return updated;
}
