import type { Readable } from 'node:stream';
import sharp from 'sharp';
import { TicketOpsError } from '@ticketops/plugin-sdk';
import type { FileRow } from '../access.ts';
import type { BlobStore } from '../storage/store.ts';
import { blobKey, derivedKey } from '../storage/store.ts';

// libvips' operation cache holds decoded images between calls; thumbnails are cached as blobs instead.
sharp.cache(false);

export const THUMBNAIL_SIZES = [64, 256] as const;
export type ThumbnailSize = (typeof THUMBNAIL_SIZES)[number];

/** Raster formats thumbnails are made of — never SVG (a script-capable document, and a renderer's attack surface). */
export const RASTER = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const RASTER_FORMATS = new Set(['png', 'jpeg', 'gif', 'webp']);

/** Largest source image accepted, in pixels: a small file declaring a huge canvas (a decompression bomb) is refused unread. */
export const MAX_INPUT_PIXELS = 40_000_000;
const MAX_SOURCE_BYTES = 50 * 1024 * 1024;

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Scales an image to fit `size`×`size` (never enlarged), first frame only, EXIF orientation applied, as WebP. */
export async function makeThumbnail(source: Buffer, size: ThumbnailSize): Promise<Buffer> {
  try {
    // The header is read first: a canvas past MAX_INPUT_PIXELS is refused before any pixel is decoded.
    const image = sharp(source, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: false, autoOrient: true });
    const meta = await image.metadata();
    if (!meta.format || !RASTER_FORMATS.has(meta.format)) throw new Error(`not a raster image (${meta.format})`);
    if ((meta.width ?? 0) * (meta.height ?? 0) > MAX_INPUT_PIXELS) throw new Error('the image is too large');
    return await image.resize(size, size, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
  } catch (error) {
    throw new TicketOpsError('unexpected_state', `No thumbnail can be made of this image: ${(error as Error).message}`);
  }
}

/**
 * The thumbnail of a visible, non-infected raster attachment: read from the derived-blob cache,
 * or made and stored there (concurrent requests may both make it; the last identical write wins).
 */
export async function thumbnail(store: BlobStore, row: FileRow, size: ThumbnailSize): Promise<Buffer> {
  if (row.status === 'infected') throw new TicketOpsError('unexpected_state', 'This attachment is quarantined: the virus scanner found malware in it');
  if (!RASTER.has(row.mime)) throw new TicketOpsError('not_found', 'Only PNG, JPEG, GIF and WebP images have thumbnails');
  const key = derivedKey(row.tenant_id, row.sha256, `thumb-${size}`);
  if (await store.exists(key)) return drain(await store.read(key));
  // sharp decodes from memory; larger sources get no thumbnail rather than a big buffer.
  if (Number(row.size) > MAX_SOURCE_BYTES) throw new TicketOpsError('unexpected_state', 'No thumbnail is made of images over 50 MiB');
  const bytes = await makeThumbnail(await drain(await store.read(blobKey(row.tenant_id, row.sha256))), size);
  const staged = await store.stage();
  try {
    await staged.write(bytes);
    await staged.finish();
    await store.commit(staged, key);
  } finally {
    await staged.abort().catch(() => undefined);
  }
  return bytes;
}
