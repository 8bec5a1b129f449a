import type { Route } from '@vaadin/router';

/**
 * The console's routes, relative to `/admin/`. Pages load on first visit (`action` imports them),
 * so a screen's code is fetched only when it is shown; plugin pages (`/admin/p/<plugin>/<path>`) too.
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
  // Administration (src/admin/): one screen per address, each its own chunk.
  ...(
    [
      ['users', 'to-admin-users', () => import('../admin/users-page.ts')],
      ['groups', 'to-admin-groups', () => import('../admin/groups-page.ts')],
      ['organizations', 'to-admin-organizations', () => import('../admin/organizations-page.ts')],
      ['roles', 'to-admin-roles', () => import('../admin/roles-page.ts')],
      ['ticket-types', 'to-admin-ticket-types', () => import('../admin/ticket-types-page.ts')],
      ['statuses', 'to-admin-statuses', () => import('../admin/levels-page.ts')],
      ['priorities', 'to-admin-priorities', () => import('../admin/levels-page.ts')],
      ['tokens', 'to-admin-tokens', () => import('../admin/tokens-page.ts')],
      ['plugins', 'to-admin-plugins', () => import('../admin/plugins-page.ts')],
      ['audit', 'to-admin-audit', () => import('../admin/audit-page.ts')],
    ] as const
  ).map(([path, component, load]) => ({
    path: `settings/${path}`,
    component,
    action: async () => {
      await load();
    },
  })),
  // Plugin pages (zone `page`): the plugin's module loads when its page is first shown.
  {
    path: 'p/:plugin/:page/(.*)?',
    component: 'to-plugin-page',
    action: async () => {
      await import('../plugins/plugin-page.ts');
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
