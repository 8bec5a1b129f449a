import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { TicketOpsError } from '@ticketops/plugin-sdk';
import type { AttachmentsConfig } from '../config.ts';
import { type ScanSession, type ScanVerdict, type Scanner, ScannerUnavailable } from '../scan/scanner.ts';
import type { BlobStore, StagedBlob } from '../storage/store.ts';
import { SNIFF_BYTES, type Sniffed, sniff } from './sniff.ts';

/** Room a multipart envelope may take besides the file (boundaries, part headers, a file name). */
export const ENVELOPE_BYTES = 16 * 1024;

export interface Received {
  staged: StagedBlob;
  sha256: string;
  size: number;
  sniffed: Sniffed;
  clientName: string | undefined;
  verdict: ScanVerdict | { status: 'unscanned'; reason: string };
}

export interface ReceiveOptions {
  stream: Readable;
  headers: IncomingHttpHeaders;
  store: BlobStore;
  scanner: Scanner | null;
  config: AttachmentsConfig;
  /** Bytes still allowed by the ticket and tenant quotas. */
  quotaLeft: number;
}

/**
 * Each socket read is a fresh 64 KiB buffer that V8 frees only at a collection, and it lets such
 * external memory reach ~64 MB before one. When the process runs with `--expose-gc`, a minor
 * collection (a scavenge of the young generation, ~1 ms) every 16 MiB received frees the buffers
 * already consumed, which keeps a large upload's RSS growth flat. Without the flag: nothing.
 */
const GC_HINT_BYTES = 16 * 1024 * 1024;
function collectConsumedBuffers(): void {
  (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc?.({ type: 'minor' });
}

const tooLarge = (what: string) => new TicketOpsError('payload_too_large', what);

/**
 * Reads one multipart upload (one file part) as a stream: each chunk is hashed, kept for sniffing
 * while within the first bytes, written to a staged blob and fed to the scanner, so memory stays
 * flat whatever the size. Any failure — a limit, a bad type, a cut connection, a scanner that is
 * down in fail-closed mode — drops the staged bytes before the error surfaces.
 */
export function receive(options: ReceiveOptions): Promise<Received> {
  const { stream, headers, config } = options;
  const limit = Math.min(config.limits.maxFileBytes, options.quotaLeft);
  return new Promise<Received>((resolve, reject) => {
    let settled = false;
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers, defParamCharset: 'utf8', limits: { files: 1, fileSize: limit, fields: 4, fieldSize: 1024, parts: 6, headerPairs: 20 } });
    } catch {
      reject(new TicketOpsError('unsupported_media_type', 'Upload with multipart/form-data (one file part)'));
      return;
    }
    let work: Promise<Received> | null = null;
    let current: Readable | null = null;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      stream.unpipe(bb);
      current?.destroy(error as Error);
      // Let the file's own clean-up finish before answering, so nothing is left behind.
      (work ?? Promise.resolve()).catch(() => undefined).finally(() => reject(error));
    };
    stream.once('close', () => {
      if (!(stream as Readable & { complete?: boolean }).complete) fail(new TicketOpsError('invalid_input', 'The upload was cut off before it ended'));
    });
    bb.on('file', (_field, file, info) => {
      // Errors surface through `consume`; the stream is destroyed with the failure that ended it.
      file.on('error', () => undefined);
      if (work) {
        file.resume();
        return;
      }
      current = file;
      work = consume(options, file, info.filename, limit);
      work.catch(fail);
    });
    bb.on('filesLimit', () => fail(new TicketOpsError('invalid_input', 'Send one file per request', { details: [{ pointer: '/body', message: 'has more than one file' }] })));
    bb.on('partsLimit', () => fail(new TicketOpsError('invalid_input', 'Too many parts in the form')));
    bb.on('error', (error) => fail(new TicketOpsError('invalid_input', `Malformed multipart body: ${(error as Error).message}`)));
    bb.on('close', () => {
      if (!work) return fail(new TicketOpsError('invalid_input', 'No file in the upload', { details: [{ pointer: '/body/file', message: 'is required' }] }));
      work.then(
        (received) => {
          if (settled) return void received.staged.abort();
          settled = true;
          resolve(received);
        },
        fail,
      );
    });
    stream.pipe(bb);
  });
}

async function consume(options: ReceiveOptions, file: Readable & { truncated?: boolean }, clientName: string | undefined, limit: number): Promise<Received> {
  const { store, config } = options;
  // The file is no larger than the request (or, chunked, the limit): S3 sizes its parts by that.
  const length = Number(options.headers['content-length']);
  const staged = await store.stage(Number.isSafeInteger(length) && length > 0 ? Math.min(length, limit) : limit);
  let scan: ScanSession | null = null;
  let unscanned: string | null = null;
  const scanFailed = (error: unknown) => {
    if (!(error instanceof ScannerUnavailable) || config.scanner.whenUnavailable === 'reject') {
      throw new TicketOpsError('unavailable', `The virus scanner is unavailable, so uploads are refused: ${(error as Error).message}`);
    }
    scan?.abort();
    scan = null;
    unscanned = (error as Error).message;
  };
  try {
    if (options.scanner) {
      scan = await options.scanner.open().catch((error) => {
        scanFailed(error);
        return null;
      });
    }
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let headBytes = 0;
    let size = 0;
    let limited = false;
    file.once('limit', () => {
      limited = true;
    });
    for await (const chunk of file as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size % GC_HINT_BYTES < chunk.length) collectConsumedBuffers();
      if (headBytes < SNIFF_BYTES) {
        head.push(chunk.subarray(0, SNIFF_BYTES - headBytes));
        headBytes += Math.min(chunk.length, SNIFF_BYTES - headBytes);
      }
      hash.update(chunk);
      await staged.write(chunk);
      if (scan) await (scan as ScanSession).write(chunk).catch(scanFailed);
    }
    if (limited || file.truncated) {
      throw limit < config.limits.maxFileBytes
        ? tooLarge('The upload would exceed the attachment quota of the ticket or tenant')
        : tooLarge(`Files may be at most ${config.limits.maxFileBytes} bytes`);
    }
    if (size === 0) throw new TicketOpsError('invalid_input', 'The file is empty', { details: [{ pointer: '/body/file', message: 'is empty' }] });
    await staged.finish();
    const sniffed = await sniff(Buffer.concat(head));
    if (config.deny.includes(sniffed.mime) || (config.allow.length > 0 && !config.allow.includes(sniffed.mime))) {
      throw new TicketOpsError('unsupported_media_type', `Files of type ${sniffed.mime} are not accepted`);
    }
    let verdict: Received['verdict'] = { status: 'unscanned', reason: unscanned ?? 'no scanner configured' };
    if (scan) {
      const session = scan as ScanSession;
      const result = await session.finish().catch((error) => void scanFailed(error));
      if (result) verdict = result;
      else verdict = { status: 'unscanned', reason: unscanned ?? 'scanner failed' };
    }
    return { staged, sha256: hash.digest('hex'), size, sniffed, clientName, verdict };
  } catch (error) {
    (scan as ScanSession | null)?.abort();
    await staged.abort();
    throw error;
  }
}
