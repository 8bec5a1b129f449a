import type { Route } from '@vaadin/router';

/**
 * The console's routes, relative to `/admin/`. Pages load on first visit (`action` imports them),
 * so a screen's code is fetched only when it is shown; plugin pages will be added the same way.
 */
export const routes: Route[] = [
  { path: '', redirect: 'tickets' },
  {
    path: 'tickets',
    component: 'to-ticket-list-page',
    action: async () => {
      await import('../tickets/ticket-list-page.ts');
    },
  },
  {
    path: 'tickets/:id',
    component: 'to-ticket-detail-page',
    action: async () => {
      await import('../tickets/ticket-detail-page.ts');
    },
  },
  {
    path: 'dashboard',
    component: 'to-dashboard-page',
    action: async () => {
      await import('../pages/dashboard-page.ts');
    },
  },
  {
    path: 'settings',
    component: 'to-settings-page',
    action: async () => {
      await import('../pages/settings-page.ts');
    },
  },
  {
    path: '(.*)',
    component: 'to-not-found',
    action: async () => {
      await import('./not-found.ts');
    },
  },
];
