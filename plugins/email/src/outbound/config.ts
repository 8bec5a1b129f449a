import type { JsonSchema } from '@ticketops/plugin-sdk';

export interface Sender {
  /** The From address, e.g. `support@example.com`. */
  address: string;
  /** The From display name, e.g. `Example Support`. */
  name: string;
  /** Base of the tokened Reply-To address (`support+<token>@example.com`); default `address`. */
  replyAddress?: string;
}

/** Outbound mail (SMTP, notifications). Owned by the outbound part. */
export interface OutboundConfig {
  /** Off: no notification is queued or sent (templates and preferences can still be edited). */
  enabled: boolean;
  smtp: {
    host: string;
    port: number;
    /** Implicit TLS (port 465); otherwise STARTTLS is used when the server offers it. */
    secure: boolean;
    /** Refuse to send unless STARTTLS succeeds (for `secure: false`). */
    requireTLS: boolean;
    auth: { user: string; pass: string } | null;
    /** Verify the server certificate (turn off only for a test server). */
    rejectUnauthorized: boolean;
    /** Pooled connections kept open per process. */
    maxConnections: number;
  };
  from: Sender;
  /** Per tenant From / Reply-To, keyed by tenant id; other tenants use `from`. */
  tenants: Record<string, Sender>;
  /** The subject tag; `{number}` is the ticket number (see subject.ts). */
  subjectTag: string;
  defaultLocale: string;
  /** Mailboxes that feed this help desk: never sent to (a notification would come back as mail). */
  ownAddresses: string[];
  /** Sending attempts before an outbox row is marked failed (retries back off up to 5 minutes). */
  maxAttempts: number;
  /** How long an address that bounced gets no mail. */
  bounceSuppressionHours: number;
  /** Right-hand side of Message-IDs; default the domain of the From address. */
  messageIdDomain: string | null;
  /** Link to a ticket in mails, with `{id}` and `{number}` placeholders; none when null. */
  ticketUrl: string | null;
  /** Automatic acknowledgements per address per hour at most (RFC 3834: do not flood a sender). */
  acknowledgementsPerHour: number;
}

const address = { type: 'string', minLength: 3, maxLength: 254, pattern: '^[^\\s@<>,;"]+@[^\\s@<>,;"]+$' };
const sender = {
  type: 'object',
  additionalProperties: false,
  required: ['address'],
  properties: {
    address,
    name: { type: 'string', maxLength: 200, pattern: '^[^\\r\\n]*$', default: 'Support' },
    replyAddress: address,
  },
};

export const outboundConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    enabled: { type: 'boolean', default: false },
    smtp: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        host: { type: 'string', minLength: 1, default: 'localhost' },
        port: { type: 'integer', minimum: 1, maximum: 65535, default: 587 },
        secure: { type: 'boolean', default: false },
        requireTLS: { type: 'boolean', default: false },
        auth: {
          default: null,
          oneOf: [
            { type: 'null' },
            { type: 'object', additionalProperties: false, required: ['user', 'pass'], properties: { user: { type: 'string' }, pass: { type: 'string' } } },
          ],
        },
        rejectUnauthorized: { type: 'boolean', default: true },
        maxConnections: { type: 'integer', minimum: 1, maximum: 50, default: 5 },
      },
    },
    from: { ...sender, default: { address: 'support@localhost', name: 'Support' } },
    tenants: { type: 'object', default: {}, propertyNames: { pattern: '^ten_[a-z0-9]+$' }, additionalProperties: sender },
    subjectTag: { type: 'string', minLength: 8, maxLength: 40, pattern: '^[^\\r\\n]*\\{number\\}[^\\r\\n]*$', default: '[#{number}]' },
    defaultLocale: { type: 'string', pattern: '^[a-z]{2}(-[A-Z]{2})?$', default: 'en' },
    ownAddresses: { type: 'array', items: address, default: [] },
    maxAttempts: { type: 'integer', minimum: 1, maximum: 30, default: 10 },
    bounceSuppressionHours: { type: 'number', minimum: 0, maximum: 8760, default: 72 },
    messageIdDomain: { type: ['string', 'null'], pattern: '^[A-Za-z0-9.-]+$', default: null },
    ticketUrl: { type: ['string', 'null'], pattern: '^https?://', default: null },
    acknowledgementsPerHour: { type: 'integer', minimum: 0, maximum: 1000, default: 5 },
  },
};

/** The sender of a tenant's mail. */
export function senderOf(config: OutboundConfig, tenantId: string): Required<Sender> {
  const s = config.tenants[tenantId] ?? config.from;
  return { address: s.address, name: s.name ?? 'Support', replyAddress: s.replyAddress ?? s.address };
}
