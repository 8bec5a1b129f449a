import { randomUUID } from 'node:crypto';

export * from '@ticketops/plugin-sdk';

/** Plugins make their own prefixed ids; any unique string works as a primary key. */
export const newIdLike = (prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '')}`;
