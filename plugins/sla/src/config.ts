export interface SlaConfig {
  /** How often warnings and breaches due by now are looked for (pg-boss cron; one node runs each tick). */
  escalationCron: string;
}

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    escalationCron: { type: 'string', minLength: 9, maxLength: 100, default: '* * * * *' },
  },
};
