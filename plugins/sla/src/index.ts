import { type Scope, asValue, definePlugin } from '@ticketops/plugin-sdk';
import { type SlaConfig, configSchema } from './config.ts';
import { backfill } from './engine/backfill.ts';
import { tapTicketFacts } from './engine/facts.ts';
import { escalateDue, recomputeTenant, recomputeTicket } from './engine/recompute.ts';
import { SlaCalendar, SlaPolicy } from './entities.ts';
import { migrations } from './migrations.ts';
import { PERMISSIONS, permissions } from './permissions.ts';
import { CONFIG_CHANGED, calendarRoutes } from './routes/calendars.ts';
import { policyRoutes } from './routes/policies.ts';
import { BACKFILL_REQUESTED, backfillRoutes } from './routes/backfill.ts';
import { reportRoutes } from './routes/reports.ts';
import { ticketRoutes } from './routes/tickets.ts';
import { slaCalendarsService } from './calendar/service.ts';

type ForTenant = <R>(tenantId: string, work: (scope: Scope) => Promise<R>) => Promise<R>;

/** The engine's batch operations (`sla.engine`), for jobs, the CLI and benchmarks. */
export const engine = { backfill, recomputeTenant };

/** Sends the warnings and breaches due by now (the schedule calls it; tests may too). */
export interface Escalator {
  forTenant: ForTenant | null;
  escalate(scope: Scope): Promise<number>;
}

/**
 * The SLA plugin: business calendars (hours, holidays, time zone) with business-time arithmetic,
 * ordered SLA policies, and per-ticket SLA clocks derived from the ticket's history, with
 * `sla.warning` / `sla.breached` sent once per metric cycle.
 */
export const slaPlugin = definePlugin<SlaConfig>({
  id: 'sla',
  version: '0.1.0',
  kernel: '^0.1.0',
  description: 'SLAs: business calendars, policies, per-ticket timers and escalations',
  configSchema,
  entities: [SlaCalendar, SlaPolicy],
  migrations,
  permissions,
  events: ['sla.warning', 'sla.breached', 'sla.escalated', CONFIG_CHANGED, BACKFILL_REQUESTED],
  // Console panels, from the module `npm run build:admin` builds (src/admin/panels.ts).
  admin: {
    assets: new URL('../dist/admin/', import.meta.url),
    module: 'panels.js',
    panels: [
      { element: 'to-sla-ticket', zone: 'ticket.sidebar', title: { en: 'SLA', de: 'SLA' }, permission: PERMISSIONS.ticketsRead },
      { element: 'to-sla-calendars', zone: 'settings.section', title: { en: 'SLA business calendars', de: 'SLA-Geschäftskalender' }, permission: PERMISSIONS.calendarsWrite, order: 10 },
      { element: 'to-sla-policies', zone: 'settings.section', title: { en: 'SLA policies', de: 'SLA-Richtlinien' }, permission: PERMISSIONS.policiesWrite, order: 11 },
    ],
  },

  register(r) {
    r.routes([...calendarRoutes(), ...policyRoutes(), ...ticketRoutes(), ...reportRoutes(), ...backfillRoutes()]);
    // `forTenant` arrives in init (through this kernel's own service instance); schedules start after init.
    const escalator: Escalator = {
      forTenant: null,
      escalate: (scope) => escalateDue(scope.em, escalator.forTenant as ForTenant),
    };
    r.services({ escalator: asValue(escalator) });
    // Each ticket change re-derives that ticket after commit (facts were recorded in its transaction).
    const recompute = async (event: { payload: { ticketId?: string } }, scope: Scope) => {
      const ticketId = event.payload.ticketId;
      if (ticketId) await scope.transactional((tx) => recomputeTicket(tx, scope, ticketId).then(() => undefined));
    };
    r.subscribe('ticket.created', { id: 'ticket-created' }, recompute);
    r.subscribe('ticket.updated', { id: 'ticket-updated' }, recompute);
    r.subscribe('comment.created', { id: 'comment-created' }, recompute);
    r.subscribe(CONFIG_CHANGED, { id: 'config-changed' }, async (_event, scope) => {
      await recomputeTenant(scope);
    });
    // Idempotent: tickets that already have facts are skipped, so a retry goes on where it stopped.
    r.subscribe<{ batch: number | null }>(BACKFILL_REQUESTED, { id: 'backfill' }, async (event, scope) => {
      await backfill(scope, { batch: event.payload.batch ?? undefined });
    });
    r.services({ engine: asValue(engine), calendars: asValue(slaCalendarsService) });
    r.schedule({ name: 'escalate', cron: r.config.escalationCron, handler: async (scope) => void (await escalator.escalate(scope)) });
    // Due times of running clocks (a paused or fulfilled clock has none), for `GET /tickets?sort=sla.nextDue`.
    r.ticketListFields([
      { name: 'sla.nextDue', description: 'The earliest due time of the running SLA clocks', type: 'timestamp', table: 'sla_ticket', column: 'next_due' },
      { name: 'sla.firstResponseDue', description: 'When the first response is due (while its clock runs)', type: 'timestamp', table: 'sla_ticket', column: 'first_response_due' },
      { name: 'sla.nextResponseDue', description: 'When the next response is due (while its clock runs)', type: 'timestamp', table: 'sla_ticket', column: 'next_response_due' },
      { name: 'sla.resolutionDue', description: 'When resolution is due (while its clock runs)', type: 'timestamp', table: 'sla_ticket', column: 'resolution_due' },
    ]);
  },

  init({ hooks, forTenant, resolve }) {
    tapTicketFacts(hooks);
    resolve<Escalator>('sla.escalator').forTenant = forTenant;
  },
});

export type { SlaCalendarsService } from './calendar/service.ts';
export default slaPlugin;
