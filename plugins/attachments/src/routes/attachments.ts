import { type RouteDefinition, TicketOpsError, defineRoute, respond, respondStream } from '@ticketops/plugin-sdk';
import { type FileRow, canSeeTicket, seesInternalNotes, toAttachment, visibleFile } from '../access.ts';
import { sql } from '../db.ts';
import { ocrOf } from '../derived/ocr.ts';
import type { AttachmentService } from '../service.ts';
import { blobKey } from '../storage/store.ts';
import { contentDisposition, servedContentType } from '../upload/sniff.ts';
import { parseRange } from './range.ts';

const id = { type: 'string', pattern: '^[A-Za-z0-9_]{1,64}$' };
const attachmentSchema = {
  type: 'object',
  required: ['id', 'name', 'mimeType', 'size', 'status'],
  properties: {
    id: { type: 'string' },
    ticketId: { type: ['string', 'null'] },
    commentId: { type: ['string', 'null'] },
    name: { type: 'string', description: 'Safe display name (server-made, extension of the sniffed type)' },
    originalName: { type: 'string' },
    mimeType: { type: 'string', description: 'Sniffed from the content, never taken from the client' },
    size: { type: 'integer' },
    sha256: { type: 'string' },
    status: { enum: ['clean', 'unscanned', 'infected'] },
    uploadedBy: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
  },
};

const ocrSchema = {
  type: 'object',
  required: ['status'],
  description: 'Text recognised in an image (ocr.enabled): none (not applicable), pending, done (with text), failed',
  properties: { status: { enum: ['none', 'pending', 'done', 'failed'] }, text: { type: 'string' } },
};

export function attachmentRoutes(service: () => AttachmentService): RouteDefinition[] {
  return [
    defineRoute<unknown, { ticketId?: string; commentId?: string }>({
      method: 'post',
      path: '',
      summary: 'Upload one file (multipart/form-data), optionally attached to a ticket or a comment',
      description:
        'Streams the file part to storage while hashing, sniffing and scanning it. 413 when the declared length or the bytes read pass the per-file limit or a quota; 415 for a refused type; 400 for an empty or infected file.',
      permission: 'attachments.upload',
      rawBody: true,
      schema: {
        query: { type: 'object', additionalProperties: false, properties: { ticketId: id, commentId: id } },
        rawBody: {
          'multipart/form-data': { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'Exactly one file part' } } },
        },
        response: { 201: attachmentSchema },
      },
      async handler({ scope, stream, headers, query }) {
        if (!stream) throw new TicketOpsError('internal', 'No request stream');
        const attachment = await service().upload(scope, stream, headers, { ticketId: query.ticketId, commentId: query.commentId });
        return respond(201, attachment);
      },
    }),
    defineRoute<unknown, { ticketId: string }>({
      method: 'get',
      path: '',
      summary: "A ticket's attachments the caller may see",
      permission: 'attachments.read',
      schema: {
        query: { type: 'object', additionalProperties: false, required: ['ticketId'], properties: { ticketId: id } },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: attachmentSchema } } } },
      },
      async handler({ scope, query }) {
        if (!(await canSeeTicket(scope.em, scope.tenantId, scope.actor, query.ticketId))) throw new TicketOpsError('not_found', 'Ticket was not found');
        const rows = await sql<FileRow>(
          scope.em,
          `select f.* from attachments_file f left join comment c on c.id = f.comment_id
            where f.tenant_id = ? and f.ticket_id = ? ${seesInternalNotes(scope.actor) ? '' : 'and (c.id is null or not c.internal)'}
            order by f.created_at, f.id limit 500`,
          [scope.tenantId, query.ticketId],
        );
        return { items: rows.map(toAttachment) };
      },
    }),
    defineRoute<{ id: string }>({
      method: 'get',
      path: '/:id',
      summary: "An attachment's metadata",
      permission: 'attachments.read',
      schema: { params: { type: 'object', required: ['id'], properties: { id } }, response: { 200: { ...attachmentSchema, properties: { ...attachmentSchema.properties, ocr: ocrSchema } } } },
      async handler({ scope, params }) {
        const row = await visibleFile(scope.em, scope.tenantId, scope.actor, params.id);
        return { ...toAttachment(row), ocr: await ocrOf(scope, service().config, row) };
      },
    }),
    defineRoute<{ id: string }>({
      method: 'get',
      path: '/:id/content',
      summary: "An attachment's bytes: always as a download (Content-Disposition: attachment, nosniff), with single byte ranges",
      permission: 'attachments.read',
      schema: { params: { type: 'object', required: ['id'], properties: { id } } },
      async handler({ scope, params, headers }) {
        const row = await visibleFile(scope.em, scope.tenantId, scope.actor, params.id);
        if (row.status === 'infected') throw new TicketOpsError('unexpected_state', 'This attachment is quarantined: the virus scanner found malware in it');
        const size = Number(row.size);
        const common: Record<string, string> = {
          'Content-Type': servedContentType(row.mime),
          'Content-Disposition': contentDisposition(row.name),
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy': "default-src 'none'; sandbox",
          'Cache-Control': 'private, no-store',
          'Accept-Ranges': 'bytes',
          ETag: `"${row.sha256}"`,
          'X-Scan-Status': row.status,
        };
        const ifRange = headers['if-range'];
        const range = typeof ifRange === 'string' && ifRange !== common.ETag ? null : parseRange(headers.range as string | undefined, size);
        if (range === 'unsatisfiable') return respond(416, undefined, { ...common, 'Content-Range': `bytes */${size}` });
        const key = blobKey(scope.tenantId, row.sha256);
        const stream = await service().store.read(key, range ?? undefined);
        if (range) {
          return respondStream(206, stream, { ...common, 'Content-Range': `bytes ${range.start}-${range.end}/${size}`, 'Content-Length': String(range.end - range.start + 1) });
        }
        return respondStream(200, stream, { ...common, 'Content-Length': String(size) });
      },
    }),
    defineRoute<{ id: string }, unknown, { ticketId: string; commentId?: string }>({
      method: 'post',
      path: '/:id/link',
      summary: 'Attach one of your unattached uploads to a ticket, optionally to one of its comments',
      permission: 'attachments.upload',
      schema: {
        params: { type: 'object', required: ['id'], properties: { id } },
        body: { type: 'object', additionalProperties: false, required: ['ticketId'], properties: { ticketId: id, commentId: id } },
        response: { 200: attachmentSchema },
      },
      async handler({ scope, params, body }) {
        return service().link(scope, params.id, body);
      },
    }),
    defineRoute<{ id: string }>({
      method: 'delete',
      path: '/:id',
      summary: 'Delete an attachment (its bytes go with the last reference)',
      permission: 'attachments.delete',
      schema: { params: { type: 'object', required: ['id'], properties: { id } } },
      async handler({ scope, params }) {
        await service().remove(scope, params.id);
        return undefined;
      },
    }),
  ];
}
