import type { JsonSchema } from '@ticketops/plugin-sdk';

/** The threading steps, tried in the configured order (see docs/email-inbound.md). */
export type ThreadStep = 'references' | 'token' | 'subject';
export const THREAD_STEPS: readonly ThreadStep[] = ['references', 'token', 'subject'];

/** Inbound mail (IMAP mailboxes, SMTP listener, parsing, threading). Owned by the inbound part. */
export interface InboundConfig {
  enabled: boolean;
  limits: {
    /** The whole raw message; larger ones are kept aside (IMAP) or refused while streaming (SMTP 552). */
    maxMessageBytes: number;
    /** The top-level header block (bytes before the first empty line). */
    maxHeaderBytes: number;
    /** MIME parts (counted from boundary lines before parsing). */
    maxParts: number;
    /** Multipart nesting depth. */
    maxDepth: number;
    /** A parse that takes longer is stopped (its worker is ended) and the message kept aside. */
    parseTimeoutMs: number;
  };
  /** Worker threads that parse MIME off the event loop. */
  parseWorkers: number;
  threading: {
    /** After the Message-ID duplicate check (always first): the order of the remaining steps. */
    order: ThreadStep[];
    /** A mail matched to a ticket whose sender is no participant: a new ticket, or kept aside. */
    nonParticipant: 'new-ticket' | 'quarantine';
  };
  /** A sender without an account: made a customer, or the mail is kept aside. */
  unknownSenders: 'create' | 'reject';
  authentication: {
    /** Check DKIM/SPF/DMARC with mailauth (needs DNS) and record the verdict. */
    verify: boolean;
    /** `dmarc`: keep aside mail whose DMARC result is not pass. */
    require: 'none' | 'dmarc';
    /** DNS lookups time out after this long (the verdict is then `temperror`). */
    dnsTimeoutMs: number;
  };
  /** Mails per sender address per hour before further ones are kept aside (across processes). */
  rateLimit: { perSenderPerHour: number };
  smtp: { enabled: boolean; host: string; port: number };
  imap: {
    enabled: boolean;
    /** Seconds between polls when IDLE is not used or between reconnects. */
    pollSeconds: number;
    idle: boolean;
    /** A poller owns its mailbox for this long and renews the lease while it works. */
    leaseSeconds: number;
  };
  /** Hand attachments to the attachments plugin when it is enabled. */
  attachments: boolean;
  /**
   * Raw sources (ingested mail and mail kept aside) are dropped after this many days by an hourly
   * job; the ticket change, the details and the full text stay. Absent: kept.
   */
  rawRetentionDays?: number;
}

const positive = (def: number, max?: number) => ({ type: 'integer', minimum: 1, ...(max ? { maximum: max } : {}), default: def });

export const inboundConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    enabled: { type: 'boolean', default: false },
    limits: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        maxMessageBytes: positive(25 * 1024 * 1024, 1024 * 1024 * 1024),
        maxHeaderBytes: positive(256 * 1024),
        maxParts: positive(1000),
        maxDepth: positive(30, 256),
        parseTimeoutMs: positive(20_000),
      },
    },
    parseWorkers: positive(1, 16),
    threading: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        order: { type: 'array', items: { enum: [...THREAD_STEPS] }, uniqueItems: true, default: [...THREAD_STEPS] },
        nonParticipant: { enum: ['new-ticket', 'quarantine'], default: 'new-ticket' },
      },
    },
    unknownSenders: { enum: ['create', 'reject'], default: 'create' },
    authentication: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        verify: { type: 'boolean', default: false },
        require: { enum: ['none', 'dmarc'], default: 'none' },
        dnsTimeoutMs: positive(3000),
      },
    },
    rateLimit: { type: 'object', additionalProperties: false, default: {}, properties: { perSenderPerHour: positive(60) } },
    smtp: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: 'boolean', default: false },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 2525 },
      },
    },
    imap: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: 'boolean', default: true },
        pollSeconds: positive(60),
        idle: { type: 'boolean', default: true },
        leaseSeconds: positive(60),
      },
    },
    attachments: { type: 'boolean', default: true },
    rawRetentionDays: { type: 'integer', minimum: 1, maximum: 36500 },
  },
};
