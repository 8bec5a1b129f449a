import type { InferEntity } from '@mikro-orm/core';
import type { Scope } from '@ticketops/plugin-sdk';
import { notFound } from '@ticketops/plugin-sdk';
import { ApiToken } from '../kernel-data/entities.ts';
import { newId } from '../kernel-data/ids.ts';
import { newSecret, sha256 } from './secrets.ts';

export const TOKEN_PREFIX = 'tko_';

export interface TokenView {
  id: string;
  userId: string;
  name: string;
  hint: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

export const toTokenView = (t: InferEntity<typeof ApiToken>): TokenView => ({
  id: t.id, userId: t.userId, name: t.name, hint: t.hint,
  expiresAt: t.expiresAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null,
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null, createdAt: t.createdAt.toISOString(),
});

/** Creates a token; the secret is returned once and only its SHA-256 is stored. */
export async function createToken(scope: Scope, input: { userId: string; name: string; expiresAt?: Date | null }) {
  const secret = newSecret(TOKEN_PREFIX);
  return scope.transactional(async (tx) => {
    const token = tx.em.create(ApiToken, {
      id: newId('tok'), tenantId: scope.tenantId, userId: input.userId, name: input.name,
      tokenHash: sha256(secret), hint: secret.slice(0, TOKEN_PREFIX.length + 4), expiresAt: input.expiresAt ?? null,
      revokedAt: null, lastUsedAt: null,
    });
    await tx.em.flush();
    await tx.audit({ action: 'token.created', targetType: 'token', targetId: token.id, data: { userId: input.userId, name: input.name } });
    return { token: secret, view: toTokenView(token) };
  });
}

export async function revokeToken(scope: Scope, id: string, onlyForUser?: string): Promise<TokenView> {
  return scope.transactional(async (tx) => {
    const token = await tx.em.findOne(ApiToken, onlyForUser ? { id, userId: onlyForUser } : { id });
    if (!token) throw notFound('Token');
    token.revokedAt ??= new Date();
    await tx.em.flush();
    await tx.audit({ action: 'token.revoked', targetType: 'token', targetId: token.id, data: { userId: token.userId } });
    return toTokenView(token);
  });
}
