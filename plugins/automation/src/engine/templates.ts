import Handlebars from 'handlebars';
import type { ErrorDetail } from '@ticketops/plugin-sdk';

/**
 * Note, reply and notification bodies are Handlebars over plain JSON (the kernel's rules for admin
 * templates): an isolated environment, only these helpers, prototype access off, no escaping
 * (bodies are markdown, escaped where displayed).
 */
const env = Handlebars.create();
env.registerHelper('upper', (s: unknown) => String(s ?? '').toUpperCase());
env.registerHelper('lower', (s: unknown) => String(s ?? '').toLowerCase());
env.registerHelper('date', (d: unknown) => {
  const date = d ? new Date(String(d)) : new Date();
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
});
const KNOWN_HELPERS = { upper: true, lower: true, date: true };
const OPTIONS = { noEscape: true, knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true, strict: false };

export function templateError(source: string, pointer: string): ErrorDetail | null {
  try {
    env.precompile(source, OPTIONS);
    return null;
  } catch (error) {
    return { pointer, message: `does not compile: ${String((error as Error).message).split('\n')[0]}` };
  }
}

const compiled = new Map<string, ReturnType<typeof env.compile>>();

export function render(source: string, data: Record<string, unknown>): string {
  let template = compiled.get(source);
  if (!template) {
    template = env.compile(source, OPTIONS);
    if (compiled.size > 1_000) compiled.clear();
    compiled.set(source, template);
  }
  return template(JSON.parse(JSON.stringify(data)), { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false, allowCallsToHelperMissing: false });
}
