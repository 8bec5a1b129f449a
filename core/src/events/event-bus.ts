import type { EntityManager } from '@mikro-orm/sql';
import type { DeliveredEvent, Logger, ScheduleDefinition, Scope } from '@ticketops/plugin-sdk';
import type { PgBoss } from 'pg-boss';
import { transactionBossDb } from '../db/database.ts';
import { newId } from '../kernel-data/ids.ts';
import { eventsDelivered } from '../http/metrics.ts';

export const DEAD_LETTER_QUEUE = 'ticketops.dead-letter';

interface Subscriber {
  pluginId: string;
  id: string;
  event: string;
  queue: string;
  retryLimit: number;
  handler(event: DeliveredEvent, scope: Scope): Promise<void>;
}

interface KernelJob {
  queue: string;
  handler(data: Record<string, unknown>): Promise<void>;
}

interface Schedule extends ScheduleDefinition {
  pluginId: string;
  queue: string;
}

/** Runs `work` in a fresh scope (own em, tenant, system actor) — supplied by the kernel. */
export type ScopeRunner = <R>(tenantId: string, requestId: string, work: (scope: Scope) => Promise<R>) => Promise<R>;

/**
 * Domain events through pg-boss. `emit` enqueues one job per subscriber inside the caller's
 * transaction (so a rollback delivers nothing); workers deliver after commit, at least once,
 * retrying with backoff and parking exhausted events in the dead-letter queue. A failing
 * subscriber never touches the transaction that emitted the event.
 */
/** Events one subscriber fetches at a time (handled in order, settled one by one). */
const SUBSCRIBER_BATCH = 10;

export class EventBus {
  readonly #subscribers = new Map<string, Subscriber[]>();
  readonly #schedules: Schedule[] = [];
  readonly #jobs: KernelJob[] = [];
  readonly #boss: PgBoss;
  readonly #logger: Logger;

  constructor(boss: PgBoss, logger: Logger) {
    this.#boss = boss;
    this.#logger = logger;
  }

  subscribe(pluginId: string, event: string, options: { id: string; retryLimit?: number }, handler: Subscriber['handler']): void {
    const queue = `evt.${pluginId}.${options.id}`;
    const list = this.#subscribers.get(event) ?? [];
    if ([...this.#subscribers.values()].flat().some((s) => s.queue === queue)) {
      throw new Error(`Plugin "${pluginId}" registers subscriber "${options.id}" twice (subscribe id)`);
    }
    list.push({ pluginId, id: options.id, event, queue, retryLimit: options.retryLimit ?? 5, handler });
    this.#subscribers.set(event, list);
  }

  schedule(pluginId: string, definition: ScheduleDefinition): void {
    this.#schedules.push({ ...definition, pluginId, queue: `cron.${pluginId}.${definition.name}` });
  }

  /** A kernel background job queue (bulk operations…); one worker per node, retried twice. */
  job(queue: string, handler: KernelJob['handler']): void {
    this.#jobs.push({ queue, handler });
  }

  /** Enqueues a kernel job; pass `em` to enqueue inside its transaction. */
  async enqueue(queue: string, data: Record<string, unknown>, em?: EntityManager): Promise<void> {
    await this.#boss.send(queue, data, em ? { db: transactionBossDb(em), deadLetter: DEAD_LETTER_QUEUE } : { deadLetter: DEAD_LETTER_QUEUE });
  }

  get subscriberCount(): number {
    return [...this.#subscribers.values()].reduce((n, l) => n + l.length, 0);
  }

  /** Enqueues the event for every subscriber, inside the transaction `em` belongs to. */
  async emit(em: EntityManager, tenantId: string, name: string, payload: Record<string, unknown>): Promise<void> {
    const subscribers = this.#subscribers.get(name);
    if (!subscribers?.length) return;
    const db = transactionBossDb(em);
    const event: DeliveredEvent = { id: newId('evt'), name, tenantId, occurredAt: new Date().toISOString(), payload };
    for (const s of subscribers) {
      await this.#boss.send(s.queue, event, { db, deadLetter: DEAD_LETTER_QUEUE });
    }
  }

  /** Creates every queue; idempotent, safe on many nodes at once. */
  async ensureQueues(): Promise<void> {
    await this.#boss.createQueue(DEAD_LETTER_QUEUE, { retentionSeconds: 14 * 24 * 3600 });
    for (const s of [...this.#subscribers.values()].flat()) {
      // `notify`: a committed event wakes the workers at once (pg_notify in the sending transaction)
      // instead of waiting out their polling interval; polling stays as the fallback.
      await this.#boss.createQueue(s.queue, { retryLimit: s.retryLimit, retryDelay: 1, retryBackoff: true, retryDelayMax: 300, notify: true });
      // Queues made before `notify` existed keep their options on create: set it on them too.
      await this.#boss.updateQueue(s.queue, { notify: true });
    }
    for (const s of this.#schedules) await this.#boss.createQueue(s.queue, { retryLimit: 2 });
    for (const j of this.#jobs) await this.#boss.createQueue(j.queue, { retryLimit: 2, retryDelay: 2, retryBackoff: true, expireInSeconds: 3600 });
  }

  /** Starts delivering events and scheduled jobs on this node. */
  async startWorkers(runInScope: ScopeRunner): Promise<void> {
    for (const s of [...this.#subscribers.values()].flat()) {
      // Up to 10 events a fetch, one after another, each settled on its own (a failing one is retried
      // alone); while fetches come back full the worker fetches again at once instead of waiting the
      // polling interval — otherwise a subscriber drains at most one event per interval.
      // With `notify`, pg-boss polls every `notifyPollingIntervalSeconds` (30 s unless set): retries
      // that come due wake no one, so keep that short.
      const options = { pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 1, batchSize: SUBSCRIBER_BATCH, burstWhenBatchFull: true, perJobResults: true } as const;
      await this.#boss.work<DeliveredEvent>(s.queue, options, async (jobs) => {
        const results: { id: string; status: 'completed' | 'failed'; output?: { message: string } }[] = [];
        for (const job of jobs) {
          const event = job.data;
          try {
            await runInScope(event.tenantId, `${event.id}:${s.queue}`, (scope) => s.handler(event, scope));
            eventsDelivered.inc({ event: s.event, subscriber: s.queue, outcome: 'ok' });
            results.push({ id: job.id, status: 'completed' });
          } catch (error) {
            eventsDelivered.inc({ event: s.event, subscriber: s.queue, outcome: 'failed' });
            this.#logger.warn({ err: error, event: event.name, subscriber: s.queue }, 'event subscriber failed; will retry');
            results.push({ id: job.id, status: 'failed', output: { message: (error as Error).message } });
          }
        }
        return results;
      });
    }
    for (const j of this.#jobs) {
      await this.#boss.work(j.queue, { pollingIntervalSeconds: 0.5 }, async (jobs) => {
        await j.handler((jobs[0] as { data: Record<string, unknown> }).data);
      });
    }
    for (const s of this.#schedules) {
      // pg-boss keeps one row per schedule and lets one node enqueue each tick.
      await this.#boss.schedule(s.queue, s.cron, null, { tz: s.tz ?? 'UTC' });
      await this.#boss.work(s.queue, { pollingIntervalSeconds: 1 }, async (jobs) => {
        const job = jobs[0] as { id: string; data: unknown };
        await runInScope((job.data as { tenantId?: string } | null)?.tenantId ?? 'ten_default', `${s.queue}:${job.id}`, (scope) => s.handler(scope));
      });
    }
  }
}
