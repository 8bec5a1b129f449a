import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '@ticketops/plugin-sdk';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { attachmentsPlugin } from '../index.ts';
import { PNG } from '../testing/helpers.ts';
import { startS3 } from '../testing/s3.ts';

/**
 * A direct-to-S3 upload meant for an owner of a registered kind (e.g. a knowledge-base article),
 * against a real S3-compatible server: the owner's plugin decides at the start and again at
 * completion, and the file ends up the owner's, not a ticket's.
 */
const open = new Set<string>();
const shelves = definePlugin({
  id: 'shelves',
  version: '1.0.0',
  kernel: '^0.1.0',
  optionalDependsOn: ['attachments'],
  init({ resolve }) {
    resolve<{ register(kind: string, checks: { canRead(scope: unknown, id: string): Promise<boolean>; canWrite(scope: { actor: { role: string } }, id: string): Promise<boolean> }): void }>('attachments.owners').register('shelves.shelf', {
      canRead: async (_scope, id) => open.has(id),
      canWrite: async (scope, id) => open.has(id) && scope.actor.role === 'agent',
    });
  },
});

let s3: Awaited<ReturnType<typeof startS3>>;
let t: TestKernel;
let agent: { token: string };
let customer: { token: string };

beforeAll(async () => {
  s3 = await startS3();
  t = await startTestKernel({
    workers: false,
    plugins: [{ definition: attachmentsPlugin, config: { storage: { driver: 's3', s3: s3.settings } } }, { definition: shelves }],
  });
  agent = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
});

const start = (token: string, body: Record<string, unknown>) => t.request('POST', '/api/v1/attachments/uploads', { token, body: { name: 'shelf.png', size: PNG.length, ...body } });

describe('presigned uploads for an owner kind', () => {
  it("creates the file as the owner's after PUT and complete", async () => {
    open.add('shf_1');
    const started = await start(agent.token, { owner: 'shelves.shelf:shf_1' });
    expect(started.status).toBe(201);
    expect((await fetch(started.body.url, { method: 'PUT', body: new Uint8Array(PNG) })).status).toBe(200);
    const done = await t.request('POST', `/api/v1/attachments/uploads/${started.body.uploadId}/complete`, { token: agent.token, body: {} });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ owner: 'shelves.shelf:shf_1', ticketId: null, size: PNG.length, mimeType: 'image/png' });
    const listed = await t.request('GET', '/api/v1/attachments?owner=shelves.shelf:shf_1', { token: customer.token });
    expect(listed.body.items.map((a: { id: string }) => a.id)).toEqual([done.body.id]);
  });

  it("asks the owner's plugin at the start (403, 404, unknown kind 400) and again at completion", async () => {
    open.add('shf_2');
    expect((await start(customer.token, { owner: 'shelves.shelf:shf_2' })).status).toBe(403);
    expect((await start(agent.token, { owner: 'shelves.shelf:shf_none' })).status).toBe(404);
    const unknown = await start(agent.token, { owner: 'nobody.thing:x1' });
    expect(unknown.status).toBe(400);
    expect((await start(agent.token, { owner: 'not an owner' })).body.errors?.[0]?.pointer).toBe('/body/owner');

    // The shelf closes between start and completion: nothing is kept.
    const started = await start(agent.token, { owner: 'shelves.shelf:shf_2' });
    expect((await fetch(started.body.url, { method: 'PUT', body: new Uint8Array(PNG) })).status).toBe(200);
    open.delete('shf_2');
    const done = await t.request('POST', `/api/v1/attachments/uploads/${started.body.uploadId}/complete`, { token: agent.token, body: {} });
    expect(done.status).toBe(404);
    expect(await t.kernel.db.query(`select id from attachments_file where owner_id = 'shf_2'`)).toEqual([]);
    expect(await t.kernel.db.query(`select id from attachments_upload where id = ?`, [started.body.uploadId])).toEqual([]);
  });
});
