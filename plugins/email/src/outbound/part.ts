import type { EmailPart } from '../part.ts';
import { outboundConfigSchema } from './config.ts';

/** Outbound: SMTP delivery of notifications and replies (to be built). */
export const outboundPart: EmailPart = {
  name: 'outbound',
  configSchema: outboundConfigSchema,
  migrations: [],
  permissions: [],
  events: [],
  register() {},
  init() {},
};
