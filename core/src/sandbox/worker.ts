/**
 * A sandbox worker process (forked by the supervisor with `--no-node-snapshot`). It runs scripts in
 * warm per-tenant isolates, a fresh context per run, and enforces the limits it can see: the
 * isolated-vm `timeout`, a watchdog on the isolate's CPU and wall time that disposes it, and the
 * host-call quota. What it cannot stop (native work that ignores disposal) the supervisor ends by
 * killing this process.
 */
import { homedir, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import ivm from 'isolated-vm';
import { firstImportPosition } from './classic-script.ts';
import { parseCompileError } from './isolate-runner.ts';
import { type TenantIsolate, IsolatePool } from './isolates.ts';
import { toJsonText, sanitizeError } from './json.ts';
import type { FromWorker, RunMessage, ToWorker, WorkerRunResult } from './protocol.ts';

/** Longest first, so a path under the repository reads `<host>/…` rather than a half-replaced home. */
const HOST_ROOTS = [resolve(import.meta.dirname, '../../..'), process.cwd(), homedir(), tmpdir()].sort((a, b) => b.length - a.length);
const WATCHDOG_EVERY_MS = 5;
/** A disposed isolate whose run has not returned by then holds a thread V8 cannot stop. */
const STUCK_AFTER_MS = 200;
const MAX_LOG_LINES = 200;
const MAX_LOG_LINE = 1_000;
const MAX_LOG_TOTAL = 64 * 1024;

interface ActiveRun {
  msg: RunMessage;
  iso: TenantIsolate;
  started: number;
  cpu0: bigint;
  cpuMs: number;
  hostCalls: number;
  logs: string[];
  logChars: number;
  /** The runner's `settle`, once the first call into the isolate returned it (a host call can be answered sooner). */
  settle?: Promise<ivm.Reference>;
  /** Calls into the isolate not yet returned: after a disposal, one still running holds a thread V8 cannot stop. */
  inIsolate: Set<Promise<unknown>>;
  /** What the script returned or threw, reported once the call it ended in has returned. */
  result?: Pick<WorkerRunResult, 'outcome' | 'value' | 'error'>;
  cache: 'hit' | 'miss' | 'none';
  /** Resolved by finish(), whoever ends the run (the script, the watchdog, an error). */
  ended: Promise<void>;
  end(): void;
}

const send = (message: FromWorker) => process.send?.(message);
const active = new Map<number, ActiveRun>();
const pool = new IsolatePool((message) => {
  // V8 lost control of an isolate: nothing in this process can be trusted any more.
  send({ t: 'retire', reason: `catastrophic isolate error: ${message}` });
  process.kill(process.pid, 'SIGKILL');
});
let watchdog: NodeJS.Timeout | undefined;

process.on('disconnect', () => process.exit(0));
send({ t: 'ready' });
process.on('message', (message: ToWorker) => {
  if (message.t === 'run') void runScript(message);
  else if (message.t === 'check') void check(message.id, message.source);
  else if (message.t === 'callResult') answerCall(message.id, message.callId, message.ok, message.ok ? message.value : message.error);
});

/**
 * One run: a fresh context in the tenant's warm isolate, the runner and the script (compiled once
 * per isolate) evaluated in it, then one asynchronous call that runs the script on an isolated-vm
 * thread. The set-up calls are synchronous (no thread hop; they run no script code, and carry the
 * timeout anyway); compiling and the script itself run asynchronously, so this thread stays free
 * for the watchdog, host calls and the other runs of this worker.
 */
async function runScript(msg: RunMessage): Promise<void> {
  let iso: TenantIsolate;
  try {
    iso = pool.acquire(msg.tenantId, msg.limits.memoryMb);
  } catch (error) {
    send({ t: 'done', id: msg.id, cache: 'none', result: { outcome: 'error', error: sanitizeError(error, HOST_ROOTS), logs: [], wallMs: 0, cpuMs: 0, hostCalls: 0 } });
    return;
  }
  let end = () => {};
  const ended = new Promise<void>((resolve) => (end = resolve));
  const run: ActiveRun = { msg, iso, started: performance.now(), cpu0: iso.isolate.cpuTime, cpuMs: 0, hostCalls: 0, logs: [], logChars: 0, inIsolate: new Set(), cache: 'none', ended, end };
  active.set(msg.id, run);
  watchdog ??= setInterval(watch, WATCHDOG_EVERY_MS);
  const handles: { release(): void }[] = [];
  try {
    const compiled = await pool.script(iso, `${msg.tenantId}\u0000${msg.scriptId}\u0000${msg.version}`, msg.source);
    run.cache = compiled.cache;
    const context = iso.isolate.createContextSync();
    handles.push(context);
    const factory = compiled.script.runSync(context, { reference: true, timeout: remaining(run) }) as ivm.Reference;
    const start = pool.runner(iso).runSync(context, { reference: true, timeout: remaining(run) }) as ivm.Reference;
    handles.push(factory, start);
    const done = new ivm.Callback((ok: boolean, value: unknown) => scriptEnded(run, ok, value));
    const started = start.apply(undefined, [factory.derefInto(), msg.input, JSON.stringify(msg.capabilities), hostCall(run), logLine(run), done], {
      timeout: remaining(run),
      result: { reference: true },
    });
    run.settle = inIsolate(run, started);
    handles.push(await run.settle);
    report(run);
    await run.ended;
  } catch (error) {
    if (active.has(msg.id)) finish(run, classify(error, iso), run.cache);
  } finally {
    for (const handle of handles.reverse()) {
      try {
        handle.release();
      } catch {}
    }
    if (iso.disposedByUs || iso.isolate.isDisposed) pool.dispose(iso);
    else pool.release(iso);
  }
}

/** Tracks a call into the isolate until it returns (or is abandoned by a disposal). */
function inIsolate<T>(run: ActiveRun, call: Promise<T>): Promise<T> {
  run.inIsolate.add(call);
  const untrack = () => run.inIsolate.delete(call);
  call.then(untrack, untrack);
  return call;
}

/**
 * `done(ok, value)` from the runner: the script returned or threw (its own error, never a limit).
 * Kept until the call it came in returns: code the script left running (a detached loop) stays
 * under the watchdog and the time limit, and the isolate is idle when the next run gets it.
 */
function scriptEnded(run: ActiveRun, ok: boolean, value: unknown): void {
  if (!active.has(run.msg.id) || run.result) return;
  if (!ok) {
    run.result = { outcome: 'error', error: sanitizeError(value, HOST_ROOTS) };
    return;
  }
  try {
    run.result = { outcome: 'ok', value: value === undefined ? undefined : toJsonText(value, 'The returned value') };
  } catch (error) {
    run.result = { outcome: 'error', error: sanitizeError(error, HOST_ROOTS) };
  }
}

/** After a call into the isolate returned: the run is over if the script has ended. */
function report(run: ActiveRun): void {
  if (run.result && active.has(run.msg.id)) finish(run, run.result, run.cache);
}

const remaining = (run: ActiveRun) => Math.max(1, Math.ceil(run.msg.limits.wallMs - (performance.now() - run.started)));

function classify(error: unknown, iso: TenantIsolate): Pick<WorkerRunResult, 'outcome' | 'error'> {
  const message = error instanceof Error ? error.message : '';
  if (iso.disposedByUs) return { outcome: 'timeout', error: { name: 'TimeoutError', message: 'The script ran past its time limit' } };
  if (message.includes('due to memory limit') || (iso.isolate.isDisposed && message.includes('disposed'))) {
    pool.dispose(iso);
    return { outcome: 'memory', error: { name: 'MemoryError', message: 'The script ran past its memory limit' } };
  }
  if (message === 'Script execution timed out.') {
    pool.dispose(iso); // a terminated isolate is recycled, not trusted with the next run
    return { outcome: 'timeout', error: { name: 'TimeoutError', message: 'The script ran past its time limit' } };
  }
  return { outcome: 'error', error: sanitizeError(error, HOST_ROOTS) };
}

/** The watchdog: CPU and wall time of every active run, and isolates V8 disposed for memory. */
function watch(): void {
  if (active.size === 0) {
    clearInterval(watchdog);
    watchdog = undefined;
    return;
  }
  const now = performance.now();
  for (const run of active.values()) {
    const { isolate } = run.iso;
    if (isolate.isDisposed) {
      if (!run.iso.disposedByUs) finish(run, { outcome: 'memory', error: { name: 'MemoryError', message: 'The script ran past its memory limit' } }, 'none');
      continue;
    }
    try {
      run.cpuMs = Number(isolate.cpuTime - run.cpu0) / 1e6;
    } catch {}
    if (now - run.started > run.msg.limits.wallMs || run.cpuMs > run.msg.limits.cpuMs) {
      pool.dispose(run.iso);
      finish(run, { outcome: 'timeout', error: { name: 'TimeoutError', message: `The script ran past its ${now - run.started > run.msg.limits.wallMs ? 'wall-time' : 'CPU'} limit` } }, 'none');
    }
  }
}

function finish(run: ActiveRun, result: Pick<WorkerRunResult, 'outcome' | 'value' | 'error'>, cache: 'hit' | 'miss' | 'none'): void {
  active.delete(run.msg.id);
  run.end();
  if (!run.iso.isolate.isDisposed) {
    try {
      run.cpuMs = Number(run.iso.isolate.cpuTime - run.cpu0) / 1e6;
    } catch {}
  }
  const wallMs = performance.now() - run.started;
  send({ t: 'done', id: run.msg.id, cache, newIsolate: run.iso.isNew, result: { ...result, logs: run.logs, wallMs, cpuMs: run.cpuMs, hostCalls: run.hostCalls } });
  if (result.outcome === 'timeout' || result.outcome === 'memory') {
    // Disposal stops JavaScript, not every native operation (a huge BigInt parse runs on for seconds).
    setTimeout(() => {
      if (run.inIsolate.size > 0) send({ t: 'retire', reason: `an isolate did not stop within ${STUCK_AFTER_MS} ms of disposal` });
    }, STUCK_AFTER_MS).unref();
  }
}

function countHostCall(run: ActiveRun): void {
  if (!active.has(run.msg.id)) throw new Error('The run has ended');
  if (run.hostCalls >= run.msg.limits.maxHostCalls) throw new RangeError(`Host call quota exceeded: at most ${run.msg.limits.maxHostCalls} calls per run`);
  run.hostCalls++;
}

function hostCall(run: ActiveRun): ivm.Callback {
  return new ivm.Callback((callId: number, name: string, args: unknown) => {
    countHostCall(run);
    if (!run.msg.capabilities.includes(name)) throw new TypeError(`Capability ${name} is not granted to this run`);
    send({ t: 'call', id: run.msg.id, callId, name, args: toJsonText(args, `The arguments of ${name}`) });
  });
}

/** Hands a host call's answer to the script: a JSON copy on success, name/message/code on failure. */
function answerCall(runId: number, callId: number, ok: boolean, payload: string | object | undefined): void {
  const run = active.get(runId);
  if (!run?.settle) return;
  const value = typeof payload === 'string' ? JSON.parse(payload) : payload;
  run.settle.then((settle) => {
    if (!active.has(runId)) return;
    // The script continues inside this call: it runs under the time limit left, like the first one.
    const answered = settle.apply(undefined, [callId, ok, value === undefined ? undefined : new ivm.ExternalCopy(value).copyInto({ release: true })], { timeout: remaining(run) });
    inIsolate(run, answered).then(
      () => report(run),
      (error) => {
        if (active.has(runId)) finish(run, classify(error, run.iso), 'none');
      },
    );
  }, () => {});
}

function logLine(run: ActiveRun): ivm.Callback {
  return new ivm.Callback((line: unknown) => {
    countHostCall(run);
    if (run.logs.length >= MAX_LOG_LINES || run.logChars >= MAX_LOG_TOTAL) {
      if (run.logs.at(-1) !== '… (log truncated)') run.logs.push('… (log truncated)');
      return;
    }
    let text = String(line);
    if (text.length > MAX_LOG_LINE) text = `${text.slice(0, MAX_LOG_LINE)}… (line truncated)`;
    if (run.logChars + text.length > MAX_LOG_TOTAL) text = `${text.slice(0, MAX_LOG_TOTAL - run.logChars)}… (log truncated)`;
    run.logs.push(text);
    run.logChars += text.length;
  });
}

/** Compiles as a module without running: V8's syntax error with line and column, or the first import. */
async function check(id: number, source: string): Promise<void> {
  try {
    const imports = await pool.checker.imports(source);
    if (imports.length > 0) {
      send({ t: 'checked', id, ok: false, error: { message: `Imports are not supported ("${imports[0]}")`, ...firstImportPosition(source) } });
      return;
    }
    send({ t: 'checked', id, ok: true });
  } catch (error) {
    const { message } = sanitizeError(error, HOST_ROOTS);
    send({ t: 'checked', id, ok: false, error: parseCompileError(message) });
  }
}
