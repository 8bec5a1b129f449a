export interface AutomationConfig {
  /** How often time-based automations look for due tickets (pg-boss cron; one node runs each tick). */
  scanCron: string;
  /** Tickets a time-based automation rule changes per scan at most. */
  scanBatch: number;
  /** Limit violations (timeout, memory, crashed) of one script rule within `quarantineWindowMinutes` that disable it. */
  quarantineAfter: number;
  quarantineWindowMinutes: number;
  /** Runs kept in the execution log, in days. */
  runRetentionDays: number;
}

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    scanCron: { type: 'string', minLength: 9, maxLength: 100, default: '*/5 * * * *' },
    scanBatch: { type: 'integer', minimum: 1, maximum: 5_000, default: 1_000 },
    quarantineAfter: { type: 'integer', minimum: 1, maximum: 1_000, default: 3 },
    quarantineWindowMinutes: { type: 'integer', minimum: 1, maximum: 10_080, default: 60 },
    runRetentionDays: { type: 'integer', minimum: 1, maximum: 3_650, default: 90 },
  },
};
