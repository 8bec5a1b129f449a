import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../testing/index.ts';

let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ workers: false });
});
afterAll(async () => {
  await t?.close();
});

const expectProblem = (res: { status: number; headers: Headers; body: any }, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: `urn:ticketops:problem:${code}` });
};

describe('authentication', () => {
  it('GET /me answers 200 with the token\'s user', async () => {
    const admin = await t.createUser({ role: 'admin', name: 'Ada Admin' });
    const res = await t.request('GET', '/api/v1/me', { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: admin.id, email: admin.email, name: 'Ada Admin', role: 'admin', permissions: ['*'] });
  });

  it('no credentials → 401 problem', async () => {
    expectProblem(await t.request('GET', '/api/v1/me'), 401, 'unauthenticated');
  });

  it('unknown, malformed, revoked and expired tokens → 401', async () => {
    expectProblem(await t.request('GET', '/api/v1/me', { token: 'tko_nonsense' }), 401, 'unauthenticated');
    expectProblem(await t.request('GET', '/api/v1/me', { headers: { authorization: 'Basic abc' } }), 401, 'unauthenticated');

    const agent = await t.createUser({ role: 'agent' });
    const created = await t.request('POST', '/api/v1/tokens', { token: agent.token, body: { name: 'short-lived' } });
    expect(created.status).toBe(201);
    expect((await t.request('GET', '/api/v1/me', { token: created.body.token })).status).toBe(200);
    expect((await t.request('DELETE', `/api/v1/tokens/${created.body.id}`, { token: agent.token })).status).toBe(200);
    const revoked = await t.request('GET', '/api/v1/me', { token: created.body.token });
    expectProblem(revoked, 401, 'unauthenticated');
    expect(revoked.body.detail).toMatch(/revoked/);

    const soon = await t.request('POST', '/api/v1/tokens', { token: agent.token, body: { name: 'expiring', expiresAt: new Date(Date.now() + 1500).toISOString() } });
    expect((await t.request('GET', '/api/v1/me', { token: soon.body.token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    const expired = await t.request('GET', '/api/v1/me', { token: soon.body.token });
    expectProblem(expired, 401, 'unauthenticated');
    expect(expired.body.detail).toMatch(/expired/);
  });

  it('missing permission → 403 naming the permission', async () => {
    const customer = await t.createUser({ role: 'customer' });
    const res = await t.request('GET', '/api/v1/users', { token: customer.token });
    expectProblem(res, 403, 'forbidden');
    expect(res.body.detail).toContain('users.read');
  });
});

describe('console sessions', () => {
  it('logs in with a password, needs the CSRF token for writes, and logs out', async () => {
    const admin = await t.createUser({ role: 'admin' });
    const login = await t.request('POST', '/api/v1/auth/login', { body: { email: admin.email, password: admin.password } });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/ticketops_session=tks_/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = setCookie.split(';')[0] as string;

    expect((await t.request('GET', '/api/v1/me', { headers: { cookie } })).body.id).toBe(admin.id);
    const noCsrf = await t.request('POST', '/api/v1/tokens', { headers: { cookie }, body: { name: 'x' } });
    expectProblem(noCsrf, 403, 'forbidden');
    const withCsrf = await t.request('POST', '/api/v1/tokens', { headers: { cookie, 'x-csrf-token': login.body.csrfToken }, body: { name: 'x' } });
    expect(withCsrf.status).toBe(201);

    expect((await t.request('POST', '/api/v1/auth/logout', { headers: { cookie, 'x-csrf-token': login.body.csrfToken } })).status).toBe(204);
    expectProblem(await t.request('GET', '/api/v1/me', { headers: { cookie } }), 401, 'unauthenticated');
  });

  it('gives a reloaded console its session\'s CSRF token again (GET /auth/session), only for the cookie', async () => {
    const agent = await t.createUser({ role: 'agent' });
    const login = await t.request('POST', '/api/v1/auth/login', { body: { email: agent.email, password: agent.password } });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const session = await t.request('GET', '/api/v1/auth/session', { headers: { cookie } });
    expect(session.status).toBe(200);
    expect(session.headers.get('cache-control')).toBe('no-store');
    expect(session.body).toEqual({ userId: agent.id, csrfToken: login.body.csrfToken, expiresAt: login.body.expiresAt });
    expectProblem(await t.request('GET', '/api/v1/auth/session', { token: agent.token }), 404, 'not_found');
    expectProblem(await t.request('GET', '/api/v1/auth/session'), 401, 'unauthenticated');
    await t.request('POST', '/api/v1/auth/logout', { headers: { cookie, 'x-csrf-token': login.body.csrfToken } });
    expectProblem(await t.request('GET', '/api/v1/auth/session', { headers: { cookie } }), 401, 'unauthenticated');
  });

  it('rejects a wrong password and an idle or expired session', async () => {
    const agent = await t.createUser({ role: 'agent' });
    expectProblem(await t.request('POST', '/api/v1/auth/login', { body: { email: agent.email, password: 'wrong password' } }), 401, 'unauthenticated');

    const login = await t.request('POST', '/api/v1/auth/login', { body: { email: agent.email, password: agent.password } });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    await t.kernel.db.query(`update user_session set last_seen_at = now() - interval '31 minutes' where user_id = ?`, [agent.id]);
    const idle = await t.request('GET', '/api/v1/me', { headers: { cookie } });
    expectProblem(idle, 401, 'unauthenticated');
    expect(idle.body.detail).toMatch(/inactivity/);

    const again = await t.request('POST', '/api/v1/auth/login', { body: { email: agent.email, password: agent.password } });
    const cookie2 = (again.headers.get('set-cookie') ?? '').split(';')[0] as string;
    await t.kernel.db.query(`update user_session set expires_at = now() - interval '1 second' where user_id = ? and revoked_at is null`, [agent.id]);
    const expired = await t.request('GET', '/api/v1/me', { headers: { cookie: cookie2 } });
    expectProblem(expired, 401, 'unauthenticated');
    expect(expired.body.detail).toMatch(/expired/);
  });

  it('throttles repeated failures per account with a bounded delay, then lets the right password in later', async () => {
    const agent = await t.createUser({ role: 'agent' });
    for (let i = 0; i < 5; i++) {
      expect((await t.request('POST', '/api/v1/auth/login', { body: { email: agent.email, password: `wrong ${i}` } })).status).toBe(401);
    }
    const blocked = await t.request('POST', '/api/v1/auth/login', { body: { email: agent.email, password: agent.password } });
    expectProblem(blocked, 429, 'rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    // The block is temporary: once it lapses the right password works and clears the counter.
    await t.kernel.db.query(`update login_throttle set blocked_until = now() - interval '1 second'`);
    expect((await t.request('POST', '/api/v1/auth/login', { body: { email: agent.email, password: agent.password } })).status).toBe(200);
    const rows = await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from login_throttle where key like 'acct:%'`);
    expect(rows[0]?.n).toBe(0);
  });
});

describe('custom roles', () => {
  it('are built from permission strings; changing one applies at once and is audited', async () => {
    const admin = await t.createUser({ role: 'admin' });
    const bad = await t.request('POST', '/api/v1/roles', { token: admin.token, body: { name: 'auditor', permissions: ['audit.read', 'launch.missiles'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ pointer: '/body/permissions/1', message: '"launch.missiles" is not a known permission' }]);
    expect((await t.request('POST', '/api/v1/roles', { token: admin.token, body: { name: 'auditor', permissions: ['users.read'] } })).status).toBe(201);
    const auditor = await t.createUser({ role: 'auditor' });
    expect((await t.request('GET', '/api/v1/audit', { token: auditor.token })).status).toBe(403);
    expect((await t.request('PATCH', '/api/v1/roles/auditor', { token: admin.token, body: { permissions: ['users.read', 'audit.read'] } })).status).toBe(200);
    expect((await t.request('GET', '/api/v1/audit', { token: auditor.token })).status).toBe(200);
    expect((await t.request('PATCH', '/api/v1/roles/admin', { token: admin.token, body: { permissions: [] } })).status).toBe(409);
    expect((await t.request('DELETE', '/api/v1/roles/auditor', { token: admin.token })).status).toBe(409);
    const log = await t.request('GET', '/api/v1/audit?action=role.changed', { token: admin.token });
    expect(log.body.items[0].data).toMatchObject({ name: 'auditor', from: ['users.read'], to: ['users.read', 'audit.read'] });
  });
});
