import { randomBytes } from 'node:crypto';

/** A URL slug from a title: accents folded ("Größe" → "grosse"), anything else a hyphen, at most 80 characters. */
export function slugify(title: string): string {
  const folded = title
    .replaceAll('ß', 'ss')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
  return folded || 'article';
}

/** The same slug made unique after a collision. */
export const withSuffix = (slug: string) => `${slug.slice(0, 111)}-${randomBytes(4).toString('hex')}`;
