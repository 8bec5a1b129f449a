import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KbTest, article, createArticle, publish, startKb } from '../testing/kernel.ts';

let kb: KbTest;
const ids: Record<string, string> = {};
const search = async (query: string, token = kb.agent.token) => {
  const res = await kb.t.request('GET', `/api/v1/knowledge-base/search?${query}`, { token });
  expect(res.status).toBe(200);
  return res.body.items as { id: string; title: string; language: string; snippet: string; rank: number }[];
};

beforeAll(async () => {
  kb = await startKb();
  const make = async (key: string, input: Record<string, unknown>, published = true) => {
    ids[key] = (await createArticle(kb.t, kb.agent.token, input)).id;
    if (published) await publish(kb.t, kb.agent.token, ids[key]!);
  };
  await make('title', article('Printer drivers', 'How to install the right package on Windows.', { visibility: 'public' }));
  await make('body', article('Office setup', 'When the printer is missing <img src=x onerror=alert(1)> add it in the settings <script>alert(1)</script> & restart.', { visibility: 'public' }));
  await make('german', { defaultLanguage: 'de', visibility: 'public', translations: { de: { title: 'Drucker einrichten', body: 'Die Drucker werden über die Einstellungen hinzugefügt.' } } });
  await make('internal', article('Printer firmware internals', 'Staff-only notes about printers.', { visibility: 'internal' }));
  await make('draft', article('Printer draft', 'Unpublished printer text.', { visibility: 'public' }), false);
});
afterAll(async () => {
  await kb?.close();
});

describe('search', () => {
  it('ranks a title match above a body match, with stemming ("printers" finds "printer")', async () => {
    const hits = await search('q=printers&lang=en');
    const order = hits.map((h) => h.id);
    expect(order.indexOf(ids.title!)).toBeLessThan(order.indexOf(ids.body!));
    expect(hits[0]!.rank).toBeGreaterThan(hits.find((h) => h.id === ids.body)!.rank);
  });

  it('uses the language of each translation: German stemming finds "Drucker" from "Druckern"', async () => {
    expect((await search('q=Druckern&lang=de')).map((h) => h.id)).toEqual([ids.german]);
    expect(await search('q=Druckern&lang=en')).toEqual([]);
    expect((await search('q=Druckern')).map((h) => [h.id, h.language])).toEqual([[ids.german, 'de']]);
  });

  it('returns snippets with the hits marked and the text escaped', async () => {
    const hit = (await search('q=missing')).find((h) => h.id === ids.body)!;
    expect(hit.snippet).toContain('<mark>missing</mark>');
    // No markup but the marks: whatever ts_headline keeps of the body is escaped.
    expect(hit.snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    expect(hit.snippet).toContain('&amp; restart');
  });

  it('shows customers only published public articles; staff also internal ones and drafts', async () => {
    const asCustomer = (await search('q=printer', kb.customer.token)).map((h) => h.id);
    expect(asCustomer.sort()).toEqual([ids.title, ids.body].sort());
    const asAgent = (await search('q=printer')).map((h) => h.id);
    expect(asAgent).toEqual(expect.arrayContaining([ids.internal, ids.draft]));
  });

  it('filters by category, and names a bad query parameter', async () => {
    const category = (await kb.t.request('POST', '/api/v1/knowledge-base/categories', { token: kb.agent.token, body: { names: { en: 'Printing' } } })).body;
    await kb.t.request('PATCH', `/api/v1/knowledge-base/articles/${ids.body}`, { token: kb.agent.token, body: { categoryId: category.id } });
    expect((await search(`q=printer&category=${category.id}`)).map((h) => h.id)).toEqual([ids.body]);
    const bad = await kb.t.request('GET', '/api/v1/knowledge-base/search?q=x&lang=xx', { token: kb.agent.token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/query/lang');
    expect((await kb.t.request('GET', '/api/v1/knowledge-base/search', { token: kb.agent.token })).body.errors[0].pointer).toBe('/query/q');
  });

  it('keeps the search vectors in a GIN index', async () => {
    const [index] = await kb.t.kernel.db.query<{ indexdef: string }>(`select indexdef from pg_indexes where indexname = 'knowledge_base_translation_search'`);
    expect(index?.indexdef).toMatch(/USING gin \(search_vector\)/);
  });
});

describe('suggestions while typing', () => {
  it('matches the last word as a prefix with prefix=true, and only then', async () => {
    expect(await search('q=printer%20dri&lang=en')).toEqual([]);
    expect((await search('q=printer%20dri&lang=en&prefix=true')).map((h) => h.id)).toEqual([ids.title]);
    expect((await search('q=Druck&prefix=true')).map((h) => h.id)).toEqual([ids.german]);
    // Operators in the last word are not passed to to_tsquery: it is searched as typed.
    expect((await search(`q=${encodeURIComponent('printer dri:*|!')}&prefix=true`)).length).toBeGreaterThanOrEqual(0);
  });
});
