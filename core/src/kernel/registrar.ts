import type { Resolver } from 'awilix';
import type { DeliveredEvent, HooksRef, PluginRegistrar, RouteDefinition, SandboxCapability, ScheduleDefinition, Scope, SubscriberOptions, TicketListField } from '@ticketops/plugin-sdk';
import { TicketOpsError } from '@ticketops/plugin-sdk';

/** Everything the plugins declared in `register`; frozen before `init` runs. */
export interface Declarations {
  services: Map<string, { pluginId: string; resolver: Resolver<unknown> }>;
  routes: { owner: string; route: RouteDefinition }[];
  hooks: Map<string, { pluginId: string; hooks: object }>;
  subscribers: { pluginId: string; event: string; options: SubscriberOptions; handler: (e: DeliveredEvent, s: Scope) => Promise<void> }[];
  schedules: { pluginId: string; definition: ScheduleDefinition }[];
  sandboxCapabilities: { pluginId: string; capability: SandboxCapability }[];
  /** Plugin values ticket lists sort and filter by, by name. */
  listFields: Map<string, TicketListField>;
}

export function emptyDeclarations(): Declarations {
  return { services: new Map(), routes: [], hooks: new Map(), subscribers: [], schedules: [], sandboxCapabilities: [], listFields: new Map() };
}

export const hooksKey = (ref: HooksRef<object>) => `${ref.pluginId}.${ref.name}`;

/** The registrar handed to one plugin's `register`; refuses use after the phase ends. */
export function createRegistrar<C>(pluginId: string, config: C, into: Declarations): { registrar: PluginRegistrar<C>; close(): void } {
  let open = true;
  const guard = (what: string) => {
    if (!open) throw new TicketOpsError('plugin_invalid', `Plugin "${pluginId}" called ${what} after register() returned`);
  };
  const registrar: PluginRegistrar<C> = {
    pluginId,
    config,
    services(services) {
      guard('services()');
      for (const [name, resolver] of Object.entries(services)) {
        const key = `${pluginId}.${name}`;
        if (into.services.has(key)) throw new TicketOpsError('plugin_invalid', `Plugin "${pluginId}" registers service "${key}" twice`);
        into.services.set(key, { pluginId, resolver });
      }
    },
    routes(routes) {
      guard('routes()');
      for (const route of routes) into.routes.push({ owner: pluginId, route });
    },
    hooks(ref, hooks) {
      guard('hooks()');
      if (ref.pluginId !== pluginId) {
        throw new TicketOpsError('plugin_invalid', `Plugin "${pluginId}" cannot publish hooks owned by "${ref.pluginId}"`);
      }
      into.hooks.set(hooksKey(ref), { pluginId, hooks: Object.freeze(hooks) });
    },
    subscribe(event, options, handler) {
      guard('subscribe()');
      into.subscribers.push({ pluginId, event, options, handler: handler as never });
    },
    schedule(definition) {
      guard('schedule()');
      into.schedules.push({ pluginId, definition });
    },
    ticketListFields(fields) {
      guard('ticketListFields()');
      for (const field of fields) {
        const problem = listFieldProblem(pluginId, field);
        if (problem) throw new TicketOpsError('plugin_invalid', `Plugin "${pluginId}" declares ticket list field "${field.name}": ${problem}`);
        if (into.listFields.has(field.name)) throw new TicketOpsError('plugin_invalid', `Ticket list field "${field.name}" is declared twice`);
        into.listFields.set(field.name, Object.freeze({ ...field }));
      }
    },
    sandboxCapabilities(capabilities) {
      guard('sandboxCapabilities()');
      for (const capability of capabilities) {
        if (!capability.name.startsWith(`${pluginId}.`)) {
          throw new TicketOpsError('plugin_invalid', `Plugin "${pluginId}" may only register sandbox capabilities named "${pluginId}.…", not "${capability.name}"`);
        }
        if (into.sandboxCapabilities.some((c) => c.capability.name === capability.name)) {
          throw new TicketOpsError('plugin_invalid', `Sandbox capability "${capability.name}" is registered twice`);
        }
        into.sandboxCapabilities.push({ pluginId, capability });
      }
    },
  };
  return { registrar, close: () => (open = false) };
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** The table and column end up in SQL: only plain identifiers, and only the plugin's own table. */
function listFieldProblem(pluginId: string, field: TicketListField): string | null {
  if (!new RegExp(`^${pluginId.replace(/[^a-z0-9-]/g, '')}\\.[A-Za-z][A-Za-z0-9]{0,62}$`).test(field.name)) return `the name must be "${pluginId}.<letters and digits>"`;
  const prefix = `${pluginId.replaceAll('-', '_')}_`;
  if (!IDENTIFIER.test(field.table) || !field.table.startsWith(prefix)) return `the table must be one of the plugin's own ("${prefix}…")`;
  if (!IDENTIFIER.test(field.column)) return 'the column must be a plain lower-case identifier';
  if (field.type !== 'timestamp' && field.type !== 'number') return 'the type must be "timestamp" or "number"';
  return null;
}
