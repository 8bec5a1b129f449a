import type { InferEntity } from '@mikro-orm/core';
import { type RouteDefinition, defineRoute, notFound, respond } from '@ticketops/plugin-sdk';
import type { Kernel } from '../../kernel/kernel.ts';
import { User } from '../../kernel-data/entities.ts';
import { changeUser, createUser } from '../../users/users.ts';
import { decodeCursor, encodeCursor } from '../pagination.ts';
import { idParams, listOf, pageQuery, userSchema } from './schemas.ts';

const view = (u: InferEntity<typeof User>) => ({ id: u.id, email: u.email, name: u.name, role: u.role, active: u.active, createdAt: u.createdAt.toISOString() });

export const userRoutes = (kernel: Kernel): RouteDefinition[] => [
  defineRoute<unknown, { limit: number; cursor?: string }>({
    method: 'get',
    path: '/users',
    summary: 'List users of the tenant, oldest first',
    tags: ['users'],
    permission: 'users.read',
    schema: { query: pageQuery, response: { 200: listOf(userSchema) } },
    async handler({ scope, query }) {
      const after = decodeCursor(query.cursor);
      const users = await scope.em.find(User, after ? { id: { $gt: after } } : {}, { orderBy: { id: 'asc' }, limit: query.limit + 1 });
      const page = users.slice(0, query.limit);
      return { items: page.map(view), nextCursor: users.length > query.limit ? encodeCursor(page.at(-1)?.id as string) : null };
    },
  }),
  defineRoute<unknown, unknown, { email: string; name: string; role: string; password?: string }>({
    method: 'post',
    path: '/users',
    summary: 'Create a user',
    tags: ['users'],
    permission: 'users.write',
    schema: {
      body: {
        type: 'object', additionalProperties: false, required: ['email', 'name', 'role'],
        properties: {
          email: { type: 'string', format: 'email', maxLength: 320 }, name: { type: 'string', minLength: 1, maxLength: 200 },
          role: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 8, maxLength: 1024 },
        },
      },
      response: { 201: userSchema },
    },
    async handler({ scope, body }) {
      const user = await createUser(scope, kernel.hooks, body);
      return respond(201, user, { Location: `/api/v1/users/${user.id}` });
    },
  }),
  defineRoute<{ id: string }, unknown, { name?: string; role?: string; organizationId?: string | null; active?: boolean; password?: string }>({
    method: 'patch',
    path: '/users/:id',
    summary: 'Change a user: name, role, organization, active, password',
    tags: ['users'],
    permission: 'users.write',
    description: 'Role changes and deactivation are audited and take effect on every node at once; the last active admin cannot be demoted or deactivated.',
    schema: {
      params: idParams,
      body: {
        type: 'object', additionalProperties: false, minProperties: 1,
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 200 }, role: { type: 'string', minLength: 1, maxLength: 64 },
          organizationId: { type: ['string', 'null'], maxLength: 40 }, active: { type: 'boolean' }, password: { type: 'string', minLength: 8, maxLength: 1024 },
        },
      },
      response: { 200: userSchema },
    },
    async handler({ scope, params, body }) {
      const user = await changeUser(kernel, scope, params.id, body);
      return view(user);
    },
  }),
  defineRoute<{ id: string }>({
    method: 'delete',
    path: '/users/:id',
    summary: 'Deactivate a user: tokens revoked, sessions ended (history is kept)',
    tags: ['users'],
    permission: 'users.write',
    schema: { params: idParams, response: { 204: {} } },
    async handler({ scope, params }) {
      await changeUser(kernel, scope, params.id, { active: false });
      return respond(204);
    },
  }),
  defineRoute<{ id: string }>({
    method: 'get',
    path: '/users/:id',
    summary: 'One user',
    tags: ['users'],
    permission: 'users.read',
    schema: { params: idParams, response: { 200: userSchema } },
    async handler({ scope, params }) {
      const user = await scope.em.findOne(User, { id: params.id });
      if (!user) throw notFound('User');
      return view(user);
    },
  }),
];
