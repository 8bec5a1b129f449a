import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { attachmentsPlugin } from './index.ts';
import { sandboxCapabilities } from './sandbox.ts';
import { PNG, upload } from './testing/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'ticketops-attachments-sandbox-'));
let t: TestKernel;
let agent: { id: string; token: string };
let ticketId: string;
let list: (args: unknown[], tenantId?: string) => Promise<unknown>;

beforeAll(async () => {
  t = await startTestKernel({ workers: false, plugins: [{ definition: attachmentsPlugin, config: { storage: { driver: 'disk', dir } } }] });
  agent = await t.createUser({ role: 'agent' });
  ticketId = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Scripted', requester: agent.id } })).body.id;
  const [capability] = sandboxCapabilities(() => (tenantId, work) => t.kernel.runAsSystem(tenantId, 'sandbox-test', work));
  list = (args, tenantId = 'ten_default') => (capability as NonNullable<typeof capability>).handler(args, { tenantId, scriptId: 'rule_1' });
  // Another tenant with a ticket and an attachment of its own.
  await t.kernel.db.query(`insert into tenant (id, slug, name) values ('ten_other', 'other', 'Other')`);
  await t.kernel.db.query(`insert into ticket (id, tenant_id, number, title, status, status_category, priority) values ('tkt_other', 'ten_other', 1, 'Theirs', 'open', 'open', 'normal')`);
  await t.kernel.db.query(
    `insert into attachments_file (id, tenant_id, sha256, ticket_id, name, original_name, mime, size, status) values ('att_other', 'ten_other', ?, 'tkt_other', 'x.png', 'x.png', 'image/png', 1, 'clean')`,
    ['0'.repeat(64)],
  );
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sandbox capability attachments.list', () => {
  it('lists the ticket attachments as metadata only', async () => {
    const noteId = (await t.request('POST', `/api/v1/tickets/${ticketId}/comments`, { token: agent.token, body: { body: 'n', internal: true } })).body.id;
    const a = await upload(t, agent.token, PNG, 'a.png', `?ticketId=${ticketId}`);
    const b = await upload(t, agent.token, 'text', 'b.txt', `?ticketId=${ticketId}&commentId=${noteId}`);
    const items = (await list([ticketId])) as Record<string, unknown>[];
    expect(items).toEqual([
      { id: a.body.id, name: 'a.png', mimeType: 'image/png', size: PNG.length, status: 'unscanned', commentId: null, createdAt: a.body.createdAt },
      { id: b.body.id, name: 'b.txt', mimeType: 'text/plain', size: 4, status: 'unscanned', commentId: noteId, createdAt: b.body.createdAt },
    ]);
    // The result is plain JSON (it crosses into the isolate as a copy).
    expect(JSON.parse(JSON.stringify(items))).toEqual(items);
  });

  it("never shows another tenant's attachments: their ticket id is not found from this tenant", async () => {
    await expect(list(['tkt_other'])).rejects.toMatchObject({ code: 'not_found' });
    expect(await list(['tkt_other'], 'ten_other')).toMatchObject([{ id: 'att_other' }]);
    await expect(list([ticketId], 'ten_other')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses arguments that are not a ticket id', async () => {
    for (const bad of [[], [42], [{ __proto__: { id: 'x' } }], ["x' or 1=1 --"], ['a'.repeat(65)]]) {
      await expect(list(bad)).rejects.toMatchObject({ code: 'invalid_input' });
    }
  });

  it('is registered with the kernel under the plugin namespace', () => {
    const sandbox = t.kernel.container.resolve('sandbox') as { capabilities(): { name: string; signature: string }[] };
    expect(sandbox.capabilities()).toContainEqual(expect.objectContaining({ name: 'attachments.list', signature: '(ticketId: string) => Promise<AttachmentInfo[]>' }));
  });
});
