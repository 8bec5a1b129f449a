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

/** Per-tenant settings: what each help desk's admin may change in the console (Plugins screen). */
export interface HelloSettings {
  /** This help desk's greeting; without one, the installation's `greeting`. */
  greeting?: string;
  /** End greetings with "!" rather than ".". */
  exclaim: boolean;
}

export const settingsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    greeting: { type: 'string', title: 'Greeting', description: 'Used instead of the installation’s greeting.', minLength: 1, maxLength: 40 },
    exclaim: { type: 'boolean', title: 'End with "!"', default: true },
  },
};
