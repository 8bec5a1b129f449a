import { asValue } from 'awilix';
import type { EntityManager } from '@mikro-orm/sql';
import type { Actor, Scope } from '@ticketops/plugin-sdk';
import { writeAudit } from './audit.ts';
import type { Kernel } from './kernel.ts';

const SYSTEM_PERMISSIONS: ReadonlySet<string> = new Set(['*']);

export function systemActor(): Actor {
  return { kind: 'system', userId: null, role: 'system', permissions: SYSTEM_PERMISSIONS, via: 'system' };
}

/**
 * One unit of work: a forked entity manager with the tenant filter bound (a query without the
 * tenant is impossible from here), the actor, the request id, and a container scope holding them.
 */
export function createScope(
  kernel: Kernel,
  input: { tenantId: string; actor: Actor; requestId: string; pluginId?: string | null; ip?: string },
): Scope {
  // Forked on first use: requests answered from authentication alone never pay for an entity manager.
  let forked: EntityManager | undefined;
  const em = () => {
    if (!forked) {
      forked = kernel.db.em.fork({ clear: true }) as EntityManager;
      forked.setFilterParams('tenant', { tenantId: input.tenantId });
    }
    return forked;
  };
  let container: ReturnType<typeof kernel.container.createScope> | undefined;
  const scope: Scope = {
    get em() {
      return em();
    },
    actor: input.actor,
    tenantId: input.tenantId,
    requestId: input.requestId,
    resolve(name) {
      kernel.assertVisible(input.pluginId ?? null, name);
      // The container scope is built on first use: most requests never resolve a service.
      container ??= kernel.container.createScope().register({
        em: asValue(em()),
        actor: asValue(input.actor),
        tenantId: asValue(input.tenantId),
        requestId: asValue(input.requestId),
        scope: asValue(scope),
      });
      return container.resolve(name);
    },
    transactional(work) {
      return em().transactional((tx) =>
        work({
          em: tx as EntityManager,
          audit: (entry) => writeAudit(tx as EntityManager, { tenantId: input.tenantId, actorId: input.actor.userId, requestId: input.requestId, ip: input.ip }, entry),
          emit: (name, payload) => kernel.events.emit(tx as EntityManager, input.tenantId, name, payload),
        }),
      );
    },
    audit(entry) {
      return writeAudit(em(), { tenantId: input.tenantId, actorId: input.actor.userId, requestId: input.requestId, ip: input.ip }, entry);
    },
  };
  return scope;
}
