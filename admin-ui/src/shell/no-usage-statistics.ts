/** Stands in for `@vaadin/vaadin-usage-statistics` (see vite.config.ts): collects and sends nothing. */
export const usageStatistics = (): void => {};
