import type { RouteDefinition } from '@ticketops/plugin-sdk';
import type { Kernel } from '../../kernel/kernel.ts';
import { ticketSearchRoutes } from './search.ts';
import { ticketCrudRoutes } from './tickets.ts';

/** Every ticket-domain route; each capability adds its own file here. */
export const ticketRoutes = (kernel: Kernel): RouteDefinition[] => [
  ...ticketSearchRoutes(),
  ...ticketCrudRoutes(kernel),
];
