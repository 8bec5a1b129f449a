import { type RouteDefinition, type TicketsService, defineRoute, invalidInput } from '@ticketops/plugin-sdk';
import { type DryRunEvent, dryRun, snapshotTicket } from '../engine/dry-run.ts';
import type { RuleEvent } from '../engine/event.ts';
import { PERMISSIONS } from '../permissions.ts';
import { TRIGGER_EVENTS } from '../model/fields.ts';
import { findRule, findVersion } from '../rules/store.ts';
import { pgArray, sql } from '../sql.ts';
import { idParams } from './rules.ts';

const change = { type: 'object', additionalProperties: false, required: ['field'], properties: { field: { type: 'string', maxLength: 100 }, from: {}, to: {} } };
const eventSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: [...TRIGGER_EVENTS] },
    changes: { type: 'array', maxItems: 50, items: change },
    comment: { type: 'object', additionalProperties: false, required: ['body'], properties: { id: { type: 'string' }, body: { type: 'string', maxLength: 20_000 }, internal: { type: 'boolean' }, authorId: { type: ['string', 'null'] } } },
  },
};

interface DryRunBody {
  version?: number;
  ticketId?: string;
  ticket?: Record<string, unknown>;
  event?: DryRunEvent;
}

export const dryRunRoutes = (): RouteDefinition[] => [
  defineRoute<{ id: string }, unknown, DryRunBody>({
    method: 'post',
    path: '/rules/:id/dry-run',
    summary: 'Evaluate a rule version (default: the latest, draft or not) against a ticket or a snapshot; changes nothing',
    permission: PERMISSIONS.rulesWrite,
    schema: {
      params: idParams,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: { version: { type: 'integer', minimum: 1 }, ticketId: { type: 'string', maxLength: 100 }, ticket: { type: 'object', maxProperties: 40 }, event: eventSchema },
      },
    },
    async handler({ scope, params, body }) {
      const row = await findRule(scope.em, scope.tenantId, params.id);
      const version = body.version ?? row.latest_version;
      const { definition } = await findVersion(scope.em, scope.tenantId, row.id, version);
      if ((body.ticketId === undefined) === (body.ticket === undefined)) {
        throw invalidInput('Give a ticketId or a ticket snapshot', [{ pointer: '/body/ticketId', message: 'exactly one of ticketId and ticket is required' }]);
      }
      const ticket = body.ticketId !== undefined
        ? await scope.resolve<TicketsService>('tickets').get(scope, body.ticketId)
        : snapshotTicket(body.ticket as Record<string, unknown>, scope.tenantId);
      const event: RuleEvent = {
        type: body.event?.type ?? definition.events?.[0] ?? 'ticket.updated',
        ticket,
        changes: body.event?.changes ?? [],
        comment: body.event?.comment ? { ...body.event.comment, id: body.event.comment.id ?? 'cmt_dry_run', internal: body.event.comment.internal ?? false, authorId: body.event.comment.authorId ?? null } : undefined,
        cause: [],
      };
      return { ruleId: row.id, version, ticketId: ticket.id, ...(await dryRun(scope, { id: row.id, version, definition }, event)) };
    },
  }),
  defineRoute<{ id: string }, unknown, { version?: number; limit?: number }>({
    method: 'post',
    path: '/rules/:id/replay',
    summary: 'Replay the last N stored events this trigger listens to through a version (default: the latest); changes nothing',
    permission: PERMISSIONS.rulesWrite,
    schema: { params: idParams, body: { type: 'object', additionalProperties: false, properties: { version: { type: 'integer', minimum: 1 }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 20 } } } },
    async handler({ scope, params, body }) {
      const row = await findRule(scope.em, scope.tenantId, params.id);
      const version = body.version ?? row.latest_version;
      const { definition } = await findVersion(scope.em, scope.tenantId, row.id, version);
      if (definition.kind !== 'trigger') throw invalidInput('Only triggers listen to events', [{ pointer: '/params/id', message: 'is not a trigger' }]);
      const events = await sql<{ event_id: string; event_type: string; ticket_id: string; data: Omit<RuleEvent, 'id' | 'type'>; occurred_at: Date }>(
        scope.em,
        'select event_id, event_type, ticket_id, data, occurred_at from automation_event where tenant_id = ? and event_type = any(?::text[]) order by occurred_at desc, event_id desc limit ?',
        [scope.tenantId, pgArray(definition.events ?? []), body.limit ?? 20],
      );
      const items = [];
      const counts: Record<string, number> = {};
      for (const e of events) {
        const result = await dryRun(scope, { id: row.id, version, definition }, { ...e.data, id: e.event_id, type: e.event_type, cause: [] });
        counts[result.outcome] = (counts[result.outcome] ?? 0) + 1;
        items.push({ eventId: e.event_id, eventType: e.event_type, ticketId: e.ticket_id, occurredAt: new Date(e.occurred_at).toISOString(), ...result });
      }
      return { ruleId: row.id, version, counts, items };
    },
  }),
];
