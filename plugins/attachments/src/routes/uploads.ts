import { type RouteDefinition, defineRoute, respond } from '@ticketops/plugin-sdk';
import { OWNER_PATTERN, parseOwner } from '../owners.ts';
import type { AttachmentService } from '../service.ts';
import { type PresignedRequest, completePresigned, startPresigned } from '../upload/presigned.ts';

const id = { type: 'string', pattern: '^[A-Za-z0-9_]{1,64}$' };
const urlPart = { type: 'object', required: ['partNumber', 'url'], properties: { partNumber: { type: 'integer' }, url: { type: 'string', format: 'uri' } } };

/** Direct-to-S3 uploads: presigned URL(s) first, then `complete` runs the same checks as a streamed upload. */
export function uploadRoutes(service: () => AttachmentService): RouteDefinition[] {
  return [
    defineRoute<unknown, unknown, Omit<PresignedRequest, 'owner'> & { owner?: string }>({
      method: 'post',
      path: '/uploads',
      summary: 'Start a direct-to-S3 upload: presigned PUT URL, or one URL per part for large files (s3 driver only)',
      description:
        'Size and quota are checked against the declared size; the URLs expire after `presigned.expiresSeconds`. PUT the bytes (each part for multipart, keeping each ETag), then call complete. 409 with the disk driver.',
      permission: 'attachments.upload',
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'size'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 255 },
            size: { type: 'integer', minimum: 1 },
            ticketId: id,
            commentId: id,
            owner: { type: 'string', pattern: OWNER_PATTERN, maxLength: 200, description: '`<kind>:<id>` of a registered owner kind (e.g. a knowledge-base article) instead of a ticket' },
          },
        },
        response: {
          201: {
            type: 'object',
            required: ['uploadId', 'method', 'headers', 'expiresAt'],
            properties: {
              uploadId: { type: 'string' },
              method: { const: 'PUT' },
              url: { type: 'string', format: 'uri', description: 'Single PUT (files up to presigned.multipartAboveBytes)' },
              parts: { type: 'array', items: urlPart, description: 'Multipart: PUT each part (partSize bytes, the last one the rest)' },
              partSize: { type: 'integer' },
              headers: { type: 'object', additionalProperties: { type: 'string' } },
              expiresAt: { type: 'string', format: 'date-time' },
            },
          },
        },
      },
      async handler({ scope, body }) {
        const { owner, ...rest } = body;
        return respond(201, await startPresigned(scope, service(), { ...rest, ...(owner ? { owner: parseOwner(owner) } : {}) }));
      },
    }),
    defineRoute<{ id: string }, unknown, { parts?: { partNumber: number; etag: string }[] }>({
      method: 'post',
      path: '/uploads/:id/complete',
      summary: 'Finish a direct-to-S3 upload: verify size, sniff, scan, hash and create the attachment',
      description: 'Same policy as a streamed upload (limits, quotas, allow/deny, antivirus). Any failure removes the uploaded bytes and the upload.',
      permission: 'attachments.upload',
      schema: {
        params: { type: 'object', required: ['id'], properties: { id } },
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            parts: {
              type: 'array',
              maxItems: 10000,
              items: { type: 'object', additionalProperties: false, required: ['partNumber', 'etag'], properties: { partNumber: { type: 'integer', minimum: 1 }, etag: { type: 'string', minLength: 1, maxLength: 200 } } },
            },
          },
        },
      },
      async handler({ scope, params, body }) {
        return respond(201, await completePresigned(scope, service(), params.id, body?.parts));
      },
    }),
  ];
}
