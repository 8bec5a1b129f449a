import { type RouteDefinition, TicketOpsError, defineRoute, hasPermission, notFound, respond } from '@ticketops/plugin-sdk';
import { invalidateAuth } from '../../auth/auth-cache.ts';
import { createToken, revokeToken, toTokenView } from '../../auth/tokens.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import { ApiToken, User } from '../../kernel-data/entities.ts';
import { idParams, listOf, tokenSchema } from './schemas.ts';

/** Users manage their own tokens; `tokens.manage` manages anyone's in the tenant. */
export const tokenRoutes = (kernel: Kernel): RouteDefinition[] => [
  defineRoute<unknown, { userId?: string }>({
    method: 'get',
    path: '/tokens',
    summary: 'List API tokens (your own, or a user\'s with tokens.manage)',
    tags: ['auth'],
    permission: null,
    schema: { query: { type: 'object', additionalProperties: false, properties: { userId: { type: 'string' } } }, response: { 200: listOf(tokenSchema) } },
    async handler({ scope, query }) {
      const userId = targetUser(scope, query.userId);
      const tokens = await scope.em.find(ApiToken, { userId }, { orderBy: { createdAt: 'desc' } });
      return { items: tokens.map(toTokenView), nextCursor: null };
    },
  }),
  defineRoute<unknown, unknown, { name: string; userId?: string; expiresAt?: string }>({
    method: 'post',
    path: '/tokens',
    summary: 'Create an API token; the secret is in the response only',
    tags: ['auth'],
    permission: null,
    schema: {
      body: {
        type: 'object', additionalProperties: false, required: ['name'],
        properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, userId: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } },
      },
      response: { 201: { type: 'object', required: ['token'], properties: { token: { type: 'string' }, ...tokenSchema.properties } } },
    },
    async handler({ scope, body }) {
      const userId = targetUser(scope, body.userId);
      if (!(await scope.em.findOne(User, { id: userId }))) throw notFound('User');
      const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
      if (expiresAt && expiresAt.getTime() <= Date.now()) {
        throw new TicketOpsError('invalid_input', 'expiresAt must be in the future', { details: [{ pointer: '/body/expiresAt', message: 'must be in the future' }] });
      }
      const { token, view } = await createToken(scope, { userId, name: body.name, expiresAt });
      return respond(201, { token, ...view });
    },
  }),
  defineRoute<{ id: string }>({
    method: 'delete',
    path: '/tokens/:id',
    summary: 'Revoke an API token',
    tags: ['auth'],
    permission: null,
    schema: { params: idParams, response: { 200: tokenSchema } },
    async handler({ scope, params }) {
      const own = hasPermission(scope.actor, 'tokens.manage') ? undefined : (scope.actor.userId as string);
      const revoked = await revokeToken(scope, params.id, own);
      await invalidateAuth(kernel.db, kernel.authCache, { credentialId: revoked.id });
      return revoked;
    },
  }),
];

function targetUser(scope: { actor: { userId: string | null; permissions: ReadonlySet<string> } }, requested?: string): string {
  const self = scope.actor.userId;
  if (requested && requested !== self) {
    if (!hasPermission(scope.actor as never, 'tokens.manage')) throw new TicketOpsError('forbidden', 'Managing another user\'s tokens needs the "tokens.manage" permission');
    return requested;
  }
  if (!self) throw new TicketOpsError('invalid_input', 'userId is required for system actors', { details: [{ pointer: '/body/userId', message: 'is required' }] });
  return self;
}
