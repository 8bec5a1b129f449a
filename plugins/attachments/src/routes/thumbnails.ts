import { Readable } from 'node:stream';
import { type RouteDefinition, defineRoute, respondStream } from '@ticketops/plugin-sdk';
import { type ThumbnailSize, thumbnail } from '../derived/thumbnails.ts';
import type { AttachmentService } from '../service.ts';

const id = { type: 'string', pattern: '^[A-Za-z0-9_]{1,64}$' };

export function thumbnailRoutes(service: () => AttachmentService): RouteDefinition[] {
  return [
    defineRoute<{ id: string }, { size?: string }>({
      method: 'get',
      path: '/:id/thumbnail',
      summary: 'A WebP thumbnail of a PNG, JPEG, GIF or WebP attachment (never SVG), made once and cached',
      description: 'Same visibility as the content. 404 for other types, 409 for an infected file or an image that cannot be thumbnailed (e.g. a canvas over 40 megapixels).',
      permission: 'attachments.read',
      schema: {
        params: { type: 'object', required: ['id'], properties: { id } },
        query: { type: 'object', additionalProperties: false, properties: { size: { enum: ['64', '256'], default: '256' } } },
      },
      async handler({ scope, params, query }) {
        const row = await service().visible(scope, params.id);
        const size = Number(query.size ?? 256) as ThumbnailSize;
        const bytes = await thumbnail(service().store, row, size);
        return respondStream(200, Readable.from([bytes]), {
          'Content-Length': String(bytes.length),
          'Content-Type': 'image/webp',
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy': "default-src 'none'; sandbox",
          'Cache-Control': 'private, max-age=86400',
          ETag: `"${row.sha256}-${size}"`,
        });
      },
    }),
  ];
}
