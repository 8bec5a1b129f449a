import { type PluginSettings, type RouteDefinition, SETTINGS_SERVICE, defineRoute, newIdLike, respond } from './sdk.ts';
import type { HelloConfig, HelloSettings } from './config.ts';
import { Greeting } from './entities.ts';

const greetingSchema = {
  type: 'object',
  required: ['id', 'message'],
  properties: { id: { type: 'string' }, message: { type: 'string' }, userId: { type: ['string', 'null'] }, createdAt: { type: 'string' } },
};

export const routes = (config: HelloConfig): RouteDefinition[] => [
  defineRoute<unknown, unknown, { name: string }>({
    method: 'post',
    path: '/greetings',
    summary: 'Greet someone; emits hello.greeting.created',
    permission: 'hello.greetings.write',
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 100 } } },
      response: { 201: greetingSchema },
    },
    async handler({ scope, body }) {
      // This help desk's settings (defaults merged with what its admin saved), else the installation's greeting.
      const settings = await scope.resolve<PluginSettings<HelloSettings>>(SETTINGS_SERVICE).get(scope.tenantId);
      const message = `${settings.greeting ?? config.greeting}, ${body.name}${settings.exclaim ? '!' : '.'}`;
      return scope.transactional(async (tx) => {
        const greeting = tx.em.create(Greeting, {
          id: newIdLike('hlo'), tenantId: scope.tenantId, userId: scope.actor.userId, message, sourceEventId: null,
        });
        await tx.em.flush();
        await tx.emit('hello.greeting.created', { greetingId: greeting.id });
        return respond(201, { id: greeting.id, message: greeting.message, userId: greeting.userId, createdAt: greeting.createdAt.toISOString() });
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/greetings',
    summary: 'Greetings of this tenant, newest first',
    permission: 'hello.greetings.read',
    schema: { response: { 200: { type: 'object', properties: { items: { type: 'array', items: greetingSchema } } } } },
    async handler({ scope }) {
      const rows = await scope.em.find(Greeting, {}, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 100 });
      return { items: rows.map((g) => ({ id: g.id, message: g.message, userId: g.userId, createdAt: g.createdAt.toISOString() })) };
    },
  }),
];
