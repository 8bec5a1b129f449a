/** Helpers shared by the plugin's tests (not part of the plugin). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { attachmentsPlugin } from '@ticketops/plugin-attachments';
import { knowledgeBasePlugin } from '../index.ts';

export interface KbTest {
  t: TestKernel;
  agent: { id: string; token: string };
  customer: { id: string; token: string };
  dir: string | null;
  close(): Promise<void>;
}

/** A kernel with the knowledge base (and, with `attachments`, the attachments plugin on disk in a temp directory). */
export async function startKb(options: { attachments?: boolean } = {}): Promise<KbTest> {
  const dir = options.attachments ? mkdtempSync(join(tmpdir(), 'ticketops-kb-')) : null;
  const t = await startTestKernel({
    workers: false,
    plugins: [
      ...(dir ? [{ definition: attachmentsPlugin, config: { storage: { driver: 'disk', dir }, limits: { maxFileBytes: 1024 * 1024, maxTicketBytes: 4 * 1024 * 1024, maxTenantBytes: 64 * 1024 * 1024 } } }] : []),
      { definition: knowledgeBasePlugin },
    ],
  });
  const agent = await t.createUser({ role: 'agent' });
  const customer = await t.createUser({ role: 'customer' });
  return {
    t,
    agent,
    customer,
    dir,
    async close() {
      await t.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const article = (title: string, body: string, extra: Record<string, unknown> = {}) => ({ defaultLanguage: 'en', translations: { en: { title, body } }, ...extra });

/** Creates an article as `token` and returns its body (fails the test on anything but 201). */
export async function createArticle(t: TestKernel, token: string, input: Record<string, unknown>): Promise<{ id: string; slug: string; version: number }> {
  const res = await t.request('POST', '/api/v1/knowledge-base/articles', { token, body: input });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function publish(t: TestKernel, token: string, id: string): Promise<void> {
  const res = await t.request('POST', `/api/v1/knowledge-base/articles/${id}/publish`, { token });
  if (res.status !== 200) throw new Error(`publish failed: ${res.status} ${JSON.stringify(res.body)}`);
}
