import { defineEntity, p } from '@ticketops/plugin-sdk';

/** A plugin-owned, tenant-owned table: prefixed with the plugin id, carrying `tenantId`. */
export const Greeting = defineEntity({
  name: 'HelloGreeting',
  tableName: 'hello_greeting',
  properties: {
    id: p.string().primary(),
    tenantId: p.string(),
    userId: p.string().nullable(),
    message: p.string(),
    /** The event that produced it, so a redelivered event adds nothing (idempotent subscriber). */
    sourceEventId: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
