import ivm from 'isolated-vm';
import { RUNNER_SOURCE, SCRIPT_FILENAME } from './isolate-runner.ts';

/** One warm isolate of a tenant (at one memory limit) in this worker. */
export interface TenantIsolate {
  key: string;
  isolate: ivm.Isolate;
  memoryMb: number;
  runs: number;
  busy: boolean;
  /** Set when this worker disposed it (watchdog, recycling): a run that dies now ended by our hand. */
  disposedByUs: boolean;
}

type CompiledModule = ivm.Module & { cachedData?: ivm.ExternalCopy<ArrayBuffer>; cachedDataRejected?: boolean };

const MAX_ISOLATES = 32;
const MAX_SCRIPTS = 500;
/**
 * Recycle a warm isolate after this many runs, or when its heap passes half the limit. V8 never
 * collects a context that evaluated a module (modules are GC roots), so every run leaves ~150 KB
 * behind: the heap check after each run (~2 µs) is what bounds it, at a fresh isolate every
 * ~100 runs of a 32 MB isolate.
 */
const RECYCLE_AFTER_RUNS = 1_000;

/**
 * Warm isolates per tenant (bounded, least recently used first out) and V8 code caches per script
 * version. Code caches are produced here, never accepted from outside (they hold machine code).
 */
export class IsolatePool {
  readonly #isolates = new Map<string, TenantIsolate>();
  readonly #scripts = new Map<string, { source: string; data: ivm.ExternalCopy<ArrayBuffer> }>();
  #runnerData: ivm.ExternalCopy<ArrayBuffer> | undefined;
  readonly #onCatastrophicError: (message: string) => void;
  /** Isolates replaced because their heap passed half the limit. */
  recycled = 0;

  constructor(onCatastrophicError: (message: string) => void) {
    this.#onCatastrophicError = onCatastrophicError;
  }

  acquire(tenantId: string, memoryMb: number): TenantIsolate {
    const key = `${tenantId}\u0000${memoryMb}`;
    let entry = this.#isolates.get(key);
    if (entry && !entry.isolate.isDisposed) {
      this.#isolates.delete(key);
    } else {
      entry = { key, isolate: new ivm.Isolate({ memoryLimit: memoryMb, onCatastrophicError: this.#onCatastrophicError }), memoryMb, runs: 0, busy: false, disposedByUs: false };
    }
    this.#isolates.set(key, entry);
    entry.busy = true;
    this.#evict();
    return entry;
  }

  /** After a run: recycle an isolate that ran long enough or holds too much heap. */
  release(entry: TenantIsolate): void {
    entry.busy = false;
    if (entry.isolate.isDisposed) {
      this.#forget(entry);
      return;
    }
    entry.runs++;
    if (entry.runs >= RECYCLE_AFTER_RUNS) {
      this.dispose(entry);
      return;
    }
    const heap = entry.isolate.getHeapStatisticsSync();
    if (heap.used_heap_size + heap.externally_allocated_size > (entry.memoryMb * 1024 * 1024) / 2) {
      this.dispose(entry);
      this.recycled++;
    }
  }

  dispose(entry: TenantIsolate): void {
    entry.disposedByUs = true;
    this.#forget(entry);
    if (!entry.isolate.isDisposed) {
      try {
        entry.isolate.dispose();
      } catch {}
    }
  }

  #forget(entry: TenantIsolate): void {
    if (this.#isolates.get(entry.key) === entry) this.#isolates.delete(entry.key);
  }

  #evict(): void {
    if (this.#isolates.size <= MAX_ISOLATES) return;
    for (const entry of this.#isolates.values()) {
      if (!entry.busy) {
        this.dispose(entry);
        return;
      }
    }
  }

  /** The script's module, from the code cache when this tenant's scriptId+version was compiled here with the same source. */
  async compileScript(isolate: ivm.Isolate, key: string, source: string): Promise<{ module: ivm.Module; cache: 'hit' | 'miss' }> {
    const cached = this.#scripts.get(key);
    if (cached && cached.source === source) {
      const module = (await isolate.compileModule(source, { filename: SCRIPT_FILENAME, cachedData: cached.data })) as CompiledModule;
      this.#scripts.delete(key);
      this.#scripts.set(key, cached);
      if (!module.cachedDataRejected) return { module, cache: 'hit' };
      module.release();
    }
    const module = (await isolate.compileModule(source, { filename: SCRIPT_FILENAME, produceCachedData: true })) as CompiledModule;
    if (module.cachedData) {
      this.#scripts.delete(key);
      this.#scripts.set(key, { source, data: module.cachedData });
      if (this.#scripts.size > MAX_SCRIPTS) this.#scripts.delete(this.#scripts.keys().next().value as string);
    }
    return { module, cache: 'miss' };
  }

  async compileRunner(isolate: ivm.Isolate): Promise<ivm.Module> {
    if (this.#runnerData) {
      const module = (await isolate.compileModule(RUNNER_SOURCE, { filename: 'runner.js', cachedData: this.#runnerData })) as CompiledModule;
      if (!module.cachedDataRejected) return module;
      module.release();
    }
    const module = (await isolate.compileModule(RUNNER_SOURCE, { filename: 'runner.js', produceCachedData: true })) as CompiledModule;
    this.#runnerData = module.cachedData;
    return module;
  }

  get size(): number {
    return this.#isolates.size;
  }
}
