import { request as httpRequest } from 'node:http';
import type { TestKernel } from '@ticketops/core/testing';

/** A 1×1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
/** The start of a Windows PE executable ("MZ" header, PE signature at 0x80). */
export const EXE = (() => {
  const b = Buffer.alloc(512);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  return b;
})();
/** The EICAR antivirus test string (harmless; every scanner detects it). */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

export interface Upload {
  status: number;
  headers: Headers;
  body: any;
}

/** Uploads bytes as a multipart/form-data file part through fetch. */
export async function upload(t: TestKernel, token: string, bytes: Buffer | string, filename: string, query = '', type = 'application/octet-stream'): Promise<Upload> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(typeof bytes === 'string' ? Buffer.from(bytes) : bytes)], { type }), filename);
  const res = await fetch(`${t.url}/api/v1/attachments${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** A hand-made multipart body, for raw requests. */
export function multipart(filename: string, contentLength?: number): { boundary: string; head: Buffer; tail: Buffer; length: (size: number) => number } {
  const boundary = `----ticketops${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  void contentLength;
  return { boundary, head, tail, length: (size) => head.length + size + tail.length };
}

/**
 * A raw HTTP upload over node:http: `write(req)` sends what it wants (and may destroy the socket).
 * Resolves with the status (or `null` when the connection ended without a response) and the body.
 */
export function rawUpload(
  t: TestKernel,
  token: string,
  headers: Record<string, string | number>,
  write: (req: ReturnType<typeof httpRequest>) => void | Promise<void>,
  query = '',
): Promise<{ status: number | null; body: string; error?: string }> {
  return new Promise((resolve) => {
    const url = new URL(`${t.url}/api/v1/attachments${query}`);
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers } });
    let done = false;
    const finish = (value: { status: number | null; body: string; error?: string }) => {
      if (!done) {
        done = true;
        resolve(value);
      }
    };
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => finish({ status: res.statusCode ?? null, body }));
      res.on('error', () => finish({ status: res.statusCode ?? null, body }));
    });
    req.on('error', (error) => setTimeout(() => finish({ status: null, body: '', error: error.message }), 50));
    req.on('close', () => setTimeout(() => finish({ status: null, body: '' }), 200));
    void Promise.resolve(write(req)).catch(() => undefined);
  });
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
