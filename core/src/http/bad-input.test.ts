import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../testing/index.ts';

let t: TestKernel;
let admin: { token: string };
const userCount = async () => (await t.kernel.db.query<{ n: number }>('select count(*)::int as n from app_user'))[0]?.n;

beforeAll(async () => {
  t = await startTestKernel({ workers: false, config: { bodyLimit: '16kb' } });
  admin = await t.createUser({ role: 'admin' });
});
afterAll(async () => {
  await t?.close();
});

describe('hostile and malformed input', () => {
  it('malformed JSON → 400 problem, nothing written', async () => {
    const before = await userCount();
    const res = await t.request('POST', '/api/v1/users', { token: admin.token, rawBody: '{"email": "a@b.c", "name": ' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(res.body.code).toBe('invalid_input');
    expect(res.body.errors).toEqual([{ pointer: '/body', message: 'is not valid JSON' }]);
    expect(await userCount()).toBe(before);
  });

  it('malformed JSON is rejected before authentication on any POST', async () => {
    const res = await t.request('POST', '/api/v1/tokens', { rawBody: '{nope' });
    expect(res.status).toBe(400);
  });

  it('oversize body → 413 problem', async () => {
    const res = await t.request('POST', '/api/v1/users', { token: admin.token, body: { email: 'big@example.com', name: 'x'.repeat(20_000), role: 'agent' } });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
    expect(await t.kernel.db.query('select 1 from app_user where email = ?', ['big@example.com'])).toHaveLength(0);
  });

  it('unknown properties and wrong types → 400 listing every failing field', async () => {
    const res = await t.request('POST', '/api/v1/users', { token: admin.token, body: { email: 'not-an-email', name: 42, role: 'agent', isAdmin: true } });
    expect(res.status).toBe(400);
    const pointers = res.body.errors.map((e: { pointer: string }) => e.pointer).sort();
    expect(pointers).toEqual(['/body/email', '/body/isAdmin', '/body/name']);
    expect(await t.kernel.db.query('select 1 from app_user where email = ?', ['not-an-email'])).toHaveLength(0);
  });

  it('__proto__ and constructor keys, at any depth → 400, nothing written', async () => {
    const before = await userCount();
    for (const raw of [
      '{"email":"p@example.com","name":"P","role":"agent","__proto__":{"isAdmin":true}}',
      '{"name":"t","nested":{"deep":[{"constructor":{"prototype":{"x":1}}}]}}',
    ]) {
      const res = await t.request('POST', '/api/v1/users', { token: admin.token, rawBody: raw });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toBe('is a reserved property name');
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(await userCount()).toBe(before);
  });

  it('unknown role and duplicate email → 400 / 409 naming the problem, nothing half-written', async () => {
    const bad = await t.request('POST', '/api/v1/users', { token: admin.token, body: { email: 'r@example.com', name: 'R', role: 'wizard' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ pointer: '/body/role', message: 'is not a role of this tenant' }]);
    const first = await t.request('POST', '/api/v1/users', { token: admin.token, body: { email: 'dup@example.com', name: 'D', role: 'agent' } });
    expect(first.status).toBe(201);
    const auditBefore = (await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'user.created'`))[0]?.n;
    const dup = await t.request('POST', '/api/v1/users', { token: admin.token, body: { email: 'DUP@example.com', name: 'D2', role: 'agent' } });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('conflict');
    const auditAfter = (await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'user.created'`))[0]?.n;
    expect(auditAfter).toBe(auditBefore);
  });

  it('a non-JSON body where JSON is expected → 415; an unknown route → 404 problem', async () => {
    const res = await t.request('POST', '/api/v1/users', { token: admin.token, rawBody: 'email=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(415);
    const missing = await t.request('GET', '/api/v1/nothing-here', { token: admin.token });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not_found');
  });

  it('bad query values and cursors → 400 naming the parameter', async () => {
    const limit = await t.request('GET', '/api/v1/users?limit=0', { token: admin.token });
    expect(limit.status).toBe(400);
    expect(limit.body.errors[0].pointer).toBe('/query/limit');
    const cursor = await t.request('GET', '/api/v1/users?cursor=garbage', { token: admin.token });
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors[0].pointer).toBe('/query/cursor');
  });

  it('sends security headers and a request id', async () => {
    const res = await t.request('GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('answers API routes with the REST security headers: never cached, never framed, never sniffed', async () => {
    const res = await t.request('GET', '/api/v1/me', { token: admin.token, headers: { 'x-request-id': 'api-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('api-1');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const problem = await t.request('GET', '/api/v1/me');
    expect(problem.status).toBe(401);
    expect(problem.headers.get('cache-control')).toBe('no-store');
    expect(problem.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  });

  it('routes API paths exactly: a trailing slash still matches, another method or case does not', async () => {
    expect((await t.request('GET', '/api/v1/me/', { token: admin.token })).status).toBe(200);
    const head = await t.request('HEAD', '/api/v1/me', { token: admin.token });
    expect(head.status).toBe(200);
    const wrongMethod = await t.request('PUT', '/api/v1/me', { token: admin.token });
    expect(wrongMethod.status).toBe(404);
    expect(wrongMethod.body.code).toBe('not_found');
  });
});
