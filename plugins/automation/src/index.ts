import { type Scope, asValue, definePlugin } from '@ticketops/plugin-sdk';
import { APPROVAL_DECIDED, APPROVAL_REQUESTED } from './approvals/store.ts';
import { type AutomationConfig, configSchema } from './config.ts';
import { NOTIFICATION_EVENT } from './engine/apply.ts';
import { tapTicketEvents } from './engine/cause.ts';
import { TICKET_EVENT } from './engine/event.ts';
import { pruneLog } from './engine/prune.ts';
import { type ForTenant, runScheduled, scanAutomations, tenantsWith } from './engine/scan.ts';
import { engineDeps, subscribeTriggers } from './engine/subscribers.ts';
import { migrations } from './migrations.ts';
import { PERMISSIONS, permissions } from './permissions.ts';
import { approvalRoutes } from './routes/approvals.ts';
import { dryRunRoutes } from './routes/dry-run.ts';
import { macroRoutes } from './routes/macros.ts';
import { ruleRoutes } from './routes/rules.ts';
import { runRoutes } from './routes/runs.ts';
import { scriptApiRoutes } from './routes/script-api.ts';
import { transferRoutes } from './routes/transfer.ts';

/** Runs the time-based automations and the due scheduled rules of every tenant (the schedules call it; tests may too). */
export interface Scanner {
  forTenant: ForTenant | null;
  scan(scope: Scope): Promise<number>;
  scheduled(scope: Scope, now?: Date): Promise<number>;
}

/**
 * Automation: triggers on ticket, comment and SLA events, time-based automations, scheduled rules
 * and macros — declarative (conditions + actions) or scripts run in the kernel's sandbox — with
 * versions, dry runs, an execution log, approvals and loop protection. Changes go through the
 * kernel's `tickets` service, so every rule-made change has history, hooks and events like any other.
 */
export const automationPlugin = definePlugin<AutomationConfig>({
  id: 'automation',
  version: '0.1.0',
  kernel: '^0.1.0',
  description: 'Triggers, automations, scheduled rules, macros and script rules',
  optionalDependsOn: ['sla'],
  configSchema,
  migrations,
  permissions,
  events: [TICKET_EVENT, NOTIFICATION_EVENT, APPROVAL_REQUESTED, APPROVAL_DECIDED],
  // Console panels, from the module built by `npm run build:admin` (src/admin/panels.ts).
  admin: {
    assets: new URL('../dist/admin/', import.meta.url),
    module: 'panels.js',
    panels: [
      { element: 'to-automation-rules', zone: 'settings.section', title: { en: 'Automation rules', de: 'Automatisierungsregeln' }, permission: PERMISSIONS.rulesWrite, order: 20 },
      { element: 'to-automation-macros', zone: 'ticket.toolbar', title: { en: 'Macros', de: 'Makros' }, permission: PERMISSIONS.macrosApply },
      { element: 'to-automation-approvals', zone: 'dashboard.widget', title: { en: 'Approvals', de: 'Freigaben' }, permission: PERMISSIONS.approvalsDecide },
    ],
  },

  register(r) {
    r.routes([...ruleRoutes(), ...transferRoutes(), ...runRoutes(), ...dryRunRoutes(), ...macroRoutes(), ...scriptApiRoutes(), ...approvalRoutes()]);
    subscribeTriggers(r);
    const config = r.config;
    const eachTenant = async (scope: Scope, kind: 'automation' | 'scheduled', work: (s: Scope) => Promise<number>) => {
      let n = 0;
      for (const tenantId of await tenantsWith(scope, kind)) n += await (scanner.forTenant as ForTenant)(tenantId, work);
      return n;
    };
    const scanner: Scanner = {
      forTenant: null,
      scan: (scope) => eachTenant(scope, 'automation', (s) => scanAutomations(s, engineDeps(s, config), config.scanBatch)),
      scheduled: (scope, now) => eachTenant(scope, 'scheduled', (s) => runScheduled(s, engineDeps(s, config), config.scanBatch, now)),
    };
    r.services({ scanner: asValue(scanner) });
    r.schedule({ name: 'scan', cron: config.scanCron, handler: async (scope) => void (await scanner.scan(scope)) });
    // Each scheduled rule has its own cron; this tick runs the ones with an occurrence since their last run.
    r.schedule({ name: 'scheduled', cron: '* * * * *', handler: async (scope) => void (await scanner.scheduled(scope)) });
    r.schedule({ name: 'prune', cron: '17 3 * * *', handler: async (scope) => void (await pruneLog(scope, config.runRetentionDays)) });
  },

  init({ hooks, pluginId, forTenant, resolve }) {
    tapTicketEvents(hooks, pluginId);
    resolve<Scanner>('automation.scanner').forTenant = forTenant;
  },
});

export default automationPlugin;
