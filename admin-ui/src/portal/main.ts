/**
 * The customer portal's entry point (`portal.html`, served at `/portal`): its own small bundle.
 * It shares with the console only what plugin panels need to be the same instances — Lit, the API
 * client and contexts, i18next, the zone — and none of the console's pages or shell.
 */
import { registerIconLibrary } from '@awesome.me/webawesome/dist/components/icon/library.js';
import systemLibrary from '@awesome.me/webawesome/dist/components/icon/library.system.js';
import '@awesome.me/webawesome/dist/components/button/button.js';
import '@awesome.me/webawesome/dist/components/callout/callout.js';
import '@awesome.me/webawesome/dist/components/input/input.js';
import '@awesome.me/webawesome/dist/components/progress-bar/progress-bar.js';
import '@awesome.me/webawesome/dist/components/spinner/spinner.js';
import '@awesome.me/webawesome/dist/components/textarea/textarea.js';
import { initI18n } from '../i18n/i18n.ts';
import { portalStrings } from './strings.ts';
import { followSystemTheme } from './theme.ts';

// Web Awesome's default icon library fetches Font Awesome from a CDN; the portal loads nothing from
// another origin, so every icon comes from the built-in system set.
registerIconLibrary('default', { resolver: systemLibrary.resolver, mutator: systemLibrary.mutator });

followSystemTheme();
await initI18n(portalStrings);
await import('./portal-app.ts');
