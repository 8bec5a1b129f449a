import ivm from 'isolated-vm';
import { toClassicScript } from './classic-script.ts';
import { RUNNER_SOURCE, SCRIPT_FILENAME } from './isolate-runner.ts';
import { ModuleChecker } from './module-check.ts';

/** One warm isolate of a tenant (at one memory limit) in this worker. */
export interface TenantIsolate {
  key: string;
  isolate: ivm.Isolate;
  memoryMb: number;
  runs: number;
  busy: boolean;
  /** Set when this worker disposed it (watchdog, recycling): a run that dies now ended by our hand. */
  disposedByUs: boolean;
  /** Created for the run that acquired it. */
  isNew: boolean;
  /** Lowest heap use seen after a run in the current window (see HEAP_WINDOW_RUNS). */
  heapFloor: number;
  /** Compiled once per isolate, run in every fresh context. */
  runner?: ivm.Script;
  /** The tenant's compiled scripts by scriptId+version (least recently used first). */
  scripts: Map<string, { source: string; script: ivm.Script }>;
}

/** A script as checked and rewritten in this worker, with its V8 code cache once it was compiled twice. */
interface ScriptSource {
  source: string;
  classic: string;
  data?: ivm.ExternalCopy<ArrayBuffer>;
}

type CompiledScript = ivm.Script & { cachedData?: ivm.ExternalCopy<ArrayBuffer>; cachedDataRejected?: boolean };

const MAX_ISOLATES = 32;
/** Code caches kept per worker, and compiled scripts kept per isolate. */
const MAX_SCRIPTS = 500;
const MAX_SCRIPTS_PER_ISOLATE = 100;
/**
 * Recycle a warm isolate after this many runs, or when its live heap passes half the limit. Scripts
 * run as classic scripts, so a run's context is collected after it; the heap check is the guard
 * against whatever else a long-lived isolate may accumulate. It looks at the lowest heap seen over
 * a window of runs: right after a run the heap still holds the garbage of the last few (up to ~65 %
 * of an 8 MB limit before V8 collects it), the low point is what survives collections.
 */
const RECYCLE_AFTER_RUNS = 1_000;
const HEAP_WINDOW_RUNS = 50;
/** The wrapper line of a classic script sits above the author's line 1. */
const SCRIPT_ORIGIN = { filename: SCRIPT_FILENAME, lineOffset: -1 };

/**
 * Warm isolates per tenant (bounded, least recently used first out) and V8 code caches per script
 * version. Code caches are produced here, never accepted from outside (they hold machine code).
 */
export class IsolatePool {
  readonly #isolates = new Map<string, TenantIsolate>();
  readonly #scripts = new Map<string, ScriptSource>();
  #runnerData: ivm.ExternalCopy<ArrayBuffer> | undefined;
  readonly checker = new ModuleChecker();
  readonly #onCatastrophicError: (message: string) => void;
  /** Isolates replaced because their heap passed half the limit. */
  recycled = 0;

  constructor(onCatastrophicError: (message: string) => void) {
    this.#onCatastrophicError = onCatastrophicError;
  }

  acquire(tenantId: string, memoryMb: number): TenantIsolate {
    const key = `${tenantId}\u0000${memoryMb}`;
    let entry = this.#isolates.get(key);
    // Still busy means the previous run ended but code it left behind (a detached loop) still runs:
    // stop it rather than wait for it, and give this run a fresh isolate.
    if (entry?.busy) this.dispose(entry);
    if (entry && !entry.isolate.isDisposed) {
      this.#isolates.delete(key);
      entry.isNew = false;
    } else {
      entry = { key, isolate: new ivm.Isolate({ memoryLimit: memoryMb, onCatastrophicError: this.#onCatastrophicError }), memoryMb, runs: 0, busy: false, disposedByUs: false, isNew: true, heapFloor: Number.POSITIVE_INFINITY, scripts: new Map() };
    }
    this.#isolates.set(key, entry);
    entry.busy = true;
    this.#evict();
    return entry;
  }

  /** After a run: recycle an isolate that ran long enough or keeps too much live heap. */
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
    entry.heapFloor = Math.min(entry.heapFloor, heap.used_heap_size + heap.externally_allocated_size);
    if (entry.runs % HEAP_WINDOW_RUNS !== 0) return;
    if (entry.heapFloor > (entry.memoryMb * 1024 * 1024) / 2) {
      this.dispose(entry);
      this.recycled++;
    }
    entry.heapFloor = Number.POSITIVE_INFINITY;
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

  /**
   * The script compiled in this isolate: kept from an earlier run of this tenant's scriptId+version
   * with the same source (compared in full), else compiled from the worker's code cache, else
   * checked as a module, rewritten as a classic script and compiled. Rejects with the author's
   * SyntaxError. Only the first path is synchronous; compiling runs on isolated-vm's threads.
   */
  async script(entry: TenantIsolate, key: string, source: string): Promise<{ script: ivm.Script; cache: 'hit' | 'miss' }> {
    const own = entry.scripts.get(key);
    entry.scripts.delete(key);
    if (own?.source === source) {
      entry.scripts.set(key, own);
      return { script: own.script, cache: 'hit' };
    }
    own?.script.release();
    let cached = this.#scripts.get(key);
    if (cached?.source !== source) cached = undefined;
    let script: CompiledScript | undefined;
    if (cached?.data) {
      script = (await entry.isolate.compileScript(cached.classic, { ...SCRIPT_ORIGIN, cachedData: cached.data })) as CompiledScript;
      if (script.cachedDataRejected) {
        script.release();
        script = undefined;
        cached.data = undefined;
      }
    }
    const cache = script ? 'hit' : 'miss';
    if (!script) {
      if (!cached) {
        const imports = await this.checker.imports(source);
        if (imports.length > 0) throw new SyntaxError(`Imports are not supported ("${imports[0]}")`);
        cached = { source, classic: toClassicScript(source) };
      }
      // A code cache pays off only when the script is compiled again (a new isolate): made then.
      const again = this.#scripts.get(key) === cached;
      script = (await entry.isolate.compileScript(cached.classic, { ...SCRIPT_ORIGIN, produceCachedData: again })) as CompiledScript;
      if (again) cached.data = script.cachedData;
    }
    this.#scripts.delete(key);
    this.#scripts.set(key, cached as ScriptSource);
    if (this.#scripts.size > MAX_SCRIPTS) this.#scripts.delete(this.#scripts.keys().next().value as string);
    entry.scripts.set(key, { source, script });
    if (entry.scripts.size > MAX_SCRIPTS_PER_ISOLATE) {
      const [oldest, compiled] = entry.scripts.entries().next().value as [string, { script: ivm.Script }];
      entry.scripts.delete(oldest);
      compiled.script.release();
    }
    return { script, cache };
  }

  /** The runner script, compiled once per isolate (from the worker's code cache after the first). */
  runner(entry: TenantIsolate): ivm.Script {
    if (entry.runner) return entry.runner;
    let script = this.#runnerData ? (entry.isolate.compileScriptSync(RUNNER_SOURCE, { filename: 'runner.js', cachedData: this.#runnerData }) as CompiledScript) : undefined;
    if (!script || script.cachedDataRejected) {
      script?.release();
      script = entry.isolate.compileScriptSync(RUNNER_SOURCE, { filename: 'runner.js', produceCachedData: true }) as CompiledScript;
      this.#runnerData = script.cachedData;
    }
    entry.runner = script;
    return script;
  }

  get size(): number {
    return this.#isolates.size;
  }
}
