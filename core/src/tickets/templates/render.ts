/**
 * Ticket templates render in the SDK's isolated Handlebars environment (shared with plugins'
 * admin-written templates): see plugin-sdk/src/templates.ts.
 */
export { MAX_TEMPLATE_LENGTH, checkTemplate, renderTemplate as render } from '@ticketops/plugin-sdk';
