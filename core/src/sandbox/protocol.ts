import type { SandboxLimits, SandboxOutcome } from '@ticketops/plugin-sdk';

/**
 * Messages between the supervisor (API process) and a sandbox worker process, over the `fork` IPC
 * channel (JSON). Every run carries the supervisor's request id; host calls carry a call id too.
 * Values (input, results, host-call arguments) travel as JSON text the receiver parses itself.
 */
export interface RunMessage {
  t: 'run';
  id: number;
  tenantId: string;
  scriptId: string;
  version: string;
  source: string;
  /** JSON text of the input (undefined input travels as `null`). */
  input: string;
  capabilities: string[];
  limits: SandboxLimits;
}

export interface CheckMessage {
  t: 'check';
  id: number;
  source: string;
}

export interface CallResultMessage {
  t: 'callResult';
  id: number;
  callId: number;
  ok: boolean;
  /** JSON text of the value, or the sanitized error. */
  value?: string;
  error?: HostCallError;
}

export type ToWorker = RunMessage | CheckMessage | CallResultMessage;

export interface HostCallError {
  name: string;
  message: string;
  code?: string;
}

export interface WorkerRunResult {
  outcome: SandboxOutcome;
  /** JSON text of the returned value (outcome `ok`, value not undefined). */
  value?: string;
  error?: { name: string; message: string };
  logs: string[];
  wallMs: number;
  cpuMs: number;
  hostCalls: number;
}

export type FromWorker =
  /** `newIsolate`: the run had to start an isolate (first run of the tenant here, or after a recycle). */
  | { t: 'done'; id: number; result: WorkerRunResult; cache: 'hit' | 'miss' | 'none'; newIsolate?: boolean }
  | { t: 'checked'; id: number; ok: true }
  | { t: 'checked'; id: number; ok: false; error: { message: string; line?: number; column?: number } }
  | { t: 'call'; id: number; callId: number; name: string; args: string }
  /** Sent once isolated-vm is loaded: runs are dispatched only to ready workers, so start-up is not billed to a run. */
  | { t: 'ready' }
  /** The worker cannot be trusted any more (an isolate thread that did not stop): drain and replace it. */
  | { t: 'retire'; reason: string };
