/**
 * What the staff list, the ticket panel and the portal share: reading articles by search
 * (`/knowledge-base/search`) or by list (`/knowledge-base/articles`), and a hit's snippet with its
 * matches marked, drawn as text nodes (never parsed as HTML).
 */
import { type ApiClient, html } from '@ticketops/admin-ui/plugin-api';
import { type Summary, markedText } from './api.ts';

export async function findArticles(api: ApiClient, q: string, options: { category?: string; lang?: string; limit?: number; prefix?: boolean } = {}): Promise<Summary[]> {
  const query = { category: options.category || undefined, limit: options.limit ?? 20 };
  if (q.trim()) return (await api.get<{ items: Summary[] }>('/knowledge-base/search', { q: q.trim(), lang: options.lang, prefix: options.prefix || undefined, ...query })).items;
  return (await api.get<{ items: Summary[] }>('/knowledge-base/articles', { lang: options.lang, ...query, limit: Math.min(query.limit * 5, 200) })).items;
}

export const snippet = (hit: Summary) =>
  hit.snippet ? html`<span class="snippet">${markedText(hit.snippet).map((part) => (typeof part === 'string' ? part : html`<mark>${part.mark}</mark>`))}</span>` : '';
