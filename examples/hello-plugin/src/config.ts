export interface HelloConfig {
  greeting: string;
  /** Users with an email at these domains cannot be created (shows a validate-hook veto). */
  blockedDomains: string[];
}

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    greeting: { type: 'string', minLength: 1, maxLength: 40, default: 'Hello' },
    blockedDomains: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9.-]+$' }, default: [] },
  },
};
