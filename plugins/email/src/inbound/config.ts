import type { JsonSchema } from '@ticketops/plugin-sdk';

/** Inbound mail (IMAP mailboxes, SMTP listener, parsing, threading). Owned by the inbound part. */
export interface InboundConfig {
  enabled: boolean;
}

export const inboundConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    enabled: { type: 'boolean', default: false },
  },
};
