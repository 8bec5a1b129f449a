import { createAjv, forbiddenKeyErrors } from '@ticketops/plugin-sdk';

/** One validator instance for the plugin: the kernel's kind (JSON Schema 2020-12, every error), no defaults. */
export const ajv = createAjv({ useDefaults: false });

export { toDetails } from '@ticketops/plugin-sdk';

/** Keys that could reach an object's prototype, anywhere in `value`. */
export const hostileKeyErrors = (value: unknown, pointer: string) => forbiddenKeyErrors(value, pointer);
