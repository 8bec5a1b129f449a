/** The shapes the knowledge-base panels read from `/api/v1/knowledge-base`, and problems in words. */
import { ApiError, t } from '@ticketops/admin-ui/plugin-api';

export type Language = 'en' | 'de';
export const LANGUAGES: Language[] = ['en', 'de'];

export interface Article {
  id: string;
  slug: string;
  categoryId: string | null;
  state: 'draft' | 'published' | 'archived';
  visibility: 'public' | 'internal';
  defaultLanguage: Language;
  tags: string[];
  translations: Partial<Record<Language, { title: string; body: string }>>;
  version: number;
  updatedAt: string;
}

export interface Summary {
  id: string;
  slug: string;
  title: string;
  language: Language;
  categoryId: string | null;
  state: Article['state'];
  visibility: Article['visibility'];
  snippet?: string;
}

export interface Category {
  id: string;
  parentId: string | null;
  depth: number;
  names: Partial<Record<Language, string>>;
}

export interface Revision {
  number: number;
  action: string;
  createdAt: string;
}

export interface FileInfo {
  id: string;
  name: string;
  mimeType: string;
  size: number;
}

/** `k` in this plugin's namespace. */
export const s = (k: string, options: Record<string, unknown> = {}) => t(`knowledge-base:${k}`, options);

/** A problem in words: the API's message, with the fields it names. */
export function problemText(error: unknown): string {
  if (error instanceof ApiError) return [error.message, ...error.errors.map((e) => `${e.pointer.replace(/^\/(body|query|params|headers)\//, '')} ${e.message}`)].join(' — ');
  return error instanceof Error ? error.message : String(error);
}

/** A category's name in the language wanted, else any it has. */
export const categoryName = (c: Category, language: string) => c.names[language as Language] ?? c.names.en ?? Object.values(c.names)[0] ?? c.id;

/** Categories as a flat list in tree order, with their depth for indenting. */
export function treeOrder(categories: Category[]): Category[] {
  const out: Category[] = [];
  const visit = (parentId: string | null) => {
    for (const c of categories.filter((x) => x.parentId === parentId)) {
      out.push(c);
      visit(c.id);
    }
  };
  visit(null);
  return out;
}

/** Search hits come HTML-escaped with <mark> around matches: turn that into nodes without parsing any other markup. */
export function markedText(snippet: string): (string | { mark: string })[] {
  const decode = (x: string) => x.replace(/&(lt|gt|amp|quot|#39);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'" })[e] ?? '');
  return snippet.split(/(<mark>.*?<\/mark>)/).filter(Boolean).map((part) => (part.startsWith('<mark>') ? { mark: decode(part.slice(6, -7)) } : decode(part)));
}
