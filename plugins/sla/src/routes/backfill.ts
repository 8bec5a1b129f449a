import { type RouteDefinition, defineRoute, respond } from '@ticketops/plugin-sdk';
import { PERMISSIONS } from '../permissions.ts';

export const BACKFILL_REQUESTED = 'sla.backfill.requested';

export const backfillRoutes = (): RouteDefinition[] => [
  defineRoute<unknown, unknown, { batch?: number }>({
    method: 'post',
    path: '/backfill',
    summary: 'Build SLA facts and state for tickets that have none (created before the plugin was enabled); runs in the background',
    permission: PERMISSIONS.backfill,
    schema: {
      body: { type: 'object', additionalProperties: false, properties: { batch: { type: 'integer', minimum: 100, maximum: 5000, description: 'tickets per transaction (default 500)' } } },
      response: { 202: { type: 'object', properties: { accepted: { type: 'boolean' } } } },
    },
    async handler({ scope, body }) {
      return scope.transactional(async (tx) => {
        await tx.audit({ action: 'sla.backfill.requested', targetType: 'sla', data: { batch: body?.batch ?? null } });
        await tx.emit(BACKFILL_REQUESTED, { batch: body?.batch ?? null });
        return respond(202, { accepted: true });
      });
    },
  }),
];
