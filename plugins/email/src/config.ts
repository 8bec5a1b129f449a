import type { InboundConfig } from './inbound/config.ts';
import type { OutboundConfig } from './outbound/config.ts';

/** Plugin configuration: one section per part (validated by the kernel, defaults applied). */
export interface EmailConfig {
  outbound: OutboundConfig;
  inbound: InboundConfig;
}
