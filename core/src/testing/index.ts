export { startTestKernel, type TestKernel } from './test-kernel.ts';
export { testDatabaseUrl } from './database.ts';
