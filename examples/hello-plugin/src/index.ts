import { AsyncSeriesHook } from 'tapable';
import { STAGE, asFunction, createHooksRef, definePlugin } from '@ticketops/plugin-sdk';
import { type HelloConfig, configSchema, settingsSchema } from './config.ts';
import { Greeting } from './entities.ts';
import { migrations } from './migrations.ts';
import { routes } from './routes.ts';
import { newIdLike } from './sdk.ts';

/** Hooks this plugin publishes for plugins that depend on it. */
export interface HelloHooks {
  afterWelcome: AsyncSeriesHook<[{ userId: string; message: string }]>;
}
export const helloHooks = createHooksRef<HelloHooks>('hello');

/**
 * The example plugin: one of everything a plugin can declare — config schema, per-tenant
 * settings schema (read through the `settings` service in its greeting route), entity and
 * migration, permissions, a route, a service, kernel hook taps (transform and veto), its own
 * hooks, an event it emits, a subscriber that reacts to a kernel event, and a console panel
 * (`src/admin/panels.ts`).
 */
export const helloPlugin = definePlugin<HelloConfig>({
  id: 'hello',
  version: '1.0.0',
  kernel: '^0.1.0',
  description: 'Example plugin: greets new users',
  configSchema,
  settingsSchema,
  entities: [Greeting],
  migrations,
  permissions: [
    { name: 'hello.greetings.read', description: 'Read greetings', grantTo: ['agent'] },
    { name: 'hello.greetings.write', description: 'Create greetings', grantTo: ['agent'] },
  ],
  events: ['hello.greeting.created'],
  // A panel in the console's ticket sidebar, from the module built by `npm run build:admin`.
  admin: {
    assets: new URL('../dist/admin/', import.meta.url),
    module: 'panels.js',
    panels: [{ element: 'to-hello-greeting', zone: 'ticket.sidebar', title: { en: 'Greeting', de: 'Begrüßung' }, permission: 'hello.greetings.write' }],
  },

  register(r) {
    r.routes(routes(r.config));
    r.services({ greeter: asFunction(() => ({ greet: (name: string) => `${r.config.greeting}, ${name}!` })).singleton() });
    const hooks: HelloHooks = { afterWelcome: new AsyncSeriesHook<[{ userId: string; message: string }]>(['welcome']) };
    r.hooks(helloHooks, hooks);
    // Welcome every new user; at-least-once delivery, so the event id makes it idempotent.
    r.subscribe<{ userId: string }>('user.created', { id: 'welcome' }, async (event, scope) => {
      const message = `${r.config.greeting}, welcome aboard!`;
      await scope.transactional(async (tx) => {
        await tx.em.getConnection().execute(
          `insert into hello_greeting (id, tenant_id, user_id, message, source_event_id) values (?, ?, ?, ?, ?) on conflict (source_event_id) do nothing`,
          [newIdLike('hlo'), scope.tenantId, event.payload.userId, message, event.id],
          'run',
          tx.em.getTransactionContext(),
        );
      });
      await hooks.afterWelcome.promise({ userId: event.payload.userId, message });
    });
  },

  init({ hooks, config }) {
    hooks.user.beforeCreate.tapPromise({ name: 'hello', stage: STAGE.ENRICH }, async (input) => ({ ...input, name: input.name.trim().replace(/\s+/g, ' ') }));
    hooks.user.validateUser.tapPromise({ name: 'hello', stage: STAGE.VALIDATE }, async (input) => {
      const domain = input.email.split('@')[1] ?? '';
      if (config.blockedDomains.includes(domain)) return { code: 'invalid_input', message: `Email domain ${domain} is not allowed`, pointer: '/body/email' };
      return undefined;
    });
  },
});

export default helloPlugin;
