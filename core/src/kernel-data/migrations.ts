import { readdirSync } from 'node:fs';
import type { Migration } from '@ticketops/plugin-sdk';

/**
 * Kernel migrations: one file per migration in ./migrations, named `NNNN-what.ts` and exporting
 * `migration`. Append new files; never edit one that has shipped. Files are discovered so that
 * parallel work never edits a shared list.
 */
export async function loadKernelMigrations(): Promise<Migration[]> {
  const dir = new URL('./migrations/', import.meta.url);
  const files = readdirSync(dir).filter((f) => /^\d{4}-[a-z0-9-]+\.ts$/.test(f)).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const { migration } = (await import(new URL(file, dir).href)) as { migration: Migration };
    if (migration.name !== file.replace(/\.ts$/, '')) throw new Error(`Migration file ${file} must export a migration named "${file.replace(/\.ts$/, '')}"`);
    migrations.push(migration);
  }
  return migrations;
}
