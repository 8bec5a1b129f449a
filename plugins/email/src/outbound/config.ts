import type { JsonSchema } from '@ticketops/plugin-sdk';

/** Outbound mail (SMTP, notifications). Owned by the outbound part. */
export interface OutboundConfig {
  enabled: boolean;
}

export const outboundConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    enabled: { type: 'boolean', default: false },
  },
};
