/**
 * The console's entry point: theme and strings first, then the Web Awesome components the
 * console uses (each imported on its own, so the bundle holds only those), then `<to-app>`.
 */
import { registerIconLibrary } from '@awesome.me/webawesome/dist/components/icon/library.js';
import systemLibrary from '@awesome.me/webawesome/dist/components/icon/library.system.js';
import '@awesome.me/webawesome/dist/components/badge/badge.js';
import '@awesome.me/webawesome/dist/components/button/button.js';
import '@awesome.me/webawesome/dist/components/callout/callout.js';
import '@awesome.me/webawesome/dist/components/input/input.js';
import '@awesome.me/webawesome/dist/components/option/option.js';
import '@awesome.me/webawesome/dist/components/progress-bar/progress-bar.js';
import '@awesome.me/webawesome/dist/components/radio/radio.js';
import '@awesome.me/webawesome/dist/components/radio-group/radio-group.js';
import '@awesome.me/webawesome/dist/components/select/select.js';
import '@awesome.me/webawesome/dist/components/spinner/spinner.js';
import '@awesome.me/webawesome/dist/components/textarea/textarea.js';
import { initI18n } from './i18n/i18n.ts';
import { de } from './i18n/locales/de.ts';
import { en } from './i18n/locales/en.ts';
import { initTheme } from './shell/theme.ts';

// Web Awesome's default icon library fetches Font Awesome from a CDN; the console loads nothing
// from another origin, so every icon comes from the built-in system set.
registerIconLibrary('default', { resolver: systemLibrary.resolver, mutator: systemLibrary.mutator });

initTheme();
await initI18n({ en, de });
await import('./shell/app-root.ts');

// The service worker caches the shell for a quick start and for offline use (src/pwa/). Only the
// built console has one: in Vite's dev server this module is served from /src/.
if ('serviceWorker' in navigator && !import.meta.url.includes('/src/')) {
  navigator.serviceWorker.register('/admin/sw.js', { scope: '/admin/' }).catch((error: Error) => console.warn('service worker not registered:', error.message));
}
