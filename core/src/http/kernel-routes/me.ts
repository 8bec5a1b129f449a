import { type RouteDefinition, TicketOpsError, defineRoute } from '@ticketops/plugin-sdk';
import { User } from '../../kernel-data/entities.ts';

export const meRoutes = (): RouteDefinition[] => [
  defineRoute({
    method: 'get',
    path: '/me',
    summary: 'The authenticated user, with role and effective permissions',
    tags: ['auth'],
    permission: null,
    schema: {
      response: {
        200: {
          type: 'object',
          required: ['id', 'email', 'name', 'role', 'permissions'],
          properties: {
            id: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' },
            tenantId: { type: 'string' }, permissions: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
    async handler({ scope }) {
      const { actor } = scope;
      if (!actor.userId) throw new TicketOpsError('unauthenticated', 'No user is signed in');
      // Authentication already read the user; no second query on the hottest route.
      if (actor.email !== undefined && actor.name !== undefined) {
        return { id: actor.userId, email: actor.email, name: actor.name, role: actor.role, tenantId: scope.tenantId, permissions: [...actor.permissions].sort() };
      }
      const user = await scope.em.findOne(User, { id: actor.userId }, { fields: ['id', 'email', 'name', 'role'] });
      if (!user) throw new TicketOpsError('unauthenticated', 'The user no longer exists');
      return { id: user.id, email: user.email, name: user.name, role: user.role, tenantId: scope.tenantId, permissions: [...actor.permissions].sort() };
    },
  }),
];
