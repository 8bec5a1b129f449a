export const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } };

export const userSchema = {
  type: 'object',
  required: ['id', 'email', 'name', 'role'],
  properties: {
    id: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' },
    active: { type: 'boolean' }, createdAt: { type: 'string', format: 'date-time' },
  },
};

export const tokenSchema = {
  type: 'object',
  required: ['id', 'userId', 'name', 'hint'],
  properties: {
    id: { type: 'string' }, userId: { type: 'string' }, name: { type: 'string' }, hint: { type: 'string' },
    expiresAt: { type: ['string', 'null'] }, revokedAt: { type: ['string', 'null'] }, lastUsedAt: { type: ['string', 'null'] }, createdAt: { type: 'string' },
  },
};

export const listOf = (items: object) => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items }, nextCursor: { type: ['string', 'null'] } } });

export const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    cursor: { type: 'string', maxLength: 200 },
  },
};
