/** Writes `types/ticketops-rules.d.ts` (the kernel capabilities' API for the script editor). */
import { writeFileSync } from 'node:fs';
import { KERNEL_CAPABILITIES, rulesDeclarations } from './declarations.ts';

writeFileSync(new URL('../../types/ticketops-rules.d.ts', import.meta.url), rulesDeclarations(KERNEL_CAPABILITIES));
