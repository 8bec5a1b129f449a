import { fileTypeFromBuffer } from 'file-type';

/** How many leading bytes the sniffer sees. */
export const SNIFF_BYTES = 64 * 1024;

export interface Sniffed {
  mime: string;
  ext: string;
}

const SCRIPTY = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|script|iframe|svg)\b/i;

/**
 * The type of a file from its first bytes only (never the client's Content-Type or extension):
 * `file-type`'s magic numbers, then text (UTF-8 without NUL), where markup (HTML, SVG) is
 * recognised so it can be denied or kept from ever rendering inline; anything else is opaque.
 */
export async function sniff(head: Buffer): Promise<Sniffed> {
  const found = await fileTypeFromBuffer(head);
  if (found) {
    if (found.mime === 'application/xml' || found.ext === 'xml') return markup(head) ?? { mime: 'application/xml', ext: 'xml' };
    return { mime: found.mime, ext: found.ext };
  }
  if (isText(head)) return markup(head) ?? { mime: 'text/plain', ext: 'txt' };
  return { mime: 'application/octet-stream', ext: 'bin' };
}

function markup(head: Buffer): Sniffed | null {
  const text = head.toString('utf8');
  if (/<svg\b/i.test(text) && SCRIPTY.test(text)) return { mime: 'image/svg+xml', ext: 'svg' };
  if (SCRIPTY.test(text)) return { mime: 'text/html', ext: 'html' };
  return null;
}

function isText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  // A multi-byte character may be cut at the end of the sniffed window.
  const slice = head.length >= SNIFF_BYTES ? head.subarray(0, head.length - 4) : head;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(slice);
    return true;
  } catch {
    return false;
  }
}

const TEXT_EXTENSIONS = new Set(['txt', 'csv', 'log', 'md', 'json', 'yaml', 'yml', 'ini', 'conf', 'tsv', 'eml']);
const SAME = new Map([['jpeg', 'jpg'], ['tiff', 'tif'], ['htm', 'html']]);

/**
 * The display name stored and offered on download: the client's name reduced to a safe base name
 * (no directories, control or reserved characters, bounded length), with the extension of the
 * sniffed type (`invoice.exe` holding a PNG becomes `invoice.png`). Never used as a storage path.
 */
export function safeName(clientName: string | undefined, sniffed: Sniffed): string {
  let base = (clientName ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  base = base.replace(/[\p{Cc}\p{Cf}<>:"|?*]/gu, '').replace(/^[\s.]+|[\s.]+$/g, '');
  const dot = base.lastIndexOf('.');
  let stem = dot > 0 ? base.slice(0, dot) : base;
  const given = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  stem = stem.replace(/[\s.]+$/g, '').slice(0, 120) || 'file';
  let ext = sniffed.ext;
  if (sniffed.mime === 'text/plain' && TEXT_EXTENSIONS.has(given)) ext = given;
  else if ((SAME.get(given) ?? given) === (SAME.get(ext) ?? ext)) ext = given;
  return `${stem}.${ext}`;
}

/** Types a browser may be handed under their own Content-Type (always as an attachment, never inline markup). */
const PASSIVE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif', 'application/pdf', 'application/zip', 'audio/mpeg', 'video/mp4']);

export function servedContentType(mime: string): string {
  if (mime === 'text/plain') return 'text/plain; charset=utf-8';
  return PASSIVE.has(mime) ? mime : 'application/octet-stream';
}

/** `attachment` with an ASCII fallback and the RFC 5987 UTF-8 name. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
