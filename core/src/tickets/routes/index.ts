import type { RouteDefinition } from '@ticketops/plugin-sdk';
import type { Kernel } from '../../kernel/kernel.ts';
import { catalogRoutes } from '../settings/catalog-routes.ts';
import { bulkRoutes } from './bulk.ts';
import { viewRoutes } from './views.ts';
import { watcherRoutes } from './watchers.ts';
import { templateRoutes } from './templates.ts';
import { timeRoutes } from './time.ts';
import { relationRoutes } from './relations.ts';
import { ticketSearchRoutes } from './search.ts';
import { ticketCrudRoutes } from './tickets.ts';

/** Every ticket-domain route; each capability adds its own file here. */
export const ticketRoutes = (kernel: Kernel): RouteDefinition[] => [
  ...ticketSearchRoutes(kernel),
  ...bulkRoutes(kernel),
  ...ticketCrudRoutes(kernel),
  ...relationRoutes(kernel),
  ...catalogRoutes(),
  ...viewRoutes(kernel),
  ...watcherRoutes(),
  ...templateRoutes(kernel),
  ...timeRoutes(),
];
