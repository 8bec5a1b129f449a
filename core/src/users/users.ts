import { type CreateUserInput, type KernelHooks, type Scope, type UserRecord, TicketOpsError, conflict, invalidInput } from '@ticketops/plugin-sdk';
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

export async function findUserByEmail(scope: Scope, email: string) {
  const user = await scope.em.findOne(User, { email: email.trim().toLowerCase() });
  if (!user) throw new TicketOpsError('not_found', `No user with email ${email}`);
  return user;
}
