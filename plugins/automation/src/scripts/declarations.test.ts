import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTION_TYPES } from '../model/actions.ts';
import { KERNEL_CAPABILITIES, rulesDeclarations } from './declarations.ts';

describe('ticketops-rules.d.ts', () => {
  it('the shipped file is the generator output for the kernel capabilities (regenerate with `node plugins/automation/src/scripts/write-declarations.ts`)', () => {
    const shipped = readFileSync(new URL('../../types/ticketops-rules.d.ts', import.meta.url), 'utf8');
    expect(shipped).toBe(rulesDeclarations(KERNEL_CAPABILITIES));
  });

  it('declares every action type the host accepts, and the granted capabilities under ctx', () => {
    const text = rulesDeclarations([...KERNEL_CAPABILITIES, { name: 'kb.search', description: 'Search articles', signature: '(q: string) => Promise<string[]>' }]);
    for (const type of ACTION_TYPES) expect(text).toContain(`type: '${type}'`);
    expect(text).toMatch(/readonly kb\?: \{\n {4}\/\*\* Search articles \*\/\n {4}search: \(q: string\) => Promise<string\[\]>;/);
    expect(text).toContain('get: (id: string) => Promise<TicketRecord>;');
  });
});
