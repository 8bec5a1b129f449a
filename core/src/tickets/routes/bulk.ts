import { type RouteDefinition, TicketOpsError, defineRoute, notFound, respond } from '@ticketops/plugin-sdk';
import type { Kernel } from '../../kernel/kernel.ts';
import { type BulkRequest, applyToChunk, resolveTargets, summarize } from '../bulk/bulk.ts';
import { BULK_CHUNK, bulkJobStatus, startBulkJob } from '../bulk/jobs.ts';
import { listQuerySchema } from './search.ts';

const nullableId = { type: ['string', 'null'], maxLength: 40 };
const tags = { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 50 } };
export const filterSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...Object.fromEntries(['ids', 'status', 'statusCategory', 'priority', 'assigneeId', 'groupId', 'type', 'tag', 'anyTag', 'requesterId', 'organizationId'].map((k) => [k, { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 200 } }])),
    createdFrom: listQuerySchema.properties.createdFrom, createdTo: listQuerySchema.properties.createdTo,
    updatedFrom: listQuerySchema.properties.updatedFrom, updatedTo: listQuerySchema.properties.updatedTo,
    customFields: { type: 'object', maxProperties: 50 },
    q: { type: 'string', maxLength: 500 },
    // Plugin list fields by name; names are checked against the registered fields when the filter runs or is saved.
    fields: {
      type: 'object', maxProperties: 20,
      propertyNames: { pattern: '^[a-z][a-z0-9-]{0,63}\\.[A-Za-z][A-Za-z0-9]{0,62}$' },
      additionalProperties: {
        type: 'object', additionalProperties: false, minProperties: 1,
        properties: Object.fromEntries(['gt', 'gte', 'lt', 'lte'].map((op) => [op, { type: ['string', 'number'], maxLength: 100 }])),
      },
    },
  },
};

export const bulkRoutes = (kernel: Kernel): RouteDefinition[] => [
  defineRoute<unknown, unknown, BulkRequest>({
    method: 'post', path: '/tickets/bulk', summary: 'Change or delete many tickets', tags: ['tickets'], permission: 'tickets.bulk',
    description: [
      'Select tickets by `ids` or a `filter` (same fields as the list endpoint, as arrays); change them with `set`, `addTags`, `removeTags`, or `delete: true`.',
      'Each ticket is validated and changed on its own; the answer lists every ticket as updated, unchanged, deleted or skipped (with the problem).',
      `Selections above the inline limit (config tickets.bulkInlineLimit, default 200) run in the background: 202 with a job id to poll at /tickets/bulk/{jobId} (progress also on the stream).`,
    ].join(' '),
    schema: {
      body: {
        type: 'object', additionalProperties: false,
        oneOf: [{ required: ['ids'] }, { required: ['filter'] }],
        anyOf: [{ required: ['set'] }, { required: ['addTags'] }, { required: ['removeTags'] }, { required: ['delete'] }],
        properties: {
          ids: { type: 'array', minItems: 1, maxItems: 100_000, items: { type: 'string', maxLength: 40 } },
          filter: filterSchema,
          set: {
            type: 'object', additionalProperties: false, minProperties: 1,
            properties: { status: { type: 'string', maxLength: 50 }, priority: { type: 'string', maxLength: 50 }, assigneeId: nullableId, groupId: nullableId, type: { type: ['string', 'null'], maxLength: 100 }, customFields: { type: 'object', maxProperties: 200 } },
          },
          addTags: tags,
          removeTags: tags,
          delete: { const: true },
        },
      },
      response: { 200: { type: 'object' }, 202: { type: 'object', properties: { jobId: { type: 'string' }, total: { type: 'integer' } } } },
    },
    async handler({ scope, body }) {
      if (body.delete && (body.set || body.addTags || body.removeTags)) {
        throw new TicketOpsError('invalid_input', 'delete cannot be combined with changes', { details: [{ pointer: '/body/delete', message: 'must be alone' }] });
      }
      if (body.delete && !scope.actor.permissions.has('*') && !scope.actor.permissions.has('tickets.delete')) {
        throw new TicketOpsError('forbidden', 'Deleting tickets needs the "tickets.delete" permission');
      }
      const ids = await resolveTargets(scope, body, kernel.declarations.listFields);
      if (ids.length > kernel.config.tickets.bulkInlineLimit) {
        const jobId = await startBulkJob(kernel, scope, body, ids);
        return respond(202, { jobId, total: ids.length, state: 'queued' }, { Location: `/api/v1/tickets/bulk/${jobId}` });
      }
      const results = [];
      for (let i = 0; i < ids.length; i += BULK_CHUNK) results.push(...(await applyToChunk(scope, kernel.hooks, ids.slice(i, i + BULK_CHUNK), body)));
      const summary = summarize(results);
      await scope.audit({ action: 'tickets.bulk', targetType: 'ticket', data: { ...summary, background: false } });
      return { summary, results };
    },
  }),
  defineRoute<{ jobId: string }>({
    method: 'get', path: '/tickets/bulk/:jobId', summary: 'Progress and results of a background bulk operation', tags: ['tickets'], permission: 'tickets.bulk',
    schema: { params: { type: 'object', required: ['jobId'], properties: { jobId: { type: 'string', pattern: '^blk_[a-z0-9]+$' } } } },
    async handler({ scope, params }) {
      const status = await bulkJobStatus(scope, params.jobId);
      if (!status) throw notFound('Bulk job');
      return status;
    },
  }),
];
