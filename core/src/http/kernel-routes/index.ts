import type { RouteDefinition } from '@ticketops/plugin-sdk';
import type { Kernel } from '../../kernel/kernel.ts';
import { consoleRoutes } from '../console.ts';
import { adminRoutes } from './admin.ts';
import { adminConsoleRoutes } from './admin-console.ts';
import { authRoutes } from './auth.ts';
import { meRoutes } from './me.ts';
import { tokenRoutes } from './tokens.ts';
import { userRoutes } from './users.ts';
import { ticketRoutes } from '../../tickets/routes/index.ts';
import { peopleRoutes } from '../../people/routes.ts';

export const kernelRoutes = (kernel: Kernel): RouteDefinition[] => [
  ...meRoutes(),
  ...authRoutes(kernel),
  ...userRoutes(kernel),
  ...tokenRoutes(kernel),
  ...adminRoutes(kernel),
  ...adminConsoleRoutes(kernel),
  ...ticketRoutes(kernel),
  ...peopleRoutes(),
  ...consoleRoutes(kernel.plugins),
];
