import { TicketOpsError } from '@ticketops/plugin-sdk';
import { createToken } from '../auth/tokens.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { User } from '../kernel-data/entities.ts';
import { DEFAULT_TENANT_ID } from '../kernel-data/ids.ts';
import { createUser } from '../users/users.ts';
import { seed } from '../seed/seed.ts';

/**
 * Administrative commands, written once and run either in this process (PostgreSQL, or no server
 * running) or inside the running server through its control socket (embedded database).
 */
export const commands = {
  async 'users.create'(kernel: Kernel, args: { email: string; password?: string; role: string; name?: string }) {
    return kernel.runAsSystem(DEFAULT_TENANT_ID, 'cli', (scope) =>
      createUser(scope, kernel.hooks, { email: args.email, password: args.password, role: args.role, name: args.name ?? args.email.split('@')[0] ?? args.email }),
    );
  },
  async 'tokens.create'(kernel: Kernel, args: { email: string; name: string; expiresAt?: string }) {
    return kernel.runAsSystem(DEFAULT_TENANT_ID, 'cli', async (scope) => {
      const user = await scope.em.findOne(User, { email: args.email.trim().toLowerCase() });
      if (!user) throw new TicketOpsError('not_found', `No user with email ${args.email}`);
      const expiresAt = args.expiresAt ? new Date(args.expiresAt) : null;
      if (expiresAt && Number.isNaN(expiresAt.getTime())) throw new TicketOpsError('invalid_input', '--expires must be a date');
      const { token, view } = await createToken(scope, { userId: user.id, name: args.name, expiresAt });
      return { token, ...view };
    });
  },
  async 'plugins.list'(kernel: Kernel) {
    return kernel.plugins.map(({ definition: d }) => ({ id: d.id, version: d.version, dependsOn: d.dependsOn ?? [], description: d.description ?? '' }));
  },
  async seed(kernel: Kernel, args: { demo?: boolean; tickets?: number; commentsPerTicket?: number }) {
    const demo = args.demo ?? false;
    return seed(kernel, { demo, tickets: args.tickets ?? (demo ? 200 : 1000), commentsPerTicket: args.commentsPerTicket ?? (demo ? 3 : 5), onProgress: (m) => kernel.logger.info(m) });
  },
  async migrate(kernel: Kernel) {
    return [...kernel.appliedAtBoot, ...(await kernel.migrate())];
  },
} satisfies Record<string, (kernel: Kernel, args: any) => Promise<unknown>>;

export type CommandName = keyof typeof commands;
