import { type RouteDefinition, defineRoute } from '@ticketops/plugin-sdk';
import { PERMISSIONS } from '../permissions.ts';
import { sandboxOf } from '../rules/check.ts';
import { KERNEL_CAPABILITIES, rulesDeclarations } from '../scripts/declarations.ts';

export const scriptApiRoutes = (): RouteDefinition[] => [
  defineRoute({
    method: 'get',
    path: '/script-api',
    summary: 'The script API for the editor: `ticketops-rules.d.ts` with every capability registered here, and the capability list',
    permission: PERMISSIONS.rulesRead,
    async handler({ scope }) {
      const sandbox = sandboxOf(scope);
      const capabilities = sandbox ? sandbox.capabilities().map(({ name, description, signature }) => ({ name, description, signature })) : KERNEL_CAPABILITIES;
      return { available: sandbox !== null, capabilities, declarations: rulesDeclarations(capabilities) };
    },
  }),
];
