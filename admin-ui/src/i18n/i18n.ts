import i18next, { type Resource, type i18n as I18n } from 'i18next';

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

declare global {
  interface ImportMeta {
    /** Vite's build flags (replaced by constants when building). */
    readonly env: { readonly DEV: boolean };
  }
}

/**
 * `resources`: the page's strings by language and namespace — the console passes its own
 * (`src/main.ts`), the customer portal its own (`src/portal/`), so neither page loads the other's.
 * Without them (component tests, served by Vite) the console's are read here; the production build
 * drops that branch, so the console's strings stay in the console's own chunks.
 */
export async function initI18n(resources?: Resource): Promise<void> {
  let strings = resources;
  if (!strings && import.meta.env.DEV) strings = { en: (await import('./locales/en.ts')).en, de: (await import('./locales/de.ts')).de };
  if (!strings) throw new Error('initI18n needs the strings of the page');
  await i18n.init({
    lng: initialLanguage(),
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    defaultNS: 'shell',
    ns: Object.keys(strings.en ?? {}),
    resources: strings,
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
