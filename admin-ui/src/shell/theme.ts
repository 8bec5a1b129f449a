export const THEMES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEMES)[number];
const STORAGE_KEY = 'ticketops.theme';
const dark = window.matchMedia('(prefers-color-scheme: dark)');

export function storedTheme(): ThemeChoice {
  const value = localStorage.getItem(STORAGE_KEY);
  return (THEMES as readonly string[]).includes(value ?? '') ? (value as ThemeChoice) : 'system';
}

/** Puts Web Awesome's `wa-light` / `wa-dark` class on the document for the choice (system: the OS setting). */
function apply(choice: ThemeChoice): void {
  const isDark = choice === 'dark' || (choice === 'system' && dark.matches);
  const root = document.documentElement;
  root.classList.toggle('wa-dark', isDark);
  root.classList.toggle('wa-light', !isDark);
  root.dataset.theme = isDark ? 'dark' : 'light';
}

/** Applies the stored choice now and follows the system setting while the choice is "system". */
export function initTheme(): void {
  apply(storedTheme());
  dark.addEventListener('change', () => apply(storedTheme()));
}

export function setTheme(choice: ThemeChoice): void {
  localStorage.setItem(STORAGE_KEY, choice);
  apply(choice);
}
