import { type RouteDefinition, TicketOpsError, defineRoute, respond } from '@ticketops/plugin-sdk';
import { verifyPassword } from '../../auth/secrets.ts';
import { SESSION_COOKIE, createSession, revokeSession, sessionCookieOptions } from '../../auth/sessions.ts';
import { LoginThrottle } from '../../auth/throttle.ts';
import { writeAudit } from '../../kernel/audit.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import { serialize } from 'cookie';

interface LoginBody { email: string; password: string; tenant?: string }

export const authRoutes = (kernel: Kernel): RouteDefinition[] => {
  const throttle = new LoginThrottle(kernel.db, kernel.config.login);
  return [
    defineRoute<unknown, unknown, LoginBody>({
      method: 'post',
      path: '/auth/login',
      summary: 'Sign in with email and password; sets the session cookie and returns the CSRF token',
      tags: ['auth'],
      permission: 'public',
      schema: {
        body: {
          type: 'object', additionalProperties: false, required: ['email', 'password'],
          properties: { email: { type: 'string', minLength: 3, maxLength: 320 }, password: { type: 'string', minLength: 1, maxLength: 1024 }, tenant: { type: 'string', maxLength: 64 } },
        },
        response: { 200: { type: 'object', required: ['userId', 'csrfToken', 'expiresAt'], properties: { userId: { type: 'string' }, csrfToken: { type: 'string' }, expiresAt: { type: 'string' } } } },
      },
      async handler({ body, ip, headers }) {
        const email = body.email.trim().toLowerCase();
        const tenantSlug = body.tenant ?? 'default';
        const accountKey = `acct:${tenantSlug}:${email}`;
        const addressKey = `addr:${ip}`;
        const wait = await throttle.retryAfter([accountKey, addressKey]);
        if (wait > 0) {
          throw new TicketOpsError('rate_limited', `Too many failed sign-ins; try again in ${wait} s`, { extra: { retryAfter: wait } });
        }
        const rows = await kernel.db.query<{ id: string; tenant_id: string; password_hash: string | null; active: boolean }>(
          `select u.id, u.tenant_id, u.password_hash, u.active from app_user u join tenant t on t.id = u.tenant_id where t.slug = ? and lower(u.email) = ?`,
          [tenantSlug, email],
        );
        const user = rows[0];
        const ok = await verifyPassword(user?.password_hash, body.password);
        if (!user || !ok || !user.active) {
          await throttle.recordFailure(accountKey, addressKey);
          if (user) await writeAudit(kernel.db.em.fork(), { tenantId: user.tenant_id, actorId: user.id, requestId: null, ip }, { action: 'auth.login_failed', targetType: 'user', targetId: user.id });
          throw new TicketOpsError('unauthenticated', 'Email or password is wrong');
        }
        await throttle.recordSuccess(accountKey);
        const session = await createSession(kernel.db, kernel.config, { tenantId: user.tenant_id, userId: user.id, ip, userAgent: (headers['user-agent'] as string) ?? null });
        await writeAudit(kernel.db.em.fork(), { tenantId: user.tenant_id, actorId: user.id, requestId: null, ip }, { action: 'auth.login', targetType: 'session', targetId: session.id });
        const cookie = serialize(SESSION_COOKIE, session.secret, sessionCookieOptions(kernel.config, session.expiresAt));
        return respond(200, { userId: user.id, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() }, { 'Set-Cookie': cookie });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/auth/session',
      summary: 'The current console session: its CSRF token and expiry, so a reloaded console can go on',
      description: 'Only for the session cookie; a Bearer token has no session (404). Readable by the console\'s own origin only (no CORS), like the login answer.',
      tags: ['auth'],
      permission: null,
      schema: { response: { 200: { type: 'object', required: ['userId', 'csrfToken', 'expiresAt'], properties: { userId: { type: 'string' }, csrfToken: { type: 'string' }, expiresAt: { type: 'string' } } } } },
      async handler({ scope }) {
        const sessionId = scope.actor.sessionId;
        const [row] = sessionId
          ? await kernel.db.query<{ csrf_token: string; expires_at: Date | string }>('select csrf_token, expires_at from user_session where id = ? and revoked_at is null', [sessionId])
          : [];
        if (!row || !scope.actor.userId) throw new TicketOpsError('not_found', 'No console session: sign in with POST /api/v1/auth/login');
        return { userId: scope.actor.userId, csrfToken: row.csrf_token, expiresAt: new Date(row.expires_at).toISOString() };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/logout',
      summary: 'End the current console session',
      tags: ['auth'],
      permission: null,
      schema: { response: { 204: {} } },
      async handler({ scope }) {
        const sessionId = scope.actor.sessionId ?? null;
        if (sessionId) await revokeSession(kernel.db, sessionId);
        await scope.audit({ action: 'auth.logout', targetType: 'session', targetId: sessionId ?? undefined });
        return respond(204, undefined, { 'Set-Cookie': serialize(SESSION_COOKIE, '', sessionCookieOptions(kernel.config, new Date(0))) });
      },
    }),
  ];
};

