import { createHash } from 'node:crypto';
import { TicketOpsError } from '@ticketops/plugin-sdk';
import type { AttachmentsConfig } from '../config.ts';
import { type ScanSession, type Scanner, ScannerUnavailable } from '../scan/scanner.ts';
import type { Received } from './receive.ts';
import { SNIFF_BYTES, type Sniffed, sniff } from './sniff.ts';

/** Sniffs the first bytes and refuses denied or not-allowed types (415), like a streamed upload. */
export async function sniffAllowed(head: Buffer, config: AttachmentsConfig): Promise<Sniffed> {
  const sniffed = await sniff(head.subarray(0, SNIFF_BYTES));
  if (config.deny.includes(sniffed.mime) || (config.allow.length > 0 && !config.allow.includes(sniffed.mime))) {
    throw new TicketOpsError('unsupported_media_type', `Files of type ${sniffed.mime} are not accepted`);
  }
  return sniffed;
}

/**
 * Hashes bytes already stored (a presigned upload read back from S3) and feeds them to the
 * scanner in the same pass. Scanner failures follow `scanner.whenUnavailable` as for streamed uploads.
 */
export async function hashAndScan(chunks: AsyncIterable<Uint8Array>, scanner: Scanner | null, config: AttachmentsConfig): Promise<{ sha256: string; size: number; verdict: Received['verdict'] }> {
  let scan: ScanSession | null = null;
  let unscanned = scanner ? '' : 'no scanner configured';
  const scanFailed = (error: unknown) => {
    if (!(error instanceof ScannerUnavailable) || config.scanner.whenUnavailable === 'reject') {
      throw new TicketOpsError('unavailable', `The virus scanner is unavailable, so uploads are refused: ${(error as Error).message}`);
    }
    scan?.abort();
    scan = null;
    unscanned = (error as Error).message;
  };
  try {
    if (scanner) {
      scan = await scanner.open().catch((error) => {
        scanFailed(error);
        return null;
      });
    }
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of chunks) {
      const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      size += buffer.length;
      hash.update(buffer);
      if (scan) await (scan as ScanSession).write(buffer).catch(scanFailed);
    }
    let verdict: Received['verdict'] = { status: 'unscanned', reason: unscanned || 'scanner failed' };
    if (scan) {
      const result = await (scan as ScanSession).finish().catch((error) => void scanFailed(error));
      if (result) verdict = result;
    }
    return { sha256: hash.digest('hex'), size, verdict };
  } catch (error) {
    (scan as ScanSession | null)?.abort();
    throw error;
  }
}
