import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '@ticketops/core/kernel/tenants.ts';
import { type KbTest, article, createArticle, publish, startKb } from '../testing/kernel.ts';

let kb: KbTest;
const api = '/api/v1/knowledge-base';
const count = async (table: string) => Number((await kb.t.kernel.db.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]?.n);

beforeAll(async () => {
  kb = await startKb();
});
afterAll(async () => {
  await kb?.close();
});

describe('articles', () => {
  it('creates a draft with a slug made from the title, revision 1 and an ETag; customers may not write', async () => {
    const res = await kb.t.request('POST', `${api}/articles`, { token: kb.agent.token, body: article('Größe ändern: Drucker & Scanner', 'Body', { tags: ['printer'] }) });
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.body).toMatchObject({ slug: 'grosse-andern-drucker-scanner', state: 'draft', visibility: 'internal', defaultLanguage: 'en', tags: ['printer'], version: 1, authorId: kb.agent.id });
    const revisions = await kb.t.request('GET', `${api}/articles/${res.body.id}/revisions`, { token: kb.agent.token });
    expect(revisions.body.items).toEqual([expect.objectContaining({ number: 1, action: 'created', createdBy: kb.agent.id })]);
    expect((await kb.t.request('POST', `${api}/articles`, { token: kb.customer.token, body: article('Mine', 'x') })).status).toBe(403);
    // The same title again gets a slug of its own.
    const again = await createArticle(kb.t, kb.agent.token, article('Größe ändern: Drucker & Scanner', 'Other'));
    expect(again.slug).toMatch(/^grosse-andern-drucker-scanner-[0-9a-f]{8}$/);
  });

  it('refuses bad input naming every field, and writes nothing', async () => {
    const before = await count('knowledge_base_article');
    const bad = await kb.t.request('POST', `${api}/articles`, {
      token: kb.agent.token,
      body: { defaultLanguage: 'de', categoryId: 'kbc_missing', translations: { en: { title: 'Only English', body: '' } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/categoryId', '/body/translations/de']);
    const schema = await kb.t.request('POST', `${api}/articles`, { token: kb.agent.token, body: { defaultLanguage: 'fr', translations: { fr: { title: 'x', body: 'y' } } } });
    expect(schema.status).toBe(400);
    expect(schema.body.errors.map((e: { pointer: string }) => e.pointer)).toContain('/body/defaultLanguage');
    const slug = await kb.t.request('POST', `${api}/articles`, { token: kb.agent.token, body: article('x', 'y', { slug: 'Not A Slug!' }) });
    expect(slug.body.errors[0].pointer).toBe('/body/slug');
    const huge = await kb.t.request('POST', `${api}/articles`, { token: kb.agent.token, body: article('x', 'y'.repeat(200_001)) });
    expect(huge.status).toBe(400);
    expect(huge.body.errors[0].pointer).toBe('/body/translations/en/body');
    // Prototype pollution through the body is refused before any handler runs.
    const polluted = await kb.t.request('POST', `${api}/articles`, {
      token: kb.agent.token,
      rawBody: '{"defaultLanguage":"en","translations":{"en":{"title":"t","body":"b"},"__proto__":{"polluted":true}}}',
    });
    expect(polluted.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await count('knowledge_base_article')).toBe(before);
  });

  it('answers 409 naming the slug when another article has it', async () => {
    await createArticle(kb.t, kb.agent.token, article('First', 'x', { slug: 'reset-password' }));
    const taken = await kb.t.request('POST', `${api}/articles`, { token: kb.agent.token, body: article('Second', 'x', { slug: 'reset-password' }) });
    expect(taken.status).toBe(409);
    expect(taken.body.errors).toEqual([{ pointer: '/body/slug', message: 'is already used' }]);
  });

  it('changes under optimistic concurrency: a stale If-Match or version is 412 and changes nothing', async () => {
    const created = await createArticle(kb.t, kb.agent.token, article('VPN setup', 'Install the client.'));
    const patch = (body: unknown, headers: Record<string, string> = {}) => kb.t.request('PATCH', `${api}/articles/${created.id}`, { token: kb.agent.token, body, headers });
    const ok = await patch({ translations: { de: { title: 'VPN einrichten', body: 'Den Client installieren.' } }, tags: ['vpn'] }, { 'if-match': '"1"' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('"2"');
    expect(ok.body).toMatchObject({ version: 2, tags: ['vpn'], translations: { en: { title: 'VPN setup' }, de: { title: 'VPN einrichten' } } });
    const stale = await patch({ tags: ['lost-update'] }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.currentVersion).toBe(2);
    expect((await patch({ tags: ['lost-update'], version: 1 })).status).toBe(412);
    expect((await patch({ tags: ['x'] }, { 'if-match': 'garbage' })).body.errors[0].pointer).toBe('/headers/if-match');
    // The default language cannot lose its translation.
    const orphan = await patch({ translations: { en: null } });
    expect(orphan.status).toBe(400);
    expect(orphan.body.errors[0].pointer).toBe('/body/translations/en');
    const after = await kb.t.request('GET', `${api}/articles/${created.id}`, { token: kb.agent.token });
    expect(after.body).toMatchObject({ version: 2, tags: ['vpn'] });
    expect(after.body.translations.en.title).toBe('VPN setup');
  });

  it('publishes and archives; customers see only published public articles (404 otherwise, also by slug)', async () => {
    const pub = await createArticle(kb.t, kb.agent.token, article('Public one', 'x', { visibility: 'public', slug: 'public-one' }));
    const internal = await createArticle(kb.t, kb.agent.token, article('Internal one', 'x', { visibility: 'internal' }));
    const get = (id: string) => kb.t.request('GET', `${api}/articles/${id}`, { token: kb.customer.token });
    expect((await get(pub.id)).status).toBe(404);
    await publish(kb.t, kb.agent.token, pub.id);
    await publish(kb.t, kb.agent.token, internal.id);
    expect((await get(pub.id)).status).toBe(200);
    expect((await get('public-one')).body.id).toBe(pub.id);
    expect((await get(internal.id)).status).toBe(404);
    const list = await kb.t.request('GET', `${api}/articles`, { token: kb.customer.token });
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([pub.id]);
    const archived = await kb.t.request('POST', `${api}/articles/${pub.id}/archive`, { token: kb.agent.token, headers: { 'if-match': '"2"' } });
    expect(archived.body).toMatchObject({ state: 'archived', version: 3 });
    expect((await get(pub.id)).status).toBe(404);
    expect((await kb.t.request('POST', `${api}/articles/${pub.id}/archive`, { token: kb.agent.token })).status).toBe(409);
    expect((await kb.t.request('POST', `${api}/articles/${pub.id}/publish`, { token: kb.agent.token, body: { version: 1 } })).status).toBe(412);
    expect((await kb.t.request('POST', `${api}/articles/${pub.id}/publish`, { token: kb.customer.token })).status).toBe(403);
    // Revisions are staff-only.
    expect((await kb.t.request('GET', `${api}/articles/${internal.id}/revisions`, { token: kb.customer.token })).status).toBe(403);
  });

  it('keeps every save as an immutable revision and restores one as a new version', async () => {
    const a = await createArticle(kb.t, kb.agent.token, article('Reset a password', 'Version one', { tags: ['one'] }));
    await kb.t.request('PATCH', `${api}/articles/${a.id}`, { token: kb.agent.token, body: { translations: { en: { title: 'Reset a password', body: 'Version two' }, de: { title: 'Passwort', body: 'zwei' } }, tags: ['two'] } });
    await publish(kb.t, kb.agent.token, a.id);
    const list = await kb.t.request('GET', `${api}/articles/${a.id}/revisions`, { token: kb.agent.token });
    expect(list.body.items.map((r: { number: number; action: string }) => [r.number, r.action])).toEqual([[3, 'published'], [2, 'updated'], [1, 'created']]);
    const one = await kb.t.request('GET', `${api}/articles/${a.id}/revisions/1`, { token: kb.agent.token });
    expect(one.body.snapshot).toMatchObject({ tags: ['one'], translations: { en: { body: 'Version one' } } });
    const stale = await kb.t.request('POST', `${api}/articles/${a.id}/revisions/1/restore`, { token: kb.agent.token, headers: { 'if-match': '"2"' } });
    expect(stale.status).toBe(412);
    const restored = await kb.t.request('POST', `${api}/articles/${a.id}/revisions/1/restore`, { token: kb.agent.token, headers: { 'if-match': '"3"' } });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ version: 4, state: 'published', tags: ['one'], translations: { en: { body: 'Version one' } } });
    expect(restored.body.translations.de).toBeUndefined();
    expect((await kb.t.request('GET', `${api}/articles/${a.id}/revisions/99`, { token: kb.agent.token })).status).toBe(404);
    await expect(kb.t.kernel.db.query(`update knowledge_base_revision set action = 'updated' where article_id = ?`, [a.id])).rejects.toThrow(/immutable/);
  });

  it('deletes an article with its translations and revisions', async () => {
    const a = await createArticle(kb.t, kb.agent.token, article('Doomed', 'x'));
    expect((await kb.t.request('DELETE', `${api}/articles/${a.id}`, { token: kb.agent.token, headers: { 'if-match': '"9"' } })).status).toBe(412);
    expect((await kb.t.request('DELETE', `${api}/articles/${a.id}`, { token: kb.agent.token })).status).toBe(204);
    expect((await kb.t.request('GET', `${api}/articles/${a.id}`, { token: kb.agent.token })).status).toBe(404);
    const left = await kb.t.kernel.db.query<{ n: number }>('select (select count(*) from knowledge_base_translation where article_id = ?) + (select count(*) from knowledge_base_revision where article_id = ?) as n', [a.id, a.id]);
    expect(Number(left[0]?.n)).toBe(0);
  });
});

describe('categories', () => {
  it('builds a tree of at most three levels and filters articles by a category with those under it', async () => {
    const post = (body: unknown) => kb.t.request('POST', `${api}/categories`, { token: kb.agent.token, body });
    const top = (await post({ names: { en: 'Hardware', de: 'Hardware' } })).body;
    const mid = (await post({ names: { en: 'Printers' }, parentId: top.id })).body;
    const leaf = (await post({ names: { en: 'Laser' }, parentId: mid.id })).body;
    expect([top.depth, mid.depth, leaf.depth]).toEqual([1, 2, 3]);
    const deep = await post({ names: { en: 'Too deep' }, parentId: leaf.id });
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0].pointer).toBe('/body/parentId');
    const other = (await post({ names: { en: 'Software' } })).body;
    // Moving "Printers" (two levels) under a second-level category would make four.
    const sub = (await post({ names: { en: 'Office' }, parentId: other.id })).body;
    expect((await kb.t.request('PATCH', `${api}/categories/${mid.id}`, { token: kb.agent.token, body: { parentId: sub.id } })).status).toBe(400);
    expect((await kb.t.request('PATCH', `${api}/categories/${top.id}`, { token: kb.agent.token, body: { parentId: leaf.id } })).body.errors[0].pointer).toBe('/body/parentId');
    const moved = await kb.t.request('PATCH', `${api}/categories/${mid.id}`, { token: kb.agent.token, body: { parentId: null, version: 1 } });
    expect(moved.body).toMatchObject({ depth: 1, version: 2 });
    expect((await kb.t.request('GET', `${api}/categories`, { token: kb.customer.token })).body.items.find((c: { id: string }) => c.id === leaf.id).depth).toBe(2);

    const inLeaf = await createArticle(kb.t, kb.agent.token, article('Toner', 'x', { categoryId: leaf.id }));
    await createArticle(kb.t, kb.agent.token, article('Word', 'x', { categoryId: sub.id }));
    const filtered = await kb.t.request('GET', `${api}/articles?category=${mid.id}`, { token: kb.agent.token });
    expect(filtered.body.items.map((a: { id: string }) => a.id)).toEqual([inLeaf.id]);
    expect((await kb.t.request('DELETE', `${api}/categories/${leaf.id}`, { token: kb.agent.token })).status).toBe(409);
    expect((await kb.t.request('DELETE', `${api}/categories/${top.id}`, { token: kb.agent.token })).status).toBe(204);
  });
});

describe('tenants and tickets', () => {
  it("answers 404 for another tenant's article and category everywhere", async () => {
    const other = await createTenant(kb.t.kernel.db, { slug: 'kb-other', name: 'Other' });
    await kb.t.kernel.db.query(`insert into knowledge_base_category (id, tenant_id, depth, names) values ('kbc_foreign', ?, 1, '{"en":"Foreign"}')`, [other.id]);
    await kb.t.kernel.db.query(
      `insert into knowledge_base_article (id, tenant_id, slug, state, visibility, default_language) values ('kba_foreign', ?, 'foreign-secret', 'published', 'public', 'en')`,
      [other.id],
    );
    await kb.t.kernel.db.query(`insert into knowledge_base_translation (tenant_id, article_id, language, title, body) values (?, 'kba_foreign', 'en', 'Foreign secret', 'secret')`, [other.id]);
    const token = kb.agent.token;
    for (const [method, path] of [
      ['GET', `${api}/articles/kba_foreign`],
      ['GET', `${api}/articles/foreign-secret`],
      ['PATCH', `${api}/articles/kba_foreign`],
      ['DELETE', `${api}/articles/kba_foreign`],
      ['POST', `${api}/articles/kba_foreign/archive`],
      ['GET', `${api}/articles/kba_foreign/revisions`],
      ['POST', `${api}/articles/kba_foreign/revisions/1/restore`],
      ['PATCH', `${api}/categories/kbc_foreign`],
      ['DELETE', `${api}/categories/kbc_foreign`],
    ] as const) {
      const res = await kb.t.request(method, path, { token, body: method === 'PATCH' ? (path.includes('categories') ? { names: { en: 'x' } } : { tags: ['x'] }) : undefined });
      expect([method, path, res.status]).toEqual([method, path, 404]);
    }
    const search = await kb.t.request('GET', `${api}/search?q=secret`, { token });
    expect(search.body.items).toEqual([]);
    const asCategory = await kb.t.request('POST', `${api}/articles`, { token, body: article('x', 'y', { categoryId: 'kbc_foreign' }) });
    expect(asCategory.body.errors[0].pointer).toBe('/body/categoryId');
  });

  it('links articles to tickets; customers see the published public ones of their own tickets only', async () => {
    const other = await kb.t.createUser({ role: 'customer' });
    const ticket = (await kb.t.request('POST', '/api/v1/tickets', { token: kb.agent.token, body: { title: 'Printer jam', requester: kb.customer.id } })).body;
    const pub = await createArticle(kb.t, kb.agent.token, article('Clear a jam', 'x', { visibility: 'public' }));
    await publish(kb.t, kb.agent.token, pub.id);
    const draft = await createArticle(kb.t, kb.agent.token, article('Jam internals', 'x'));
    const link = (articleId: string, token = kb.agent.token) => kb.t.request('POST', `${api}/tickets/${ticket.id}/articles`, { token, body: { articleId } });
    expect((await link(pub.id)).status).toBe(201);
    expect((await link(pub.id)).status).toBe(201);
    const both = await link(draft.id);
    expect(both.body.items.map((a: { id: string }) => a.id)).toEqual([pub.id, draft.id]);
    expect((await link(pub.id, kb.customer.token)).status).toBe(403);
    expect((await link('kba_foreign')).body.errors[0].pointer).toBe('/body/articleId');
    const asCustomer = await kb.t.request('GET', `${api}/tickets/${ticket.id}/articles`, { token: kb.customer.token });
    expect(asCustomer.body.items.map((a: { id: string }) => a.id)).toEqual([pub.id]);
    expect((await kb.t.request('GET', `${api}/tickets/${ticket.id}/articles`, { token: other.token })).status).toBe(404);
    expect((await kb.t.request('DELETE', `${api}/tickets/${ticket.id}/articles/${draft.id}`, { token: kb.agent.token })).status).toBe(204);
    expect((await kb.t.request('DELETE', `${api}/tickets/${ticket.id}/articles/${draft.id}`, { token: kb.agent.token })).status).toBe(404);
  });
});

describe('OpenAPI', () => {
  it('documents every route with its schemas in a valid OpenAPI document', async () => {
    const { validate } = await import('@scalar/openapi-parser');
    const doc = (await kb.t.request('GET', '/api/v1/openapi.json')).body;
    const result = await validate(doc);
    expect(result.errors ?? []).toEqual([]);
    const paths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/knowledge-base/'));
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/knowledge-base/articles',
        '/api/v1/knowledge-base/articles/{id}',
        '/api/v1/knowledge-base/articles/{id}/publish',
        '/api/v1/knowledge-base/articles/{id}/revisions/{number}/restore',
        '/api/v1/knowledge-base/search',
        '/api/v1/knowledge-base/categories/{id}',
        '/api/v1/knowledge-base/tickets/{ticketId}/articles',
      ]),
    );
    expect(doc.paths['/api/v1/knowledge-base/articles'].post.requestBody).toBeDefined();
  });
});
