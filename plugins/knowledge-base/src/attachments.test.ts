import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '@ticketops/core/kernel/tenants.ts';
import { type KbTest, article, createArticle, publish, startKb } from './testing/kernel.ts';

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let kb: KbTest;
const owner = (id: string) => `owner=knowledge-base.article:${id}`;

async function upload(token: string, query: string, bytes: Buffer = PNG, name = 'diagram.png') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), name);
  const res = await fetch(`${kb.t.url}/api/v1/attachments?${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: await res.json() };
}
const blobFiles = () => {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) if (e.name !== '.tmp') e.isDirectory() ? walk(join(d, e.name)) : out.push(e.name);
  };
  walk(kb.dir!);
  return out;
};
const blob = async (sha: string) => (await kb.t.kernel.db.query<{ ref_count: number }>('select ref_count from attachments_blob where sha256 = ?', [sha]))[0];

beforeAll(async () => {
  kb = await startKb({ attachments: true });
});
afterAll(async () => {
  await kb?.close();
});

describe('files on articles (attachments owner kind knowledge-base.article)', () => {
  it('lets editors upload; customers read files of published public articles only; everything else is 404', async () => {
    const pub = await createArticle(kb.t, kb.agent.token, article('With image', 'See ![diagram](attachment:att_x)', { visibility: 'public' }));
    const internal = await createArticle(kb.t, kb.agent.token, article('Internal', 'x', { visibility: 'internal' }));
    const up = await upload(kb.agent.token, owner(pub.id));
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ owner: `knowledge-base.article:${pub.id}`, ticketId: null, mimeType: 'image/png' });
    const hidden = await upload(kb.agent.token, owner(internal.id), Buffer.concat([PNG, Buffer.from('internal')]));
    expect(hidden.status).toBe(201);

    const content = (id: string, token = kb.customer.token) => fetch(`${kb.t.url}/api/v1/attachments/${id}/content`, { headers: { authorization: `Bearer ${token}` } });
    // A draft's file is invisible to customers; published and public, it is theirs to read.
    expect((await content(up.body.id)).status).toBe(404);
    await publish(kb.t, kb.agent.token, pub.id);
    await publish(kb.t, kb.agent.token, internal.id);
    const download = await content(up.body.id);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG);
    expect((await kb.t.request('GET', `/api/v1/attachments/${up.body.id}/thumbnail?size=64`, { token: kb.customer.token })).status).toBe(200);
    expect((await content(hidden.body.id)).status).toBe(404);
    expect((await kb.t.request('GET', `/api/v1/attachments/${hidden.body.id}`, { token: kb.customer.token })).status).toBe(404);
    const list = await kb.t.request('GET', `/api/v1/attachments?${owner(pub.id)}`, { token: kb.customer.token });
    expect(list.body.items.map((f: { id: string }) => f.id)).toEqual([up.body.id]);
    expect((await kb.t.request('GET', `/api/v1/attachments?${owner(internal.id)}`, { token: kb.customer.token })).status).toBe(404);

    // Customers may read but not add or delete.
    expect((await upload(kb.customer.token, owner(pub.id))).status).toBe(403);
    expect((await upload(kb.customer.token, owner(internal.id))).status).toBe(404);
    expect((await kb.t.request('DELETE', `/api/v1/attachments/${up.body.id}`, { token: kb.customer.token })).status).toBe(403);
    // An upload made for an article cannot be moved onto a ticket.
    const ticket = (await kb.t.request('POST', '/api/v1/tickets', { token: kb.agent.token, body: { title: 'x', requester: kb.customer.id } })).body;
    expect((await kb.t.request('POST', `/api/v1/attachments/${up.body.id}/link`, { token: kb.agent.token, body: { ticketId: ticket.id } })).status).toBe(409);
    // Archived: hidden again.
    await kb.t.request('POST', `/api/v1/knowledge-base/articles/${pub.id}/archive`, { token: kb.agent.token });
    expect((await content(up.body.id)).status).toBe(404);
  });

  it('refuses unknown kinds, missing articles and mixed targets, naming the field', async () => {
    const a = await createArticle(kb.t, kb.agent.token, article('Target', 'x'));
    const unknown = await upload(kb.agent.token, 'owner=nobody.thing:abc');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].pointer).toBe('/query/owner');
    expect((await upload(kb.agent.token, 'owner=knowledge-base.article:kba_missing')).status).toBe(404);
    expect((await upload(kb.agent.token, 'owner=not-a-kind')).body.errors[0].pointer).toBe('/query/owner');
    const ticket = (await kb.t.request('POST', '/api/v1/tickets', { token: kb.agent.token, body: { title: 'x', requester: kb.customer.id } })).body;
    expect((await upload(kb.agent.token, `${owner(a.id)}&ticketId=${ticket.id}`)).body.errors[0].pointer).toBe('/query/owner');
    expect(await kb.t.kernel.db.query('select 1 from attachments_file where owner_id = ?', [a.id])).toEqual([]);
  });

  it("answers 404 for another tenant's article and its files", async () => {
    const other = await createTenant(kb.t.kernel.db, { slug: 'kb-att-other', name: 'Other' });
    await kb.t.kernel.db.query(`insert into knowledge_base_article (id, tenant_id, slug, state, visibility, default_language) values ('kba_elsewhere', ?, 'elsewhere', 'published', 'public', 'en')`, [other.id]);
    await kb.t.kernel.db.query(
      `insert into attachments_file (id, tenant_id, sha256, owner_kind, owner_id, name, original_name, mime, size, status) values ('att_elsewhere', ?, ?, 'knowledge-base.article', 'kba_elsewhere', 'x.png', 'x.png', 'image/png', 1, 'clean')`,
      [other.id, 'a'.repeat(64)],
    );
    expect((await upload(kb.agent.token, owner('kba_elsewhere'))).status).toBe(404);
    expect((await kb.t.request('GET', '/api/v1/attachments/att_elsewhere', { token: kb.agent.token })).status).toBe(404);
    expect((await kb.t.request('GET', `/api/v1/attachments?${owner('kba_elsewhere')}`, { token: kb.agent.token })).status).toBe(404);
  });

  it('deletes the files with the article, keeping shared bytes until their last reference goes', async () => {
    const a = await createArticle(kb.t, kb.agent.token, article('Two images', 'x'));
    const b = await createArticle(kb.t, kb.agent.token, article('Shares one', 'x'));
    const shared = Buffer.concat([PNG, Buffer.from('shared')]);
    const own = Buffer.concat([PNG, Buffer.from('own')]);
    const s1 = await upload(kb.agent.token, owner(a.id), shared);
    const o1 = await upload(kb.agent.token, owner(a.id), own);
    const s2 = await upload(kb.agent.token, owner(b.id), shared);
    expect((await blob(s1.body.sha256))?.ref_count).toBe(2);
    expect((await kb.t.request('DELETE', `/api/v1/knowledge-base/articles/${a.id}`, { token: kb.agent.token })).status).toBe(204);
    expect((await kb.t.request('GET', `/api/v1/attachments/${s1.body.id}`, { token: kb.agent.token })).status).toBe(404);
    expect((await blob(s1.body.sha256))?.ref_count).toBe(1);
    expect(await blob(o1.body.sha256)).toBeUndefined();
    expect(blobFiles()).toContain(s1.body.sha256);
    expect(blobFiles()).not.toContain(o1.body.sha256);
    // The file an editor deletes on its own goes the same way.
    expect((await kb.t.request('DELETE', `/api/v1/attachments/${s2.body.id}`, { token: kb.agent.token })).status).toBe(204);
    expect(await blob(s2.body.sha256)).toBeUndefined();
    expect(blobFiles()).not.toContain(s1.body.sha256);
  });

  it('keeps article files out of the unattached-upload clean-up', async () => {
    const a = await createArticle(kb.t, kb.agent.token, article('Old file', 'x'));
    const file = await upload(kb.agent.token, owner(a.id), Buffer.concat([PNG, Buffer.from('old')]));
    await kb.t.kernel.db.query(`update attachments_file set created_at = now() - interval '30 days' where id = ?`, [file.body.id]);
    const runtime = kb.t.kernel.container.resolve<{ get(): { runCleanup(scope: unknown): Promise<{ unattached: number }> } }>('attachments.runtime').get();
    await kb.t.kernel.runAsSystem('ten_default', 'test', (scope) => runtime.runCleanup(scope));
    expect((await kb.t.request('GET', `/api/v1/attachments/${file.body.id}`, { token: kb.agent.token })).status).toBe(200);
  });
});
