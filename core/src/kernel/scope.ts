import { asValue } from 'awilix';
import type { EntityManager } from '@mikro-orm/sql';
import { type Actor, SETTINGS_SERVICE, type Scope, type TransactionContext } from '@ticketops/plugin-sdk';
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
  const origin = { tenantId: input.tenantId, actorId: input.actor.userId, requestId: input.requestId, ip: input.ip };
  const transactionContext = (tx: EntityManager): TransactionContext => ({
    em: tx,
    audit: (entry) => writeAudit(tx, origin, entry),
    emit: (name, payload) => kernel.events.emit(tx, input.tenantId, name, payload),
    // A nested MikroORM transaction on the transaction's own manager is a savepoint.
    savepoint: (work) => tx.transactional((inner) => work(transactionContext(inner as EntityManager))),
  });
  let container: ReturnType<typeof kernel.container.createScope> | undefined;
  const scope: Scope = {
    get em() {
      return em();
    },
    actor: input.actor,
    tenantId: input.tenantId,
    requestId: input.requestId,
    resolve(name) {
      // A plugin's `settings` are its own (see PluginSettingsStore.forPlugin).
      if (name === SETTINGS_SERVICE && input.pluginId) return kernel.pluginSettings.forPlugin(input.pluginId) as never;
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
      return em().transactional((tx) => work(transactionContext(tx as EntityManager)));
    },
    audit(entry) {
      return writeAudit(em(), origin, entry);
    },
  };
  return scope;
}
