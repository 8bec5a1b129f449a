import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '@scalar/openapi-parser';
import { helloPlugin } from '@ticketops/example-hello-plugin';
import { type TestKernel, startTestKernel } from '../testing/index.ts';

let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: helloPlugin }], workers: false });
});
afterAll(async () => {
  await t?.close();
});

describe('OpenAPI and operations endpoints', () => {
  it('serves a valid OpenAPI 3.1 document covering every mounted route', async () => {
    const res = await t.request('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const result = await validate(res.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    for (const [path, method] of [['/api/v1/me', 'get'], ['/api/v1/users/{id}', 'get'], ['/api/v1/auth/login', 'post'], ['/api/v1/tokens/{id}', 'delete'], ['/api/v1/hello/greetings', 'post']]) {
      expect(res.body.paths[path as string]?.[method as string], `${method} ${path}`).toBeDefined();
    }
    expect(res.body.paths['/api/v1/users/{id}'].get.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: expect.any(Object) }]);
    const ids = Object.values(res.body.paths).flatMap((item) => Object.values(item as Record<string, { operationId: string }>).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('renders the API reference from our own origin (no CDN)', async () => {
    const page = await t.request('GET', '/api/docs');
    expect(page.status).toBe(200);
    expect(page.body).toContain('src="/api/docs/scalar.js"');
    expect(page.body).not.toMatch(/https?:\/\//);
    const script = await fetch(`${t.url}/api/docs/scalar.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });

  it('healthz, readyz and metrics answer', async () => {
    expect((await t.request('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await t.request('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
    await t.request('GET', '/api/v1/me');
    const metrics = await fetch(`${t.url}/metrics`).then((r) => r.text());
    expect(metrics).toContain('ticketops_http_request_duration_seconds_bucket');
    expect(metrics).toMatch(/route="\/api\/v1\/me",status="401"/);
  });

  it('readyz answers 503 while a migration is pending', async () => {
    await t.kernel.db.query(`delete from ticketops_migration where owner = 'hello'`);
    const res = await t.request('GET', '/readyz');
    expect(res.status).toBe(503);
    expect(res.body.detail).toContain('migrations are not applied');
    await t.kernel.db.query(`insert into ticketops_migration (owner, name) values ('hello', '0001-greetings')`);
    expect((await t.request('GET', '/readyz')).status).toBe(200);
  });
});
