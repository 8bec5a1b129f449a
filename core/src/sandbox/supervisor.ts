import { type ChildProcess, fork } from 'node:child_process';
import { availableParallelism, setPriority } from 'node:os';
import { resolve } from 'node:path';
import { idleLauncher, workerCommand } from './worker-launch.ts';
import {
  type SandboxCapability, type SandboxLimits, type SandboxOutcome, type SandboxRunRequest, type SandboxRunResult, type SandboxService, type SandboxStats,
  TicketOpsError, invalidInput, isTicketOpsError,
} from '@ticketops/plugin-sdk';
import { resolveLimits } from './limits.ts';
import { MAX_JSON_CHARS, toJsonText } from './json.ts';
import type { FromWorker, HostCallError, ToWorker, WorkerRunResult } from './protocol.ts';

export interface SandboxOptions {
  /** Worker processes (default: one per core). */
  workers?: number;
  /** Runs in flight per worker at once, each for a different tenant (default 4). */
  concurrencyPerWorker?: number;
  /** Runs waiting for a worker beyond which new runs answer `throttled` (default 1,000). */
  queueBound?: number;
  /** Runs of one tenant waiting at once beyond which its new runs answer `throttled` (default a quarter of `queueBound`), so one tenant cannot fill the queue for all. */
  tenantQueueBound?: number;
  /** A run waiting longer than this for a worker answers `throttled` (default 10,000 ms). */
  maxQueueWaitMs?: number;
  /** Past its wall-time limit plus this, a run's worker is killed (default 500 ms). */
  killGraceMs?: number;
  /**
   * How workers yield the CPU to the API process (default `nice`, kernel config
   * `sandbox.workerScheduling`): `nice` only lowers their priority (`workerNice`), so scripts keep a
   * small share of busy cores; `idle` starts them under Linux `SCHED_IDLE` (through util-linux
   * `chrt`; they run only on CPU time nothing else wants — the API is never slowed by them, but on
   * a host whose cores stay busy, scripts starve and end `timeout`), falling back to `nice` where
   * that is not available.
   */
  workerScheduling?: 'idle' | 'nice';
  /**
   * CPUs the workers may run on, as `taskset -c` takes them (`1`, `2-3`); default all. Give the
   * workers cores of their own — and the API the others — and hostile scripts cannot touch the
   * API's latency at all (docs/benchmarks.md, sandbox). Ignored where util-linux `taskset` is missing.
   */
  workerCpus?: string;
  /** Scheduling priority of worker processes, 0–19 (default 10): scripts yield the CPU to requests. */
  workerNice?: number;
  capabilities?: readonly SandboxCapability[];
  logger?: { warn(obj: object, msg: string): void };
}

type CheckResult = Awaited<ReturnType<SandboxService['check']>>;

interface Job {
  id: number;
  message: ToWorker & { t: 'run' | 'check' };
  /** Tenant + memory limit: one isolate in a worker, which runs one script at a time. */
  tenantKey?: string;
  request?: SandboxRunRequest;
  limits: SandboxLimits;
  granted: Set<string>;
  hostCalls: number;
  started: number;
  answered?: boolean;
  timer?: NodeJS.Timeout;
  slot?: Slot;
  done(result: SandboxRunResult | CheckResult): void;
}

interface Slot {
  child: ChildProcess;
  inFlight: Map<number, Job>;
  busyTenants: Set<string>;
  warmTenants: Set<string>;
  ready: boolean;
  retiring: boolean;
  exited: boolean;
  stderrTail: string;
}

const WORKER_PATH = resolve(import.meta.dirname, 'worker.ts');
const MAX_SOURCE_CHARS = 256_000;
/** `<namespace>.<function>`: a plugin id (dashes allowed) and a JavaScript identifier. */
const CAPABILITY_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*\.[A-Za-z_$][A-Za-z0-9_$]*$/;
const OUTCOMES: SandboxOutcome[] = ['ok', 'error', 'timeout', 'memory', 'crashed', 'throttled'];

/**
 * The kernel's `sandbox` service: a pool of worker processes started on first use, a bounded
 * queue, per-run deadlines enforced by killing the worker, and the capability handlers that answer
 * host calls from scripts. Nothing here loads isolated-vm: a crash stays in a worker.
 */
export class SandboxSupervisor implements SandboxService {
  readonly #options: Required<Omit<SandboxOptions, 'capabilities' | 'logger'>>;
  readonly #capabilities = new Map<string, SandboxCapability>();
  readonly #logger: SandboxOptions['logger'];
  readonly #slots = new Set<Slot>();
  readonly #queue: Job[] = [];
  #nextId = 0;
  #stopping = false;
  #earlyExits = 0;
  readonly #stats = { workersStarted: 0, workersReplaced: 0, isolatesStarted: 0, runs: 0, cacheHits: 0, cacheMisses: 0, outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<SandboxOutcome, number> };

  constructor(options: SandboxOptions = {}) {
    this.#options = {
      workers: Math.max(1, options.workers ?? availableParallelism()),
      concurrencyPerWorker: Math.max(1, options.concurrencyPerWorker ?? 4),
      queueBound: options.queueBound ?? 1_000,
      tenantQueueBound: Math.max(1, options.tenantQueueBound ?? Math.ceil((options.queueBound ?? 1_000) / 4)),
      maxQueueWaitMs: options.maxQueueWaitMs ?? 10_000,
      killGraceMs: options.killGraceMs ?? 500,
      workerScheduling: options.workerScheduling ?? 'nice',
      workerNice: options.workerNice ?? 10,
      workerCpus: options.workerCpus ?? '',
    };
    this.#logger = options.logger;
    for (const capability of options.capabilities ?? []) {
      if (!CAPABILITY_NAME.test(capability.name) || ['log', 'now'].includes(capability.name.split('.')[0] as string)) {
        throw new TicketOpsError('plugin_invalid', `Sandbox capability name "${capability.name}" must look like "namespace.name"`);
      }
      this.#capabilities.set(capability.name, capability);
    }
  }

  capabilities(): readonly Omit<SandboxCapability, 'handler'>[] {
    return [...this.#capabilities.values()].map(({ name, description, signature }) => ({ name, description, signature }));
  }

  run(request: SandboxRunRequest): Promise<SandboxRunResult> {
    const limits = resolveLimits(request.limits);
    const granted = this.#validate(request);
    let input: string | undefined;
    try {
      input = request.input === undefined ? undefined : toJsonText(request.input, 'The input');
    } catch (error) {
      throw invalidInput((error as Error).message, [{ pointer: '/input', message: 'must be JSON data' }]);
    }
    this.#stats.runs++;
    if (this.#queue.length >= this.#options.queueBound) return Promise.resolve(this.#count(ended('throttled', 'ThrottledError', 'The sandbox is saturated; try again later')));
    const waiting = this.#queue.reduce((n, job) => (job.request?.tenantId === request.tenantId ? n + 1 : n), 0);
    if (waiting >= this.#options.tenantQueueBound) return Promise.resolve(this.#count(ended('throttled', 'ThrottledError', 'This tenant has too many scripts waiting; try again later')));
    const id = ++this.#nextId;
    return new Promise((done) => {
      this.#enqueue({
        id,
        message: { t: 'run', id, tenantId: request.tenantId, scriptId: request.scriptId, version: String(request.version), source: request.source, input: input as string, capabilities: [...granted], limits },
        tenantKey: `${request.tenantId}\u0000${limits.memoryMb}`,
        request,
        limits,
        granted,
        hostCalls: 0,
        started: performance.now(),
        done: done as Job['done'],
      });
    });
  }

  check(source: string): Promise<CheckResult> {
    if (typeof source !== 'string' || source.length > MAX_SOURCE_CHARS) throw invalidInput('Invalid script', [{ pointer: '/source', message: `must be a string of at most ${MAX_SOURCE_CHARS} characters` }]);
    const id = ++this.#nextId;
    return new Promise((done) => {
      this.#enqueue({ id, message: { t: 'check', id, source }, limits: resolveLimits({ wallMs: 2_000 }), granted: new Set(), hostCalls: 0, started: performance.now(), done: done as Job['done'] });
    });
  }

  /** Also: `isolatesStarted` (a tenant's first run in a worker, or after a recycle) and how workers are scheduled. */
  stats(): SandboxStats & { isolatesStarted: number; workerScheduling: 'idle' | 'nice' } {
    const live = [...this.#slots].filter((s) => !s.exited);
    const workerScheduling = this.#options.workerScheduling === 'idle' && idleLauncher() ? 'idle' : 'nice';
    return { ...this.#stats, outcomes: { ...this.#stats.outcomes }, workers: live.length, queued: this.#queue.length, inFlight: live.reduce((n, s) => n + s.inFlight.size, 0), workerScheduling };
  }

  /** Process ids of the live workers (tests kill one to prove a crash is contained). */
  workerPids(): number[] {
    return [...this.#slots].filter((s) => !s.exited && s.child.pid !== undefined).map((s) => s.child.pid as number);
  }

  /** Ends every worker; queued and running work ends `crashed`. Safe to call twice. */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const job of this.#queue.splice(0)) this.#finish(job, ended('crashed', 'SandboxStopped', 'The sandbox is shutting down'));
    await Promise.all([...this.#slots].filter((slot) => !slot.exited).map((slot) => {
      const exited = new Promise((r) => slot.child.once('exit', r));
      slot.child.kill('SIGKILL');
      return exited;
    }));
  }

  #validate(request: SandboxRunRequest): Set<string> {
    const problems: { pointer: string; message: string }[] = [];
    if (typeof request.tenantId !== 'string' || request.tenantId === '') problems.push({ pointer: '/tenantId', message: 'must be a tenant id' });
    if (typeof request.scriptId !== 'string' || request.scriptId === '' || request.scriptId.length > 200) problems.push({ pointer: '/scriptId', message: 'must be a string of 1 to 200 characters' });
    if (typeof request.version !== 'string' && typeof request.version !== 'number') problems.push({ pointer: '/version', message: 'must be a string or a number' });
    if (typeof request.source !== 'string' || request.source.length > MAX_SOURCE_CHARS) problems.push({ pointer: '/source', message: `must be a string of at most ${MAX_SOURCE_CHARS} characters` });
    const granted = new Set<string>();
    if (request.capabilities !== undefined && !Array.isArray(request.capabilities)) problems.push({ pointer: '/capabilities', message: 'must be a list of capability names' });
    for (const [i, name] of (request.capabilities ?? []).entries()) {
      if (this.#capabilities.has(name)) granted.add(name);
      else problems.push({ pointer: `/capabilities/${i}`, message: `is not a registered sandbox capability` });
    }
    if (problems.length > 0) throw invalidInput('Invalid sandbox run', problems);
    if (this.#stopping) throw new TicketOpsError('unavailable', 'The sandbox is shutting down');
    return granted;
  }

  #enqueue(job: Job): void {
    if (this.#stopping) {
      this.#finish(job, ended('crashed', 'SandboxStopped', 'The sandbox is shutting down'));
      return;
    }
    this.#queue.push(job);
    this.#fillPool();
    this.#dispatch();
    if (job.slot || job.answered) return;
    job.timer = setTimeout(() => {
      const at = this.#queue.indexOf(job);
      if (at < 0) return;
      this.#queue.splice(at, 1);
      this.#finish(job, ended('throttled', 'ThrottledError', 'No sandbox worker became free in time'));
    }, this.#options.maxQueueWaitMs);
  }

  #fillPool(): void {
    const live = [...this.#slots].filter((s) => !s.retiring && !s.exited).length;
    for (let i = live; i < this.#options.workers && !this.#stopping; i++) this.#spawn();
  }

  #spawn(): void {
    const env = { ...process.env };
    delete env.NODE_OPTIONS; // the worker needs none of the parent's loaders or flags
    // Under SCHED_IDLE (inherited by every thread the worker starts), a script burning CPU never
    // delays the API process: the kernel runs it only when a core has nothing else to do.
    // With `workerCpus`, workers stay on those CPUs, leaving the others to the API.
    const child = fork(WORKER_PATH, [], {
      ...workerCommand({ scheduling: this.#options.workerScheduling, cpus: this.#options.workerCpus || undefined }),
      env,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const slot: Slot = { child, inFlight: new Map(), busyTenants: new Set(), warmTenants: new Set(), ready: false, retiring: false, exited: false, stderrTail: '' };
    this.#slots.add(slot);
    this.#stats.workersStarted++;
    // Scripts yield the CPU to the API process: a pool busy with hostile loops must not slow requests.
    try {
      if (child.pid !== undefined && this.#options.workerNice > 0) setPriority(child.pid, this.#options.workerNice);
    } catch {}
    child.stderr?.on('data', (chunk: Buffer) => {
      slot.stderrTail = (slot.stderrTail + chunk.toString()).slice(-2_000);
    });
    child.on('message', (message: FromWorker) => this.#onMessage(slot, message));
    child.on('error', (error) => this.#logger?.warn({ err: error }, 'sandbox worker error'));
    child.on('exit', (code, signal) => this.#onExit(slot, code, signal));
  }

  #dispatch(): void {
    for (let i = 0; i < this.#queue.length; ) {
      const job = this.#queue[i] as Job;
      const slot = this.#pick(job);
      if (!slot) {
        i++;
        continue;
      }
      this.#queue.splice(i, 1);
      clearTimeout(job.timer);
      job.slot = slot;
      job.started = performance.now();
      slot.inFlight.set(job.id, job);
      if (job.tenantKey) slot.busyTenants.add(job.tenantKey);
      slot.child.send(job.message);
      // The worker answers at its limits; past them plus grace it is stuck (or dead) and is killed.
      job.timer = setTimeout(() => {
        this.#finish(job, ended('timeout', 'TimeoutError', 'The script ran past its time limit and its worker was stopped'));
        this.#kill(slot, 'a run overran its deadline');
      }, job.limits.wallMs + this.#options.killGraceMs);
    }
  }

  #pick(job: Job): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.#slots) {
      if (!slot.ready || slot.retiring || slot.exited || slot.inFlight.size >= this.#options.concurrencyPerWorker) continue;
      if (job.tenantKey && slot.busyTenants.has(job.tenantKey)) continue;
      if (job.tenantKey && slot.warmTenants.has(job.tenantKey) && !best?.warmTenants.has(job.tenantKey)) best = slot;
      else if (!best || (slot.inFlight.size < best.inFlight.size && !(job.tenantKey && best.warmTenants.has(job.tenantKey)))) best = slot;
    }
    return best;
  }

  #onMessage(slot: Slot, message: FromWorker): void {
    if (message.t === 'ready') {
      slot.ready = true;
      this.#dispatch();
      return;
    }
    if (message.t === 'retire') {
      this.#logger?.warn({ reason: message.reason }, 'sandbox worker retired');
      this.#retire(slot);
      return;
    }
    const job = slot.inFlight.get(message.id);
    if (!job) return;
    if (message.t === 'call') {
      void this.#hostCall(slot, job, message.callId, message.name, message.args);
      return;
    }
    if (message.t === 'checked') {
      this.#finish(job, message.ok ? { ok: true } : { ok: false, error: message.error });
    } else {
      if (message.cache === 'hit') this.#stats.cacheHits++;
      if (message.cache === 'miss') this.#stats.cacheMisses++;
      if (message.newIsolate) this.#stats.isolatesStarted++;
      if (job.tenantKey) slot.warmTenants.add(job.tenantKey);
      this.#finish(job, fromWorker(message.result));
    }
    if (slot.retiring && slot.inFlight.size === 0) this.#kill(slot, 'retired');
    this.#dispatch();
  }

  async #hostCall(slot: Slot, job: Job, callId: number, name: string, argsText: string): Promise<void> {
    const capability = this.#capabilities.get(name);
    let answer: { ok: true; value?: string } | { ok: false; error: HostCallError };
    if (!capability || !job.granted.has(name) || ++job.hostCalls > job.limits.maxHostCalls) {
      answer = { ok: false, error: { name: 'HostCallError', message: `Capability ${name} is not available to this run`, code: 'forbidden' } };
    } else {
      try {
        const args = JSON.parse(argsText) as unknown[];
        const value = await capability.handler(args, { tenantId: job.message.t === 'run' ? job.message.tenantId : '', scriptId: job.request?.scriptId ?? '' });
        const text = value === undefined ? undefined : JSON.stringify(value);
        if (text !== undefined && text.length > MAX_JSON_CHARS) throw new RangeError(`The result of ${name} is too large`);
        answer = { ok: true, value: text };
      } catch (error) {
        if (isTicketOpsError(error)) answer = { ok: false, error: { name: 'HostCallError', message: error.message, code: error.code } };
        else {
          this.#logger?.warn({ err: error, capability: name }, 'sandbox capability failed');
          answer = { ok: false, error: { name: 'HostCallError', message: `${name} failed`, code: 'internal' } };
        }
      }
    }
    if (slot.exited || slot.inFlight.get(job.id) !== job) return;
    slot.child.send({ t: 'callResult', id: job.id, callId, ...answer });
  }

  #finish(job: Job, result: SandboxRunResult | CheckResult): void {
    clearTimeout(job.timer);
    if (job.answered) return; // already answered (deadline, exit) before the worker's late reply
    job.answered = true;
    const slot = job.slot;
    if (slot?.inFlight.get(job.id) === job) {
      slot.inFlight.delete(job.id);
      if (job.tenantKey) slot.busyTenants.delete(job.tenantKey);
    }
    if ('outcome' in result) {
      if (result.outcome === 'crashed' || result.outcome === 'timeout') result.wallMs = Math.max(result.wallMs, performance.now() - job.started);
      this.#count(result);
    }
    job.done(result);
  }

  #count(result: SandboxRunResult): SandboxRunResult {
    this.#stats.outcomes[result.outcome]++;
    return result;
  }

  #retire(slot: Slot): void {
    if (slot.retiring || slot.exited) return;
    slot.retiring = true;
    this.#fillPool();
    if (slot.inFlight.size === 0) this.#kill(slot, 'retired');
    this.#dispatch();
  }

  #kill(slot: Slot, reason: string): void {
    if (slot.exited) return;
    slot.retiring = true;
    this.#logger?.warn({ pid: slot.child.pid, reason }, 'sandbox worker killed');
    slot.child.kill('SIGKILL');
  }

  #onExit(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    if (slot.exited) return;
    slot.exited = true;
    this.#slots.delete(slot);
    if (!this.#stopping) {
      this.#stats.workersReplaced++;
      if (!slot.retiring) this.#logger?.warn({ pid: slot.child.pid, code, signal, stderr: slot.stderrTail }, 'sandbox worker died');
    }
    for (const job of [...slot.inFlight.values()]) {
      const message = 'The sandbox worker running the script stopped';
      this.#finish(job, job.message.t === 'check' ? { ok: false, error: { message } } : ended('crashed', 'CrashedError', message));
    }
    if (this.#stopping) return;
    // A worker that dies at once, again and again, would spin: fail what waits instead.
    this.#earlyExits = !slot.ready && !slot.retiring ? this.#earlyExits + 1 : 0;
    if (this.#earlyExits >= 3) {
      this.#earlyExits = 0;
      this.#logger?.warn({ stderr: slot.stderrTail }, 'sandbox workers exit at start; failing queued runs');
      for (const job of this.#queue.splice(0)) this.#finish(job, job.message.t === 'check' ? { ok: false, error: { message: 'The sandbox cannot start' } } : ended('crashed', 'CrashedError', 'The sandbox cannot start'));
      return;
    }
    if (this.#queue.length > 0 || [...this.#slots].some((s) => !s.exited)) this.#fillPool();
    this.#dispatch();
  }
}

function ended(outcome: SandboxOutcome, name: string, message: string): SandboxRunResult {
  return { outcome, error: { name, message }, logs: [], wallMs: 0, cpuMs: 0, hostCalls: 0 };
}

function fromWorker(result: WorkerRunResult): SandboxRunResult {
  const { value, ...rest } = result;
  return value === undefined ? rest : { ...rest, value: JSON.parse(value) };
}
