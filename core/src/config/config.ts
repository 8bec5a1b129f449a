import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TicketOpsError } from '@ticketops/plugin-sdk';
import { createAjv, toDetails } from './ajv.ts';
import { CPU_LIST } from '../sandbox/worker-launch.ts';

export interface PluginConfigEntry {
  /** Package name or path of a module whose default export is a plugin definition. */
  module: string;
  config?: Record<string, unknown>;
}

export interface KernelConfig {
  /** PostgreSQL URL; absent means the embedded database in `dataDir`. */
  databaseUrl?: string;
  /** Hot statements (ticket create) as named prepared statements; turn off behind a pooler in transaction mode (PgBouncer). */
  databasePreparedStatements: boolean;
  dataDir: string;
  port: number;
  host: string;
  logLevel: string;
  /** Largest accepted request body, e.g. `1mb`. */
  bodyLimit: string;
  /**
   * The longest a request may take to arrive, body included (Node's `requestTimeout`): the slowest
   * large upload. The limits that keep slow clients from holding sockets are the next two
   * (`http/body-deadlines.ts`).
   */
  requestTimeoutSeconds: number;
  /** A JSON body must arrive within this (408 otherwise). */
  jsonBodySeconds: number;
  /** A streamed body (an upload) ends when no byte came for this long. */
  streamStallSeconds: number;
  /** Browser origin of the console; cookies are `Secure` when it is https. */
  publicUrl?: string;
  /** Directory of the built admin console (`admin-ui/dist`); absent means the `@ticketops/admin-ui` package's `dist/`. */
  consoleDir?: string;
  session: { idleMinutes: number; absoluteHours: number };
  login: { maxFailuresPerAccount: number; maxFailuresPerAddress: number; windowMinutes: number; maxBlockMinutes: number };
  tickets: {
    /** Closing a parent: `none` (no rule), `require` (children must be solved/closed first), `cascade` (children close too). */
    parentClose: 'none' | 'require' | 'cascade';
    /** Bulk selections up to this size run in the request; larger ones run as background jobs. */
    bulkInlineLimit: number;
    /**
     * Relevance search looks at this many most recent tickets and comments before the whole index;
     * `firstShare` fixes the share of it read first (0 skips the window) instead of estimating it.
     */
    searchWindow: { tickets: number; comments: number; firstShare?: number };
  };
  /**
   * Admin scripts' worker pool (core/src/sandbox): processes, how many runs may wait (in all, per
   * tenant), and how workers are scheduled — `nice` (nice 10: a small share of busy cores, the
   * default) or `idle` (SCHED_IDLE: only cores nothing else wants; the API is never slowed by
   * scripts, but on a host whose cores stay busy scripts can starve and end `timeout`), and the
   * CPUs the workers may use (`workerCpus`, as `taskset -c` takes them, e.g. `2-3`: cores of their
   * own keep hostile scripts off the API's latency entirely).
   */
  sandbox: { workers?: number; queueBound?: number; tenantQueueBound?: number; workerScheduling?: 'nice' | 'idle'; workerCpus?: string };
  plugins: PluginConfigEntry[];
}

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    databaseUrl: { type: 'string', pattern: '^postgres(ql)?://' },
    databasePreparedStatements: { type: 'boolean', default: true },
    dataDir: { type: 'string', minLength: 1, default: '.ticketops' },
    port: { type: 'integer', minimum: 0, maximum: 65535, default: 3000 },
    host: { type: 'string', default: '0.0.0.0' },
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    bodyLimit: { type: 'string', pattern: '^[0-9]+(b|kb|mb)$', default: '1mb' },
    requestTimeoutSeconds: { type: 'integer', minimum: 30, maximum: 86400, default: 3600 },
    jsonBodySeconds: { type: 'integer', minimum: 1, maximum: 600, default: 30 },
    streamStallSeconds: { type: 'integer', minimum: 1, maximum: 3600, default: 60 },
    publicUrl: { type: 'string', format: 'uri' },
    consoleDir: { type: 'string', minLength: 1 },
    session: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        idleMinutes: { type: 'integer', minimum: 1, default: 30 },
        absoluteHours: { type: 'integer', minimum: 1, default: 12 },
      },
    },
    login: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        maxFailuresPerAccount: { type: 'integer', minimum: 1, default: 5 },
        maxFailuresPerAddress: { type: 'integer', minimum: 1, default: 50 },
        windowMinutes: { type: 'integer', minimum: 1, default: 15 },
        maxBlockMinutes: { type: 'integer', minimum: 1, default: 15 },
      },
    },
    tickets: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        parentClose: { enum: ['none', 'require', 'cascade'], default: 'none' },
        bulkInlineLimit: { type: 'integer', minimum: 0, maximum: 10000, default: 200 },
        searchWindow: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            tickets: { type: 'integer', minimum: 1, default: 5000 },
            comments: { type: 'integer', minimum: 1, default: 10000 },
            firstShare: { type: 'number', minimum: 0, maximum: 1 },
          },
        },
      },
    },
    sandbox: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        workers: { type: 'integer', minimum: 1, maximum: 64 },
        queueBound: { type: 'integer', minimum: 1, maximum: 100_000 },
        tenantQueueBound: { type: 'integer', minimum: 1, maximum: 100_000 },
        workerScheduling: { enum: ['nice', 'idle'], default: 'nice' },
        workerCpus: { type: 'string', pattern: CPU_LIST },
      },
    },
    plugins: {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['module'],
        properties: { module: { type: 'string', minLength: 1 }, config: { type: 'object' } },
      },
    },
  },
};

/**
 * Configuration from a JSON file (`TICKETOPS_CONFIG`, default `ticketops.config.json` when present)
 * overlaid by environment variables, validated in one pass so every mistake is listed at once.
 */
/** Overrides as code passes them (tests, embedding): nested ticket settings may be given in part; schema defaults fill the rest. */
export type ConfigOverrides = Partial<Omit<KernelConfig, 'tickets'>> & { tickets?: Partial<KernelConfig['tickets']> };

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): KernelConfig {
  const file = env.TICKETOPS_CONFIG ?? (existsSync('ticketops.config.json') ? 'ticketops.config.json' : undefined);
  let fromFile: Record<string, unknown> = {};
  if (file) {
    try {
      fromFile = JSON.parse(readFileSync(resolve(file), 'utf8'));
    } catch (error) {
      throw new TicketOpsError('invalid_input', `Cannot read config file ${file}: ${(error as Error).message}`);
    }
  }
  const fromEnv: Record<string, unknown> = {};
  if (env.DATABASE_URL) fromEnv.databaseUrl = env.DATABASE_URL;
  if (env.TICKETOPS_DB_PREPARED_STATEMENTS) fromEnv.databasePreparedStatements = !/^(0|false|off|no)$/i.test(env.TICKETOPS_DB_PREPARED_STATEMENTS);
  if (env.TICKETOPS_DATA_DIR) fromEnv.dataDir = env.TICKETOPS_DATA_DIR;
  if (env.PORT) fromEnv.port = Number(env.PORT);
  if (env.HOST) fromEnv.host = env.HOST;
  if (env.LOG_LEVEL) fromEnv.logLevel = env.LOG_LEVEL;
  if (env.TICKETOPS_BODY_LIMIT) fromEnv.bodyLimit = env.TICKETOPS_BODY_LIMIT;
  if (env.TICKETOPS_REQUEST_TIMEOUT_SECONDS) fromEnv.requestTimeoutSeconds = Number(env.TICKETOPS_REQUEST_TIMEOUT_SECONDS);
  if (env.TICKETOPS_PUBLIC_URL) fromEnv.publicUrl = env.TICKETOPS_PUBLIC_URL;
  if (env.TICKETOPS_CONSOLE_DIR) fromEnv.consoleDir = env.TICKETOPS_CONSOLE_DIR;
  if (env.TICKETOPS_PLUGINS !== undefined) {
    fromEnv.plugins = env.TICKETOPS_PLUGINS.split(',').map((m) => m.trim()).filter(Boolean).map((module) => ({ module }));
  }
  const config: Record<string, unknown> = { ...fromFile, ...fromEnv, ...overrides };
  // A nested key: the rest of the file's `sandbox` section stays.
  if ((env.TICKETOPS_SANDBOX_SCHEDULING || env.TICKETOPS_SANDBOX_CPUS) && !(overrides as { sandbox?: unknown }).sandbox) {
    config.sandbox = {
      ...(config.sandbox as object | undefined),
      ...(env.TICKETOPS_SANDBOX_SCHEDULING ? { workerScheduling: env.TICKETOPS_SANDBOX_SCHEDULING } : {}),
      ...(env.TICKETOPS_SANDBOX_CPUS ? { workerCpus: env.TICKETOPS_SANDBOX_CPUS } : {}),
    };
  }
  const validate = createAjv({ useDefaults: true }).compile(schema);
  if (!validate(config)) {
    const details = toDetails(validate.errors, 'config');
    throw new TicketOpsError('invalid_input', `Invalid configuration: ${details.map((d) => `${d.pointer} ${d.message}`).join('; ')}`, { details });
  }
  return config as unknown as KernelConfig;
}
