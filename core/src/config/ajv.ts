/** The kernel's validators are the SDK's (plugin-sdk/src/validation.ts), so plugins validate alike. */
export { type Ajv, createAjv, toDetails } from '@ticketops/plugin-sdk';
