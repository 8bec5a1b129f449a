import i18next, { type i18n as I18n } from 'i18next';
import { de } from './locales/de.ts';
import { en } from './locales/en.ts';

export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'ticketops.language';

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored as Language;
  const preferred = navigator.languages.map((l) => l.slice(0, 2));
  return (preferred.find((l) => (LANGUAGES as readonly string[]).includes(l)) as Language | undefined) ?? 'en';
}

/**
 * One i18next instance for the console. The console's strings live in the namespaces `shell`,
 * `login`, `tickets` and `ticket`; a plugin adds its own namespace (named after its id) with
 * `addStrings('sla', { en: {...}, de: {...} })` and reads it with `t('sla:key')`.
 */
export const i18n: I18n = i18next.createInstance();

export async function initI18n(): Promise<void> {
  await i18n.init({
    lng: initialLanguage(),
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    defaultNS: 'shell',
    ns: Object.keys(en),
    resources: { en, de },
    interpolation: { escapeValue: false }, // Lit escapes everything it renders as text
  });
  document.documentElement.lang = i18n.language;
  i18n.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });
}

export async function setLanguage(language: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, language);
  await i18n.changeLanguage(language);
}

/** Strings of a plugin (or any other part) under its own namespace, per language. */
export function addStrings(namespace: string, byLanguage: Partial<Record<Language, Record<string, unknown>>>): void {
  for (const [language, strings] of Object.entries(byLanguage)) i18n.addResourceBundle(language, namespace, strings, true, true);
}

export const t = (key: string, options: Record<string, unknown> = {}): string => i18n.t(key, options) as string;
