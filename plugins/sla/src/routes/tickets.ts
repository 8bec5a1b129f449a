import { type RouteDefinition, defineRoute, notFound } from '@ticketops/plugin-sdk';
import type { MetricState, TimelineEntry } from '../engine/derive.ts';
import { readSla } from '../engine/recompute.ts';
import { PERMISSIONS } from '../permissions.ts';
import { idParams } from './schemas.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const metricView = (m: MetricState) => ({
  ...m, startedAt: iso(m.startedAt), dueAt: iso(m.dueAt), breachedAt: iso(m.breachedAt), warningAt: iso(m.warningAt), fulfilledAt: iso(m.fulfilledAt),
});
const entryView = (e: TimelineEntry) => ({ ...e, at: iso(e.at) });

export const ticketRoutes = (): RouteDefinition[] => [
  defineRoute<{ id: string }>({
    method: 'get',
    path: '/tickets/:id',
    summary: "A ticket's SLA: applied policy, targets, due times, remaining business time and timeline",
    permission: PERMISSIONS.ticketsRead,
    schema: {
      params: idParams,
      response: {
        200: {
          type: 'object',
          required: ['ticketId', 'policy', 'metrics', 'timeline'],
          properties: {
            ticketId: { type: 'string' },
            policy: { type: ['object', 'null'] },
            calendarId: { type: ['string', 'null'] },
            targets: { type: 'object' },
            metrics: { type: 'array', items: { type: 'object' } },
            timeline: { type: 'array', items: { type: 'object' } },
          },
        },
      },
    },
    async handler({ scope, params }) {
      // Derived fresh on every read, so the answer reflects policies and calendars as they are now.
      const { facts, state } = await readSla(scope, params.id);
      if (!facts.length) throw notFound('SLA data for this ticket');
      return { ticketId: params.id, policy: state.policy, calendarId: state.calendarId, targets: state.targets, metrics: state.metrics.map(metricView), timeline: state.timeline.map(entryView) };
    },
  }),
];
