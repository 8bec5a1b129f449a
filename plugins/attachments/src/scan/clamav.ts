import { once } from 'node:events';
import { type Socket, createConnection } from 'node:net';
import { type ScanSession, type ScanVerdict, type Scanner, ScannerUnavailable } from './scanner.ts';

export interface ClamdAddress {
  socket?: string;
  host?: string;
  port?: number;
  timeoutMs: number;
}

/**
 * A clamd client speaking INSTREAM over its socket: `zINSTREAM\0`, then chunks each prefixed with
 * a 4-byte big-endian length, then a zero length; clamd answers `stream: OK` or
 * `stream: <signature> FOUND` (or an `... ERROR`, e.g. past its StreamMaxLength).
 */
export class ClamavScanner implements Scanner {
  readonly name = 'clamav';
  private readonly address: ClamdAddress;
  constructor(address: ClamdAddress) {
    this.address = address;
  }

  private async connect(): Promise<Socket> {
    const { socket: path, host, port, timeoutMs } = this.address;
    const socket = path ? createConnection(path) : createConnection(port ?? 3310, host ?? '127.0.0.1');
    socket.setTimeout(timeoutMs, () => socket.destroy(new ScannerUnavailable(`clamd did not answer within ${timeoutMs} ms`)));
    try {
      await once(socket, 'connect');
    } catch (error) {
      socket.destroy();
      throw new ScannerUnavailable(`clamd is unreachable: ${(error as Error).message}`, { cause: error });
    }
    return socket;
  }

  async ping(): Promise<boolean> {
    try {
      const socket = await this.connect();
      socket.end('zPING\0');
      return (await readReply(socket)) === 'PONG';
    } catch {
      return false;
    }
  }

  async open(): Promise<ScanSession> {
    const socket = await this.connect();
    const reply = readReply(socket);
    reply.catch(() => undefined);
    socket.write('zINSTREAM\0');
    const send = async (buffer: Buffer) => {
      if (socket.destroyed) throw new ScannerUnavailable('clamd closed the connection');
      if (!socket.write(buffer)) await Promise.race([once(socket, 'drain'), reply]);
    };
    return {
      async write(chunk) {
        if (chunk.length === 0) return;
        const header = Buffer.alloc(4);
        header.writeUInt32BE(chunk.length);
        await send(Buffer.concat([header, chunk]));
      },
      async finish(): Promise<ScanVerdict> {
        await send(Buffer.alloc(4));
        const text = await reply;
        socket.end();
        const found = /^stream: (.+) FOUND$/.exec(text);
        if (found) return { status: 'infected', signature: found[1] as string };
        if (text === 'stream: OK') return { status: 'clean' };
        throw new ScannerUnavailable(`clamd could not scan: ${text}`);
      },
      abort() {
        socket.destroy();
      },
    };
  }
}

/** Reads clamd's NUL- (or newline-) terminated reply until the connection ends. */
async function readReply(socket: Socket): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise<void>((resolve, reject) => {
    socket.once('end', resolve);
    socket.once('close', () => resolve());
    socket.once('error', (error) => reject(error instanceof ScannerUnavailable ? error : new ScannerUnavailable(`clamd failed: ${error.message}`, { cause: error })));
  });
  return Buffer.concat(chunks).toString('utf8').replace(/[\0\n]+$/, '').trim();
}
