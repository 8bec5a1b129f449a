/**
 * The kernel's `sandbox` service (`resolve<SandboxService>('sandbox')`): runs admin-written
 * scripts outside the API process, in isolated-vm isolates inside supervised worker processes.
 *
 * A script is an ES module whose default export is a function `(input, ctx) => value` (sync or
 * async). Only JSON copies cross the boundary: `input` goes in, the returned value comes out.
 * `ctx` holds `log(...)`, `now()` and the capabilities granted to the run (host calls), nothing else.
 */

/** How a run ended. `ok` means the function returned; whatever it returned is in `value`. */
export type SandboxOutcome = 'ok' | 'error' | 'timeout' | 'memory' | 'crashed' | 'throttled';

export interface SandboxLimits {
  /** Wall-clock budget of one run, host calls included. Default 250, hard maximum 2,000. */
  wallMs: number;
  /** CPU budget of one run inside the isolate. Default 50, hard maximum 500. */
  cpuMs: number;
  /** Isolate heap limit. Default 32, hard maximum 128. */
  memoryMb: number;
  /** Host calls (capabilities and `log`) allowed per run. Default 50, hard maximum 500. */
  maxHostCalls: number;
}

export interface SandboxRunRequest {
  tenantId: string;
  /** Stable id of what is run (e.g. a rule id) and its version: the compiled-script cache key. */
  scriptId: string;
  version: string | number;
  /** ES module source; its default export is called. */
  source: string;
  /** The first argument, passed as a JSON copy (no functions, no prototypes). */
  input: unknown;
  /** Names of the capabilities exposed on `ctx` (registered by plugins); others are absent. */
  capabilities?: string[];
  /** Per-run limits, clamped to the hard maximums. */
  limits?: Partial<SandboxLimits>;
}

export interface SandboxRunResult {
  outcome: SandboxOutcome;
  /** JSON copy of the returned value (outcome `ok`). */
  value?: unknown;
  /** Sanitized: message and name only, no host stack frames or paths. */
  error?: { name: string; message: string };
  /** `ctx.log` lines, truncated (each line and the total). */
  logs: string[];
  wallMs: number;
  cpuMs: number;
  hostCalls: number;
}

/** A host function offered to scripts as `ctx.<namespace>.<name>(...args)` (returns a promise). */
export interface SandboxCapability {
  /** Dotted name, `<namespace>.<name>`, e.g. `tickets.get` or `attachments.list`. */
  name: string;
  description: string;
  /** TypeScript declaration of the function for the script editor, e.g. `(id: string) => Promise<Ticket>`. */
  signature: string;
  /**
   * Runs in the API/worker process that asked for the run, as the tenant's system actor.
   * Arguments and the result are JSON copies; throw a TicketOpsError to fail the call in the script.
   */
  handler(args: unknown[], call: { tenantId: string; scriptId: string }): Promise<unknown>;
}

export interface SandboxService {
  run(request: SandboxRunRequest): Promise<SandboxRunResult>;
  /** Compiles without running: `{ ok: false, error }` names the syntax error and its line. */
  check(source: string): Promise<{ ok: true } | { ok: false; error: { message: string; line?: number; column?: number } }>;
  /** Capabilities plugins registered, for documentation and the editor's declarations. */
  capabilities(): readonly Omit<SandboxCapability, 'handler'>[];
}

/** Limits a run gets when the request names none. */
export const SANDBOX_DEFAULT_LIMITS: Readonly<SandboxLimits> = Object.freeze({ wallMs: 250, cpuMs: 50, memoryMb: 32, maxHostCalls: 50 });

/** Hard maximums: larger per-run limits are clamped to these. */
export const SANDBOX_MAX_LIMITS: Readonly<SandboxLimits> = Object.freeze({ wallMs: 2_000, cpuMs: 500, memoryMb: 128, maxHostCalls: 500 });

/** Counters of the kernel's sandbox (`SandboxSupervisor.stats()`), for health pages and tests. */
export interface SandboxStats {
  /** Worker processes alive now. */
  workers: number;
  /** Workers started since the service started (replacements included). */
  workersStarted: number;
  /** Workers that died or were killed while the service ran. */
  workersReplaced: number;
  runs: number;
  outcomes: Record<SandboxOutcome, number>;
  /** Compiled-script cache (per worker, keyed by tenant + scriptId + version): reuses and compiles. */
  cacheHits: number;
  cacheMisses: number;
  queued: number;
  inFlight: number;
}
