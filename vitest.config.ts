import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

/** Console tests that drive Debian's Chromium against a real server (page timing varies with machine load). */
const browserE2e = ['test/e2e/console*.test.ts', 'plugins/*/src/**/admin/*.test.ts'];

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', 'test/bench/**'],
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 90_000,
    globalSetup: ['test/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['core/src/**/*.test.ts', 'plugin-sdk/src/**/*.test.ts', 'plugins/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'test/bench/**', '**/*.component.test.ts', ...browserE2e],
          pool: 'forks',
        },
      },
      {
        // The same tests, one retry: a step that waited on an animation of a loaded machine gets a
        // second chance; one that fails twice fails the run.
        extends: true,
        test: { name: 'console-e2e', include: browserE2e, exclude: ['**/node_modules/**'], pool: 'forks', retry: 1 },
      },
      {
        // Console components on their own, in Debian's Chromium (never a downloaded browser).
        extends: true,
        test: {
          name: 'components',
          include: ['admin-ui/src/**/*.component.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: { executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] } }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
