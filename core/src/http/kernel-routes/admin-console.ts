import { type RouteDefinition, defineRoute, notFound } from '@ticketops/plugin-sdk';
import type { Kernel } from '../../kernel/kernel.ts';
import { AuditLog, User } from '../../kernel-data/entities.ts';
import { decodeCursor, encodeCursor } from '../pagination.ts';
import { pluginSettingsRoutes } from './plugin-settings.ts';
import { listOf, userSchema } from './schemas.ts';

/** Config keys whose values never leave the server: secrets a plugin is configured with. */
const SECRET_KEY = /secret|password|passphrase|token|api.?key|private.?key|credential/i;

/**
 * A plugin's configured values with secrets replaced by `null` (keys named like a secret, or
 * declared `writeOnly` in the schema), so the console can show the configuration without leaking it.
 */
export function redactConfig(value: unknown, schema: Record<string, any> | undefined): { value: unknown; redacted: string[] } {
  const redacted: string[] = [];
  const walk = (v: unknown, s: Record<string, any> | undefined, path: string): unknown => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(v as Record<string, unknown>)) {
      const sub = s?.properties?.[key] as Record<string, any> | undefined;
      const pointer = `${path}/${key}`;
      if (SECRET_KEY.test(key) || sub?.writeOnly === true) {
        out[key] = null;
        redacted.push(pointer);
      } else out[key] = walk(inner, sub, pointer);
    }
    return out;
  };
  return { value: walk(value, schema, ''), redacted };
}

const like = (text: string) => `%${text.toLowerCase().replace(/[%_\\]/g, '\\$&')}%`;

/**
 * What the console's administration screens need beyond the resource routes: user search,
 * a filtered audit log, each enabled plugin's config schema with its (redacted) values, and the
 * tenant's plugin settings (`plugin-settings.ts`).
 */
export const adminConsoleRoutes = (kernel: Kernel): RouteDefinition[] => [
  defineRoute<unknown, { q?: string; role?: string; active?: boolean; limit: number; cursor?: string }>({
    method: 'get', path: '/users/search', summary: 'Find users by name or email, optionally by role and active state (oldest first)', tags: ['users'], permission: 'users.read',
    schema: {
      query: {
        type: 'object', additionalProperties: false,
        properties: {
          q: { type: 'string', maxLength: 200 }, role: { type: 'string', maxLength: 64 }, active: { type: 'boolean' },
          limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, cursor: { type: 'string', maxLength: 200 },
        },
      },
      response: { 200: listOf({ ...userSchema, properties: { ...userSchema.properties, organizationId: { type: ['string', 'null'] } } }) },
    },
    async handler({ scope, query }) {
      const after = decodeCursor(query.cursor);
      const where: Record<string, unknown> = {};
      if (after) where.id = { $gt: after };
      if (query.q?.trim()) where.$or = [{ name: { $ilike: like(query.q.trim()) } }, { email: { $ilike: like(query.q.trim()) } }];
      if (query.role) where.role = query.role;
      if (query.active !== undefined) where.active = query.active;
      const users = await scope.em.find(User, where, { orderBy: { id: 'asc' }, limit: query.limit + 1 });
      const page = users.slice(0, query.limit);
      return {
        items: page.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, organizationId: u.organizationId ?? null, active: u.active, createdAt: u.createdAt.toISOString() })),
        nextCursor: users.length > query.limit ? encodeCursor(page.at(-1)?.id as string) : null,
      };
    },
  }),
  defineRoute<unknown, { action?: string; actorId?: string; targetId?: string; from?: string; to?: string; limit: number; cursor?: string }>({
    method: 'get', path: '/audit/search', summary: 'Audit log filtered by action (or "prefix.*"), actor, target and time, newest first', tags: ['audit'], permission: 'audit.read',
    schema: {
      query: {
        type: 'object', additionalProperties: false,
        properties: {
          action: { type: 'string', maxLength: 100 }, actorId: { type: 'string', maxLength: 64 }, targetId: { type: 'string', maxLength: 64 },
          from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' },
          limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, cursor: { type: 'string', maxLength: 200 },
        },
      },
      response: { 200: listOf({ type: 'object' }) },
    },
    async handler({ scope, query }) {
      const before = decodeCursor(query.cursor);
      const where: Record<string, unknown> = {};
      if (before) where.id = { $lt: before };
      if (query.action?.endsWith('.*')) where.action = { $like: `${query.action.slice(0, -2).replace(/[%_\\]/g, '\\$&')}.%` };
      else if (query.action) where.action = query.action;
      if (query.actorId) where.actorId = query.actorId;
      if (query.targetId) where.targetId = query.targetId;
      const createdAt: Record<string, Date> = {};
      if (query.from) createdAt.$gte = new Date(query.from);
      if (query.to) createdAt.$lte = new Date(query.to);
      if (query.from || query.to) where.createdAt = createdAt;
      const rows = await scope.em.find(AuditLog, where, { orderBy: { id: 'desc' }, limit: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      return {
        items: page.map((r) => ({ id: r.id, action: r.action, actorId: r.actorId, targetType: r.targetType, targetId: r.targetId, data: r.data, ip: r.ip, requestId: r.requestId, createdAt: r.createdAt.toISOString() })),
        nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)?.id as string) : null,
      };
    },
  }),
  defineRoute<{ id: string }>({
    method: 'get', path: '/plugins/:id/config', summary: "An enabled plugin's config schema and its configured values (secrets redacted; set in the server's config file)", tags: ['plugins'], permission: 'plugins.read',
    schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } },
    async handler({ params }) {
      const plugin = kernel.plugins.find((p) => p.definition.id === params.id);
      if (!plugin) throw notFound('Plugin');
      const schema = (plugin.definition.configSchema ?? null) as Record<string, any> | null;
      const { value, redacted } = redactConfig(plugin.config, schema ?? undefined);
      // `writable: false`: the operator's config file sets it; `hasSettings`: the tenant's own settings exist (…/settings).
      return { id: plugin.definition.id, version: plugin.definition.version, schema, values: value, redacted, writable: false, hasSettings: plugin.definition.settingsSchema !== undefined };
    },
  }),
  ...pluginSettingsRoutes(kernel),
];
