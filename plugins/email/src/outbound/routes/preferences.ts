import { type ErrorDetail, type RouteDefinition, TicketOpsError, defineRoute, hasPermission, unauthenticated } from '@ticketops/plugin-sdk';
import { sql } from '../db.ts';
import { NOTIFICATIONS, NOTIFICATION_KINDS, type NotificationKind, STAFF_PERMISSION, kindsFor } from '../notifications.ts';
import { loadPreferences } from '../preferences.ts';

const locale = { type: ['string', 'null'], pattern: '^[a-z]{2}(-[A-Z]{2})?$', description: 'Language of your mail (`en`, `de`); null: the help desk’s default' };
const preferencesSchema = {
  type: 'object',
  required: ['locale', 'notifications'],
  properties: {
    locale,
    notifications: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'enabled', 'essential'],
        properties: { kind: { type: 'string' }, enabled: { type: 'boolean' }, essential: { type: 'boolean' }, description: { type: 'string' } },
      },
    },
  },
};

interface Body {
  locale?: string | null;
  notifications?: Partial<Record<NotificationKind, boolean>>;
}

async function view(scope: Parameters<RouteDefinition['handler']>[0]['scope'], userId: string) {
  const pref = (await loadPreferences(scope.em, scope.tenantId, [userId])).get(userId);
  return {
    locale: pref?.locale ?? null,
    notifications: kindsFor(hasPermission(scope.actor, STAFF_PERMISSION)).map((kind) => ({
      kind, enabled: NOTIFICATIONS[kind].essential || !pref?.disabled.has(kind), essential: NOTIFICATIONS[kind].essential, description: NOTIFICATIONS[kind].description,
    })),
  };
}

/** The signed-in user's own mail preferences: which notifications they get, and in which language. */
export const preferenceRoutes = (): RouteDefinition[] => [
  defineRoute({
    method: 'get',
    path: '/preferences',
    summary: 'Your email notification preferences',
    permission: null,
    schema: { response: { 200: preferencesSchema } },
    async handler({ scope }) {
      if (!scope.actor.userId) throw unauthenticated();
      return view(scope, scope.actor.userId);
    },
  }),
  defineRoute<unknown, unknown, Body>({
    method: 'put',
    path: '/preferences',
    summary: 'Change your email notification preferences (essential ones cannot be turned off)',
    permission: null,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          locale,
          notifications: { type: 'object', additionalProperties: false, properties: Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, { type: 'boolean' }])) },
        },
      },
      response: { 200: preferencesSchema },
    },
    async handler({ scope, body }) {
      const userId = scope.actor.userId;
      if (!userId) throw unauthenticated();
      const allowed = new Set(kindsFor(hasPermission(scope.actor, STAFF_PERMISSION)));
      const problems: ErrorDetail[] = [];
      for (const [kind, enabled] of Object.entries(body.notifications ?? {}) as [NotificationKind, boolean][]) {
        if (!allowed.has(kind)) problems.push({ pointer: `/body/notifications/${kind}`, message: 'is not a notification you receive' });
        else if (!enabled && NOTIFICATIONS[kind].essential) problems.push({ pointer: `/body/notifications/${kind}`, message: 'is essential and cannot be turned off' });
      }
      if (problems.length) throw new TicketOpsError('invalid_input', 'Some notification settings cannot be changed', { details: problems });
      return scope.transactional(async (tx) => {
        const current = (await loadPreferences(tx.em, scope.tenantId, [userId])).get(userId);
        const disabled = new Set(current?.disabled ?? []);
        for (const [kind, enabled] of Object.entries(body.notifications ?? {}) as [NotificationKind, boolean][]) {
          if (enabled) disabled.delete(kind);
          else disabled.add(kind);
        }
        const nextLocale = body.locale === undefined ? (current?.locale ?? null) : body.locale;
        await sql(
          tx.em,
          `insert into email_preference (tenant_id, user_id, locale, disabled) values (?, ?, ?, ?::text[])
           on conflict (tenant_id, user_id) do update set locale = excluded.locale, disabled = excluded.disabled, updated_at = now()`,
          [scope.tenantId, userId, nextLocale, `{${[...disabled].sort().join(',')}}`],
        );
        return view({ ...scope, em: tx.em }, userId);
      });
    },
  }),
];
