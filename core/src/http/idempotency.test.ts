import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../testing/index.ts';

let t: TestKernel;
let agent: { token: string };
const count = async (title: string) => (await t.kernel.db.query<{ n: number }>('select count(*)::int as n from ticket where title = ?', [title]))[0]?.n;

beforeAll(async () => {
  t = await startTestKernel({ workers: false });
  agent = await t.createUser({ role: 'agent' });
});
afterAll(async () => {
  await t?.close();
});

describe('Idempotency-Key on POST', () => {
  it('replays the stored response for a retry with the same key and body; creates once', async () => {
    const headers = { 'idempotency-key': 'create-42' };
    const first = await t.request('POST', '/api/v1/tickets', { token: agent.token, headers, body: { title: 'Once only' } });
    const retry = await t.request('POST', '/api/v1/tickets', { token: agent.token, headers, body: { title: 'Once only' } });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect(await count('Once only')).toBe(1);
  });

  it('the same key with another body → 400 naming the header; a failed request can be retried', async () => {
    const headers = { 'idempotency-key': 'k-2' };
    await t.request('POST', '/api/v1/tickets', { token: agent.token, headers, body: { title: 'A' } });
    const other = await t.request('POST', '/api/v1/tickets', { token: agent.token, headers, body: { title: 'B' } });
    expect(other.status).toBe(400);
    expect(other.body.errors[0].pointer).toBe('/headers/idempotency-key');

    const bad = await t.request('POST', '/api/v1/tickets', { token: agent.token, headers: { 'idempotency-key': 'k-3' }, body: { title: 'C', status: 'limbo' } });
    expect(bad.status).toBe(400);
    const fixed = await t.request('POST', '/api/v1/tickets', { token: agent.token, headers: { 'idempotency-key': 'k-3' }, body: { title: 'C', status: 'limbo' } });
    expect(fixed.status).toBe(400);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
  });

  it('keys are per user: another user with the same key creates their own ticket', async () => {
    const other = await t.createUser({ role: 'agent' });
    const headers = { 'idempotency-key': 'shared-key' };
    await t.request('POST', '/api/v1/tickets', { token: agent.token, headers, body: { title: 'Per user' } });
    const theirs = await t.request('POST', '/api/v1/tickets', { token: other.token, headers, body: { title: 'Per user' } });
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(await count('Per user')).toBe(2);
  });
});
