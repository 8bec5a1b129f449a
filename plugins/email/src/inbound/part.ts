import type { EmailPart } from '../part.ts';
import { inboundConfigSchema } from './config.ts';

/** Inbound: mailboxes, parsing, threading, loop protection (to be built). */
export const inboundPart: EmailPart = {
  name: 'inbound',
  configSchema: inboundConfigSchema,
  migrations: [],
  permissions: [],
  events: [],
  register() {},
  init() {},
};
