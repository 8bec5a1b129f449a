/**
 * Languages articles may be written in, each with the PostgreSQL text search configuration that
 * stems its words (so "printers" finds "Drucker" only in German, "printer" in English). Adding one
 * means a row here and a migration that teaches `knowledge_base_regconfig` the same mapping.
 */
export const LANGUAGES = { en: 'english', de: 'german' } as const;
export type Language = keyof typeof LANGUAGES;
export const LANGUAGE_CODES = Object.keys(LANGUAGES) as Language[];
export const isLanguage = (value: unknown): value is Language => typeof value === 'string' && Object.hasOwn(LANGUAGES, value);
