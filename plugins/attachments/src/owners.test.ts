import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '@ticketops/plugin-sdk';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { type AttachmentOwners, attachmentsPlugin } from './index.ts';
import { PNG, upload } from './testing/helpers.ts';

/**
 * Owner kinds as any dependent plugin uses them: a test plugin registers `boxes.box`, whose files
 * everyone may read while the box is "open" and only agents may write. The attachments plugin
 * knows nothing of boxes.
 */
const open = new Set<string>();
let registry: AttachmentOwners;
const boxes = definePlugin({
  id: 'boxes',
  version: '1.0.0',
  kernel: '^0.1.0',
  optionalDependsOn: ['attachments'],
  init({ resolve }) {
    registry = resolve<AttachmentOwners>('attachments.owners');
    registry.register('boxes.box', {
      canRead: async (_scope, id) => open.has(id),
      canWrite: async (scope, id) => open.has(id) && scope.actor.role === 'agent',
    });
  },
});

const dir = mkdtempSync(join(tmpdir(), 'ticketops-owners-'));
let t: TestKernel;
let agent: { token: string };
let customer: { token: string };

beforeAll(async () => {
  t = await startTestKernel({ workers: false, plugins: [{ definition: attachmentsPlugin, config: { storage: { driver: 'disk', dir } } }, { definition: boxes }] });
  agent = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('owner kinds', () => {
  it("asks the registering plugin who may read and write an owner's files", async () => {
    open.add('box_1');
    const res = await upload(t, agent.token, PNG, 'a.png', '?owner=boxes.box:box_1');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ owner: 'boxes.box:box_1', ticketId: null });
    expect((await upload(t, customer.token, PNG, 'a.png', '?owner=boxes.box:box_1')).status).toBe(403);
    expect((await upload(t, agent.token, PNG, 'a.png', '?owner=boxes.box:box_closed')).status).toBe(404);
    expect((await t.request('GET', `/api/v1/attachments/${res.body.id}`, { token: customer.token })).status).toBe(200);
    // Deleting is writing: an admin holds every permission, but the box lets only agents write.
    const admin = await t.createUser({ role: 'admin' });
    expect((await t.request('DELETE', `/api/v1/attachments/${res.body.id}`, { token: admin.token })).status).toBe(403);
    open.delete('box_1');
    expect((await t.request('DELETE', `/api/v1/attachments/${res.body.id}`, { token: agent.token })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/attachments/${res.body.id}/content`, { token: customer.token })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/attachments/${res.body.id}/thumbnail`, { token: agent.token })).status).toBe(404);
  });

  it('treats files of a kind nobody registered as invisible, and refuses bad kinds', async () => {
    await t.kernel.db.query(
      `insert into attachments_file (id, tenant_id, sha256, owner_kind, owner_id, name, original_name, mime, size, status) values ('att_orphan', 'ten_default', ?, 'gone.thing', 'x1', 'x.png', 'x.png', 'image/png', 1, 'clean')`,
      ['b'.repeat(64)],
    );
    expect((await t.request('GET', '/api/v1/attachments/att_orphan', { token: agent.token })).status).toBe(404);
    const unknown = await upload(t, agent.token, PNG, 'a.png', '?owner=gone.thing:x1');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ pointer: '/query/owner', message: 'is not a known owner kind' }]);
    expect(() => registry.register('boxes.box', { canRead: async () => true, canWrite: async () => true })).toThrow(/twice/);
    expect(() => registry.register('__proto__', { canRead: async () => true, canWrite: async () => true })).toThrow(/<plugin id>\.<thing>/);
    // A file is a ticket's or an owner's, never both (checked by the database too).
    const ticket = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'x', requester: (await t.createUser({ role: 'customer' })).id } })).body;
    await expect(t.kernel.db.query(`update attachments_file set ticket_id = ? where id = 'att_orphan'`, [ticket.id])).rejects.toThrow(/attachments_file_owner/);
  });
});
