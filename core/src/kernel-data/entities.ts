import { defineEntity, p } from '@mikro-orm/core';
import { ticketEntities } from '../tickets/entities.ts';

/**
 * Kernel-owned tables. Every tenant-owned entity carries `tenantId`; the kernel's `tenant`
 * filter (db/orm.ts) scopes every query on it. Schemas here must match kernel-data/migrations.ts.
 */
const timestamps = {
  createdAt: p.datetime().onCreate(() => new Date()),
};

export const Tenant = defineEntity({
  name: 'Tenant',
  tableName: 'tenant',
  properties: {
    id: p.string().primary(),
    slug: p.string(),
    name: p.string(),
    ...timestamps,
  },
});

export const Role = defineEntity({
  name: 'Role',
  tableName: 'role',
  properties: {
    id: p.string().primary(),
    tenantId: p.string(),
    name: p.string(),
    description: p.string().default(''),
    permissions: p.json<string[]>(),
    builtin: p.boolean().default(false),
    ...timestamps,
  },
});

export const User = defineEntity({
  name: 'User',
  tableName: 'app_user',
  properties: {
    id: p.string().primary(),
    tenantId: p.string(),
    email: p.string(),
    name: p.string(),
    role: p.string(),
    organizationId: p.string().nullable(),
    passwordHash: p.string().nullable().hidden(),
    active: p.boolean().default(true),
    ...timestamps,
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export const ApiToken = defineEntity({
  name: 'ApiToken',
  tableName: 'api_token',
  properties: {
    id: p.string().primary(),
    tenantId: p.string(),
    userId: p.string(),
    name: p.string(),
    tokenHash: p.string().hidden(),
    /** First characters of the token, shown in lists so a person can tell tokens apart. */
    hint: p.string(),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    ...timestamps,
  },
});

export const Session = defineEntity({
  name: 'Session',
  tableName: 'user_session',
  properties: {
    id: p.string().primary(),
    tenantId: p.string(),
    userId: p.string(),
    tokenHash: p.string().hidden(),
    csrfToken: p.string().hidden(),
    lastSeenAt: p.datetime(),
    /** Absolute end of the session, whatever its activity. */
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    ip: p.string().nullable(),
    userAgent: p.string().nullable(),
    ...timestamps,
  },
});

export const AuditLog = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_log',
  properties: {
    id: p.string().primary(),
    tenantId: p.string(),
    actorId: p.string().nullable(),
    action: p.string(),
    targetType: p.string().nullable(),
    targetId: p.string().nullable(),
    data: p.json<Record<string, unknown>>().nullable(),
    ip: p.string().nullable(),
    requestId: p.string().nullable(),
    ...timestamps,
  },
});

export const kernelEntities = [Tenant, Role, User, ApiToken, Session, AuditLog, ...ticketEntities];
