import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isTicketOpsError } from '@ticketops/plugin-sdk';
import { loadConfig } from '../config/config.ts';
import { startTestKernel } from '../testing/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'ticketops-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('plugins enabled by configuration', () => {
  it('imports the listed modules with their config from the config file', async () => {
    const file = join(dir, 'ticketops.config.json');
    writeFileSync(file, JSON.stringify({ plugins: [{ module: '@ticketops/example-hello-plugin', config: { greeting: 'Ahoy' } }] }));
    const config = loadConfig({ TICKETOPS_CONFIG: file });
    expect(config.plugins).toEqual([{ module: '@ticketops/example-hello-plugin', config: { greeting: 'Ahoy' } }]);
    const t = await startTestKernel({ workers: false, config: { plugins: config.plugins } as never });
    try {
      expect(t.kernel.plugins.map((p) => [p.definition.id, p.config])).toEqual([['hello', { greeting: 'Ahoy', blockedDomains: [] }]]);
    } finally {
      await t.close();
    }
  });

  it('TICKETOPS_PLUGINS lists modules; a module that does not exist is a clear boot error', async () => {
    expect(loadConfig({ TICKETOPS_PLUGINS: 'a, b' }).plugins).toEqual([{ module: 'a' }, { module: 'b' }]);
    const error = await startTestKernel({ workers: false, config: { plugins: [{ module: '@ticketops/no-such-plugin' }] } as never }).catch((e) => e);
    expect(isTicketOpsError(error)).toBe(true);
    expect(error.message).toContain('Cannot load plugin module "@ticketops/no-such-plugin"');
  });

  it('invalid kernel configuration lists every bad key', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: '99999', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
      } catch (e) {
        return e as { details: { pointer: string }[] };
      }
    })();
    expect(error?.details.map((d) => d.pointer).sort()).toEqual(['config/databaseUrl', 'config/logLevel', 'config/port']);
  });
});
