/** JSON schemas shared by the ticket routes (and documented in OpenAPI). */
export const ticketIdParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^tkt_[a-z0-9]+$', maxLength: 40 } } };

const nullableId = { type: ['string', 'null'], maxLength: 40 };
const customFields = { type: 'object', maxProperties: 200 };
const tags = { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 50 } };

export const ticketSchema = {
  type: 'object',
  required: ['id', 'number', 'title', 'status', 'statusCategory', 'priority', 'version'],
  properties: {
    id: { type: 'string' }, number: { type: 'integer' }, title: { type: 'string' }, description: { type: 'string' },
    status: { type: 'string' }, statusCategory: { enum: ['new', 'open', 'pending', 'on-hold', 'solved', 'closed'] }, priority: { type: 'string' },
    type: { type: ['string', 'null'] }, requesterId: nullableId, organizationId: nullableId, assigneeId: nullableId, groupId: nullableId,
    tags: { type: 'array', items: { type: 'string' } }, channel: { type: 'string' }, customFields: { type: 'object' },
    mergedIntoId: nullableId, version: { type: 'integer' }, createdAt: { type: 'string' }, updatedAt: { type: 'string' },
    firstResponseAt: { type: ['string', 'null'] }, solvedAt: { type: ['string', 'null'] }, closedAt: { type: ['string', 'null'] },
    fields: { type: 'object', description: 'Plugin list field values, when asked for with `fields=`', additionalProperties: { type: ['string', 'number', 'null'] } },
  },
};

/** Fields a create and an update share. */
const editable = {
  title: { type: 'string', minLength: 1, maxLength: 500 },
  description: { type: 'string', maxLength: 100_000 },
  status: { type: 'string', maxLength: 50 },
  priority: { type: 'string', maxLength: 50 },
  type: { type: ['string', 'null'], maxLength: 100 },
  tags,
  customFields,
  assigneeId: nullableId,
  groupId: nullableId,
  organizationId: nullableId,
};

export const createTicketBody = {
  type: 'object',
  additionalProperties: false,
  required: ['title'],
  properties: {
    ...editable,
    requester: {
      oneOf: [
        { type: 'string', maxLength: 40 },
        { type: 'object', additionalProperties: false, required: ['email'], properties: { email: { type: 'string', maxLength: 320 }, name: { type: 'string', maxLength: 200 } } },
      ],
    },
    channel: { type: 'string', enum: ['api', 'web', 'email', 'phone', 'chat', 'portal'] },
  },
};

export const updateTicketBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { ...editable, requesterId: { type: 'string', maxLength: 40 }, version: { type: 'integer', minimum: 1 } },
};

export const commentSchema = {
  type: 'object',
  required: ['id', 'ticketId', 'body', 'internal', 'createdAt'],
  properties: {
    id: { type: 'string' }, ticketId: { type: 'string' }, authorId: { type: ['string', 'null'] }, body: { type: 'string' },
    internal: { type: 'boolean' }, channel: { type: 'string' }, createdAt: { type: 'string' },
  },
};
