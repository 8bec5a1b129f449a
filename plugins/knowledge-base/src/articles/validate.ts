import type { EntityManager } from '@mikro-orm/sql';
import { type ErrorDetail, invalidInput } from '@ticketops/plugin-sdk';
import { findCategory } from '../categories/store.ts';
import type { Language } from '../languages.ts';
import type { Translations, Visibility } from './store.ts';

export interface ArticleInput {
  slug?: string;
  categoryId?: string | null;
  visibility?: Visibility;
  defaultLanguage?: Language;
  tags?: string[];
  translations?: Record<string, { title: string; body: string } | null>;
  version?: number;
}

/**
 * What JSON Schema cannot check, all at once, before anything is written: the category is one of
 * this tenant's, and the default language keeps a translation after the change.
 */
export async function assertArticleInput(em: EntityManager, tenantId: string, input: ArticleInput, current?: { defaultLanguage: Language; translations: Translations }): Promise<void> {
  const details: ErrorDetail[] = [];
  if (input.categoryId && !(await findCategory(em, tenantId, input.categoryId))) details.push({ pointer: '/body/categoryId', message: 'is not a category of this tenant' });
  const defaultLanguage = input.defaultLanguage ?? current?.defaultLanguage;
  const after = { ...current?.translations, ...input.translations };
  if (defaultLanguage && !after[defaultLanguage]) {
    details.push({ pointer: `/body/translations/${defaultLanguage}`, message: `is required: ${defaultLanguage} is the default language` });
  }
  if (details.length) throw invalidInput('The article is not valid', details);
}
