import { Worker } from 'node:worker_threads';
import type { Email } from 'postal-mime';
import type { ReplyText } from './body.ts';

/** A parsed message (its HTML already reduced to the reply text) and what the sender wrote. */
export interface Parsed {
  email: Email;
  reply: ReplyText;
}

/** Why a parse did not produce a message (the message is then kept aside with this reason). */
export class ParseFailure extends Error {
  readonly reason: 'parse-timeout' | 'parse-error' | 'too-deep';
  constructor(reason: ParseFailure['reason'], message: string) {
    super(message);
    this.reason = reason;
  }
}

interface Job {
  id: number;
  raw: Buffer;
  resolve(parsed: Parsed): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

/**
 * A small pool of parse workers. Each job has a deadline: a worker still busy at the deadline is
 * terminated (postal-mime cannot be interrupted otherwise) and replaced. Idle workers do not keep
 * the process alive.
 */
export class ParserPool {
  #slots: Slot[] = [];
  #queue: Job[] = [];
  #next = 1;
  #closed = false;

  readonly options: { size: number; timeoutMs: number; maxNestingDepth: number; maxHeadersSize: number };

  constructor(options: ParserPool['options']) {
    this.options = options;
  }

  parse(raw: Buffer): Promise<Parsed> {
    if (this.#closed) return Promise.reject(new Error('email: parser pool is closed'));
    return new Promise<Parsed>((resolve, reject) => {
      this.#queue.push({ id: this.#next++, raw, resolve, reject });
      this.#pump();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(new Error('email: parser pool is closed'));
    await Promise.all(this.#slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((s) => !s.job);
      if (!slot && this.#slots.length < this.options.size) slot = this.#spawn();
      if (!slot) return;
      this.#start(slot, this.#queue.shift() as Job);
    }
  }

  #spawn(): Slot {
    const worker = new Worker(new URL('./worker.ts', import.meta.url));
    const slot: Slot = { worker, job: null, timer: null };
    worker.unref();
    worker.on('message', (message: { id: number; email?: Email; reply?: ReplyText; error?: string }) => {
      const job = slot.job;
      if (!job || job.id !== message.id) return;
      this.#finish(slot);
      if (message.email && message.reply) job.resolve({ email: message.email, reply: message.reply });
      else job.reject(new ParseFailure(/depth/i.test(message.error ?? '') ? 'too-deep' : 'parse-error', message.error ?? 'parse failed'));
    });
    worker.on('error', (error) => this.#crash(slot, error));
    worker.on('exit', () => this.#crash(slot, new Error('parse worker exited')));
    this.#slots.push(slot);
    return slot;
  }

  #start(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      this.#crash(slot, new ParseFailure('parse-timeout', `parsing took longer than ${this.options.timeoutMs} ms`));
      void slot.worker.terminate();
    }, this.options.timeoutMs);
    // A copy, so the caller's buffer stays usable (it is stored as the raw source).
    const raw = new Uint8Array(job.raw);
    slot.worker.postMessage({ id: job.id, raw, maxNestingDepth: this.options.maxNestingDepth, maxHeadersSize: this.options.maxHeadersSize }, [raw.buffer]);
  }

  #finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.worker.unref();
    this.#pump();
  }

  /** The worker is gone or stuck: fail its job, drop it, and let the queue go on with a new one. */
  #crash(slot: Slot, error: Error): void {
    const index = this.#slots.indexOf(slot);
    if (index < 0) return;
    this.#slots.splice(index, 1);
    if (slot.timer) clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = null;
    job?.reject(error instanceof ParseFailure ? error : new ParseFailure('parse-error', error.message));
    if (!this.#closed) this.#pump();
  }
}
