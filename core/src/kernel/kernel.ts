import { pathToFileURL } from 'node:url';
import { resolve as resolvePath } from 'node:path';
import { type AwilixContainer, InjectionMode, asValue, createContainer } from 'awilix';
import { PgBoss } from 'pg-boss';
import pino from 'pino';
import { type Actor, type KernelHooks, type Logger, type Migration, type PluginDefinition, SETTINGS_SERVICE, type Scope, TicketOpsError, isPluginDefinition } from '@ticketops/plugin-sdk';
import type { KernelConfig } from '../config/config.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { type MigrationSet, migrate, pendingMigrations } from '../db/migrations.ts';
import { EventBus } from '../events/event-bus.ts';
import { Listener } from '../db/listener.ts';
import { TicketCatalog } from '../tickets/catalog.ts';
import { PluginSettingsStore } from '../plugins/settings-store.ts';
import { AuthCache } from '../auth/auth-cache.ts';
import { createKernelHooks } from '../hooks/hooks.ts';
import { kernelEntities } from '../kernel-data/entities.ts';
import { loadKernelMigrations } from '../kernel-data/migrations.ts';
import { type LoadedPlugin, type PluginEntry, loadPlugins } from '../plugins/loader.ts';
import { type BuiltinRole, builtinRolePermissions } from '../auth/roles.ts';
import { actorOfUser } from '../auth/authenticate.ts';
import { ensureDefaults } from './defaults.ts';
import { BULK_QUEUE, runBulkJob } from '../tickets/bulk/jobs.ts';
import { registerTicketRules } from '../tickets/rules.ts';
import { ticketsService } from './tickets-service.ts';
import { type Declarations, createRegistrar, emptyDeclarations, hooksKey } from './registrar.ts';
import { createScope, systemActor } from './scope.ts';
import { type SandboxOptions, SandboxSupervisor } from '../sandbox/supervisor.ts';
import { kernelCapabilities } from '../sandbox/kernel-capabilities.ts';

export interface KernelOptions {
  config: KernelConfig;
  /** Plugins given directly (tests, embedding apps); otherwise loaded from `config.plugins`. */
  plugins?: PluginEntry[];
  logger?: pino.Logger;
  /** Apply pending migrations during boot (default true; false expects a migrated database). */
  migrate?: boolean;
  /** Run job workers and schedules in this process (default true). */
  workers?: boolean;
  /** Sandbox pool (worker processes, queue bound); defaults: one worker per core, 1,000 queued runs. */
  sandbox?: Omit<SandboxOptions, 'capabilities' | 'logger'>;
}

/**
 * The kernel: boots in fixed phases — plugins checked and ordered → database → register →
 * freeze → migrate → init → (HTTP, workers started by the caller) — and owns the container,
 * hooks, events and the database for the life of the process.
 */
export class Kernel {
  readonly config: KernelConfig;
  readonly logger: pino.Logger;
  readonly plugins: LoadedPlugin[];
  readonly db: Database;
  readonly boss: PgBoss;
  readonly events: EventBus;
  readonly hooks: KernelHooks;
  readonly declarations: Declarations;
  readonly container: AwilixContainer;
  readonly migrationSets: MigrationSet[];
  readonly rolePermissions: Record<BuiltinRole, Set<string>>;
  /** The process's LISTEN connection (auth invalidation, realtime). */
  readonly listener: Listener;
  /** Runs admin-written scripts in isolated worker processes (started on first use). */
  readonly sandbox: SandboxSupervisor;
  readonly authCache = new AuthCache();
  /** Per-tenant plugin settings (`settingsSchema`), cached per process, invalidated by NOTIFY. */
  readonly pluginSettings: PluginSettingsStore;
  /** Migrations this process applied while booting. */
  appliedAtBoot: { owner: string; name: string }[] = [];
  #workersStarted = false;

  private constructor(init: {
    config: KernelConfig; logger: pino.Logger; plugins: LoadedPlugin[]; db: Database; boss: PgBoss;
    events: EventBus; hooks: KernelHooks; declarations: Declarations; container: AwilixContainer; kernelMigrations: Migration[]; sandbox: SandboxSupervisor;
  }) {
    this.config = init.config;
    this.logger = init.logger;
    this.plugins = init.plugins;
    this.db = init.db;
    this.boss = init.boss;
    this.events = init.events;
    this.hooks = init.hooks;
    this.declarations = init.declarations;
    this.container = init.container;
    this.sandbox = init.sandbox;
    this.migrationSets = [
      { owner: 'kernel', migrations: init.kernelMigrations },
      ...init.plugins.map((p) => ({ owner: p.definition.id, migrations: p.definition.migrations ?? [] })),
    ];
    this.rolePermissions = builtinRolePermissions(init.plugins.map((p) => p.definition));
    this.listener = new Listener(init.db, init.config.databaseUrl);
    this.pluginSettings = new PluginSettingsStore(init.db, init.plugins);
  }

  static async boot(options: KernelOptions): Promise<Kernel> {
    const { config } = options;
    const logger = options.logger ?? pino({ level: config.logLevel, base: { app: 'ticketops' } });
    const plugins = loadPlugins(options.plugins ?? (await importPlugins(config)));

    const pluginEntities = plugins.flatMap((p) => p.definition.entities ?? []);
    const entities = [...kernelEntities, ...pluginEntities];
    const tenantEntities = entities.filter((e) => 'tenantId' in ((e as { meta?: { properties?: object } }).meta?.properties ?? {}));
    const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, preparedStatements: config.databasePreparedStatements, entities, tenantEntities: tenantEntities.filter((e) => (e as { meta: { className: string } }).meta.className !== 'Tenant') });

    let sandbox: SandboxSupervisor | undefined;
    try {
      const workers = options.workers ?? true;
      const boss = new PgBoss({
        ...(db.bossDb ? { db: db.bossDb, backend: 'pglite' as const } : { connectionString: config.databaseUrl, max: 4 }),
        schema: 'pgboss',
        useListenNotify: true,
        supervise: workers,
        schedule: workers,
        migrate: true,
      });
      boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));

      const events = new EventBus(boss, logger);
      const hooks = createKernelHooks();
      const declarations = emptyDeclarations();
      const container = createContainer({ strict: true, injectionMode: InjectionMode.PROXY });
      const ticketCatalog = new TicketCatalog();
      container.register({ config: asValue(config), logger: asValue(logger), db: asValue(db), hooks: asValue(hooks), eventBus: asValue(events), ticketCatalog: asValue(ticketCatalog), tickets: asValue(ticketsService(hooks)) });

      // register: declarations only
      for (const plugin of plugins) {
        const { registrar, close } = createRegistrar(plugin.definition.id, plugin.config, declarations);
        try {
          plugin.definition.register?.(registrar);
        } catch (error) {
          throw wrapPluginError(plugin.definition, 'register', error);
        } finally {
          close();
        }
      }
      for (const [name, { resolver }] of declarations.services) container.register(name, resolver);
      for (const s of declarations.subscribers) events.subscribe(s.pluginId, s.event, s.options, s.handler);
      for (const s of declarations.schedules) events.schedule(s.pluginId, s.definition);
      registerTicketRules(hooks, config);
      Object.freeze(declarations.routes);

      const kernelRef: { current?: Kernel } = {};
      events.job(BULK_QUEUE, (data) => runBulkJob(kernelRef.current as Kernel, data as { jobId: string; tenantId: string }));
      // Capability handlers run here, in the API process, as the run's tenant system actor.
      sandbox = new SandboxSupervisor({
        ...config.sandbox,
        ...options.sandbox,
        logger: logger.child({ component: 'sandbox' }),
        capabilities: [...kernelCapabilities((tenantId, requestId, work) => (kernelRef.current as Kernel).runAsSystem(tenantId, requestId, work)), ...declarations.sandboxCapabilities.map((c) => c.capability)],
      });
      container.register({ sandbox: asValue(sandbox) });
      const kernel = new Kernel({ config, logger, plugins, db, boss, events, hooks, declarations, container, kernelMigrations: await loadKernelMigrations(), sandbox });
      kernelRef.current = kernel;
      if (options.migrate ?? true) kernel.appliedAtBoot = await kernel.migrate();
      await ensureDefaults(db);
      await kernel.authCache.attach(kernel.listener);
      await ticketCatalog.attach(kernel.listener);
      await kernel.pluginSettings.attach(kernel.listener);
      await boss.start();
      await events.ensureQueues();

      // init: in dependency order, each plugin seeing only what it declared
      for (const plugin of plugins) {
        const id = plugin.definition.id;
        try {
          await plugin.definition.init?.({
            pluginId: id,
            config: plugin.config,
            logger: logger.child({ plugin: id }) as Logger,
            hooks,
            hooksOf: (ref) => {
              kernel.assertVisible(id, `${ref.pluginId}.`);
              const found = declarations.hooks.get(hooksKey(ref));
              if (!found) throw new TicketOpsError('plugin_dependency_missing', `Plugin "${id}" asks for hooks "${hooksKey(ref)}", which no enabled plugin publishes`);
              return found.hooks as never;
            },
            resolve: (name) => {
              // `settings` is per plugin: each plugin gets its own settings, never another's.
              if (name === SETTINGS_SERVICE) return kernel.pluginSettings.forPlugin(id) as never;
              kernel.assertVisible(id, name);
              return container.resolve(name);
            },
            forTenant: (tenantId, work) => work(kernel.createScope({ tenantId, actor: systemActor(), requestId: `${id}:${tenantId}:${Date.now()}`, pluginId: id })),
            forUser: async (tenantId, userId, work) =>
              work(kernel.createScope({ tenantId, actor: await actorOfUser(kernel, tenantId, userId), requestId: `${id}:${tenantId}:${Date.now()}`, pluginId: id })),
          });
        } catch (error) {
          throw wrapPluginError(plugin.definition, 'init', error);
        }
      }
      if (workers) await kernel.startWorkers();
      return kernel;
    } catch (error) {
      await sandbox?.stop();
      await db.close().catch(() => {});
      throw error;
    }
  }

  /** A plugin sees kernel services (bare names), its own, and those of plugins it depends on. */
  assertVisible(pluginId: string | null, name: string): void {
    const dot = name.indexOf('.');
    if (dot < 0 || pluginId === null) return;
    const owner = name.slice(0, dot);
    if (owner === pluginId) return;
    const plugin = this.plugins.find((p) => p.definition.id === pluginId);
    const deps = new Set([...(plugin?.definition.dependsOn ?? []), ...(plugin?.definition.optionalDependsOn ?? [])]);
    if (!deps.has(owner)) {
      throw new TicketOpsError('plugin_dependency_missing', `Plugin "${pluginId}" uses "${name}" but does not declare "${owner}" in dependsOn`);
    }
  }

  async migrate() {
    const applied = await migrate(this.db, this.migrationSets);
    for (const m of applied) this.logger.info({ owner: m.owner, migration: m.name }, 'migration applied');
    return applied;
  }

  pendingMigrations() {
    return pendingMigrations(this.db, this.migrationSets);
  }

  /** A fresh unit of work: its own entity manager scoped to the tenant. */
  createScope(input: { tenantId: string; actor: Actor; requestId: string; pluginId?: string | null; ip?: string }): Scope {
    return createScope(this, input);
  }

  /** Runs work as the system actor in a fresh scope (subscribers, schedules, CLI). */
  runAsSystem = async <R>(tenantId: string, requestId: string, work: (scope: Scope) => Promise<R>): Promise<R> => {
    return work(this.createScope({ tenantId, actor: systemActor(), requestId }));
  };

  async startWorkers(): Promise<void> {
    if (this.#workersStarted) return;
    this.#workersStarted = true;
    await this.events.startWorkers(this.runAsSystem);
  }

  async stop(): Promise<void> {
    await this.sandbox.stop();
    await this.boss.stop({ graceful: true, timeout: 10_000, close: true } as never).catch((error) => this.logger.warn({ err: error }, 'job queue stop failed'));
    await this.listener.close();
    await this.db.close();
  }
}

function wrapPluginError(definition: PluginDefinition<unknown>, phase: string, error: unknown): Error {
  const message = `Plugin "${definition.id}" failed in ${phase}: ${(error as Error)?.message ?? error}`;
  if (error instanceof Error && 'code' in error && (error as TicketOpsError).code) {
    return new TicketOpsError((error as TicketOpsError).code, message, { cause: error });
  }
  return new TicketOpsError('plugin_invalid', message, { cause: error });
}

/** Imports the modules listed in config; each must export a plugin (default export or `plugin`). */
async function importPlugins(config: KernelConfig): Promise<PluginEntry[]> {
  const entries: PluginEntry[] = [];
  for (const { module, config: pluginConfig } of config.plugins) {
    const specifier = module.startsWith('.') || module.startsWith('/') ? pathToFileURL(resolvePath(module)).href : module;
    let imported: Record<string, unknown>;
    try {
      imported = await import(specifier);
    } catch (error) {
      throw new TicketOpsError('plugin_invalid', `Cannot load plugin module "${module}": ${(error as Error).message} (plugins[].module)`);
    }
    const definition = [imported.default, imported.plugin].find(isPluginDefinition);
    if (!definition) throw new TicketOpsError('plugin_invalid', `Module "${module}" does not export a plugin made with definePlugin()`);
    entries.push({ definition: definition as PluginDefinition<any>, config: pluginConfig });
  }
  return entries;
}
