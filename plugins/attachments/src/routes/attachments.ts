import { type RouteDefinition, type Scope, TicketOpsError, defineRoute, respond, respondStream } from '@ticketops/plugin-sdk';
import { type FileRow, canSeeTicket, seesInternalNotes, toAttachment } from '../access.ts';
import { sql } from '../db.ts';
import { ocrOf } from '../derived/ocr.ts';
import { OWNER_PATTERN, parseOwner } from '../owners.ts';
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
    owner: { type: ['string', 'null'], description: 'The owner (`<kind>:<id>`, e.g. `knowledge-base.article:kba_…`) of a file that belongs to another plugin\'s thing' },
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

const owner = { type: 'string', pattern: OWNER_PATTERN, maxLength: 200, description: '`<kind>:<id>` of a registered owner kind, e.g. `knowledge-base.article:kba_…`' };

/** An owner's files, when its kind lets the caller read them (else 404; an unknown kind 400). */
async function ownerFiles(scope: Scope, service: AttachmentService, raw: string): Promise<FileRow[]> {
  const target = parseOwner(raw);
  const kind = service.owners.get(target.kind);
  if (!kind) throw new TicketOpsError('invalid_input', `No enabled plugin keeps files for "${target.kind}"`, { details: [{ pointer: '/query/owner', message: 'is not a known owner kind' }] });
  if (!(await kind.canRead(scope, target.id))) throw new TicketOpsError('not_found', 'Owner was not found');
  return sql<FileRow>(scope.em, 'select * from attachments_file where tenant_id = ? and owner_kind = ? and owner_id = ? order by created_at, id limit 500', [scope.tenantId, target.kind, target.id]);
}

const ocrSchema = {
  type: 'object',
  required: ['status'],
  description: 'Text recognised in an image (ocr.enabled): none (not applicable), pending, done (with text), failed',
  properties: { status: { enum: ['none', 'pending', 'done', 'failed'] }, text: { type: 'string' } },
};

export function attachmentRoutes(service: () => AttachmentService): RouteDefinition[] {
  return [
    defineRoute<unknown, { ticketId?: string; commentId?: string; owner?: string }>({
      method: 'post',
      path: '',
      summary: 'Upload one file (multipart/form-data), optionally attached to a ticket, a comment, or an owner of a registered kind',
      description:
        'Streams the file part to storage while hashing, sniffing and scanning it. 413 when the declared length or the bytes read pass the per-file limit or a quota; 415 for a refused type; 400 for an empty or infected file.',
      permission: 'attachments.upload',
      rawBody: true,
      schema: {
        query: { type: 'object', additionalProperties: false, properties: { ticketId: id, commentId: id, owner } },
        rawBody: {
          'multipart/form-data': { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'Exactly one file part' } } },
        },
        response: { 201: attachmentSchema },
      },
      async handler({ scope, stream, headers, query }) {
        if (!stream) throw new TicketOpsError('internal', 'No request stream');
        const target = { ticketId: query.ticketId, commentId: query.commentId, owner: query.owner ? parseOwner(query.owner) : undefined };
        const attachment = await service().upload(scope, stream, headers, target);
        return respond(201, attachment);
      },
    }),
    defineRoute<unknown, { ticketId?: string; owner?: string }>({
      method: 'get',
      path: '',
      summary: "A ticket's attachments the caller may see, or an owner's (`owner=<kind>:<id>`)",
      permission: 'attachments.read',
      schema: {
        query: { type: 'object', additionalProperties: false, properties: { ticketId: id, owner } },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: attachmentSchema } } } },
      },
      async handler({ scope, query }) {
        if (query.owner && query.ticketId) throw new TicketOpsError('invalid_input', 'Name a ticket or an owner, not both', { details: [{ pointer: '/query/owner', message: 'cannot be combined with ticketId' }] });
        if (query.owner) return { items: (await ownerFiles(scope, service(), query.owner)).map(toAttachment) };
        if (!query.ticketId) throw new TicketOpsError('invalid_input', 'Name a ticket or an owner', { details: [{ pointer: '/query/ticketId', message: 'is required (or owner)' }] });
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
        const row = await service().visible(scope, params.id);
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
        const row = await service().visible(scope, params.id);
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
