import sharp from 'sharp';
import { crc32 } from 'node:zlib';

/** Big black text on white, rendered from SVG to PNG by sharp: an image OCR must read. */
export async function textImage(text: string): Promise<Buffer> {
  const escaped = text.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="240"><rect width="100%" height="100%" fill="white"/><text x="40" y="150" font-family="DejaVu Sans, Arial, sans-serif" font-size="96" font-weight="bold" fill="black">${escaped}</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A real 8×8 PNG whose header is rewritten to claim a 50,000 × 50,000 canvas (2.5 gigapixels): a decompression bomb. */
export async function pngBomb(): Promise<Buffer> {
  const png = Buffer.from(await sharp({ create: { width: 8, height: 8, channels: 3, background: 'white' } }).png().toBuffer());
  png.writeUInt32BE(50_000, 16);
  png.writeUInt32BE(50_000, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return png;
}
