import type { Resolver } from 'awilix';
import type { AdminContribution } from './admin.ts';
import type { HooksRef, KernelHooks } from './hooks.ts';
import type { TicketListField } from './list-fields.ts';
import type { RouteDefinition, JsonSchema } from './routes.ts';
import type { SandboxCapability } from './sandbox.ts';
import type { Scope } from './scope.ts';

/** A migration is a named list of SQL statements, applied once, in order, inside one transaction. */
export interface Migration {
  /** Sortable, stable name, e.g. `0001-greetings`. */
  name: string;
  up: string[];
}

export interface PermissionDefinition {
  /** `<pluginId>.<object>.<verb>`, e.g. `sla.policy.write`. */
  name: string;
  description: string;
  /** Built-in roles that get this permission (admin always has every permission). */
  grantTo?: ('agent' | 'customer')[];
}

export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
}

/** Payload handed to an event subscriber; delivered at least once, so handlers must be idempotent. */
export interface DeliveredEvent<P = Record<string, unknown>> {
  /** Unique per emitted event; use it as an idempotency key. */
  id: string;
  name: string;
  tenantId: string;
  occurredAt: string;
  payload: P;
}

export interface SubscriberOptions {
  /** Stable id, unique within the plugin; names the subscriber's queue. */
  id: string;
  /** Attempts after the first failure before the event goes to the dead-letter queue. */
  retryLimit?: number;
}

export interface ScheduleDefinition {
  /** Unique within the plugin. */
  name: string;
  /** Five-field cron expression, evaluated in `tz` (default UTC). */
  cron: string;
  tz?: string;
  handler(scope: Scope): Promise<void>;
}

/** What `register` may declare. Declarations only: nothing runs yet. */
export interface PluginRegistrar<Config> {
  readonly pluginId: string;
  readonly config: Config;
  /** Services, registered as `<pluginId>.<name>`. */
  services(services: Record<string, Resolver<unknown>>): void;
  routes(routes: RouteDefinition[]): void;
  /** Publishes hooks this plugin owns, for plugins that depend on it. */
  hooks<T extends object>(ref: HooksRef<T>, hooks: T): void;
  subscribe<P = Record<string, unknown>>(
    event: string,
    options: SubscriberOptions,
    handler: (event: DeliveredEvent<P>, scope: Scope) => Promise<void>,
  ): void;
  schedule(definition: ScheduleDefinition): void;
  /** Host functions scripts may be granted (see `sandbox.ts`); names start with this plugin's id. */
  sandboxCapabilities(capabilities: SandboxCapability[]): void;
  /** Per-ticket values of this plugin that ticket lists may sort and filter by (see `list-fields.ts`). */
  ticketListFields(fields: TicketListField[]): void;
}

/** What `init` receives, after every plugin has registered. */
export interface PluginInitContext<Config> {
  readonly pluginId: string;
  readonly config: Config;
  readonly logger: Logger;
  /** Kernel hooks, already frozen; tap with `{ name: pluginId, stage: STAGE.X }`. */
  readonly hooks: KernelHooks;
  /** Hooks published by a plugin this one depends on. */
  hooksOf<T extends object>(ref: HooksRef<T>): T;
  /** A kernel service, or a service of a declared dependency (`sla.policyService`). */
  resolve<T = unknown>(name: string): T;
  /**
   * Runs `work` as the system actor in a fresh scope of `tenantId` (its own entity manager, events
   * emitted for that tenant). For scheduled work that spans tenants; keep the function for later.
   */
  forTenant<R>(tenantId: string, work: (scope: Scope) => Promise<R>): Promise<R>;
  /**
   * Runs `work` as an active user of `tenantId`, with that user's role and permissions (what they
   * write is theirs in history and visibility rules apply to them) — e.g. a comment that arrived
   * by email from a customer. 404 when the user is unknown or deactivated.
   */
  forUser<R>(tenantId: string, userId: string, work: (scope: Scope) => Promise<R>): Promise<R>;
}

export interface PluginDefinition<Config = Record<string, unknown>> {
  /** kebab-case, unique; names routes (`/api/v1/<id>`), tables (`<id>_…`), services and permissions. */
  id: string;
  version: string;
  /** semver range of the kernel this plugin works with. */
  kernel: string;
  description?: string;
  dependsOn?: string[];
  optionalDependsOn?: string[];
  /** JSON Schema (2020-12) of the plugin's config; defaults are applied. */
  configSchema?: JsonSchema;
  /**
   * JSON Schema (2020-12, an object with defaults) of the per-tenant settings a tenant's admin may
   * change while the server runs (see `settings.ts`); `writeOnly: true` marks a secret, which the
   * API never returns. Checked at boot like `configSchema`: it must compile, its defaults validate.
   */
  settingsSchema?: JsonSchema;
  /** MikroORM entity schemas (`defineEntity`) owned by this plugin. */
  entities?: unknown[];
  migrations?: Migration[];
  permissions?: PermissionDefinition[];
  /** Names of the domain events this plugin emits (`<id>.<object>.<action>`). */
  events?: string[];
  /**
   * Panels for the admin console (see `admin.ts`): custom elements from the plugin's built admin
   * module, mounted in the console's zones. Loaded by the browser only when a zone shows them;
   * a plugin that is not enabled contributes nothing.
   */
  admin?: AdminContribution;
  register?(r: PluginRegistrar<Config>): void;
  init?(ctx: PluginInitContext<Config>): Promise<void> | void;
}

const PLUGIN_BRAND = Symbol.for('ticketops.plugin');

export function definePlugin<Config = Record<string, unknown>>(definition: PluginDefinition<Config>): PluginDefinition<Config> {
  return Object.freeze(Object.assign(definition, { [PLUGIN_BRAND]: true }));
}

export function isPluginDefinition(value: unknown): value is PluginDefinition<unknown> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PLUGIN_BRAND] === true;
}
