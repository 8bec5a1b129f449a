import Handlebars from 'handlebars';
import { TicketOpsError } from './errors.ts';

/**
 * Admin-written templates (ticket templates, notification mails, rule notes and replies) render in
 * one isolated Handlebars environment: only the helpers below, no access to prototype properties
 * or methods, no missing-helper calls, and only plain JSON data (a copy, never ORM entities).
 * Compiled templates are cached by source.
 */
const env = Handlebars.create();
env.registerHelper('upper', (s: unknown) => String(s ?? '').toUpperCase());
env.registerHelper('lower', (s: unknown) => String(s ?? '').toLowerCase());
env.registerHelper('date', (d: unknown) => {
  const date = d ? new Date(String(d)) : new Date();
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
});
const KNOWN_HELPERS = { upper: true, lower: true, date: true };
const RUNTIME = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false, allowCallsToHelperMissing: false };
export const MAX_TEMPLATE_LENGTH = 20_000;

type Compiled = (data: unknown, options: typeof RUNTIME) => string;
const cache = new Map<string, Compiled>();

/** Why `source` is not a usable template (too long, does not compile), or null. */
export function templateProblem(source: string): string | null {
  if (source.length > MAX_TEMPLATE_LENGTH) return `must be at most ${MAX_TEMPLATE_LENGTH} characters`;
  try {
    env.precompile(source, { knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true, strict: false });
    return null;
  } catch (error) {
    return `does not compile: ${String((error as Error).message).split('\n')[0]}`;
  }
}

/** Refuses a template that cannot be used, as a 400 naming `pointer` (check when saving). */
export function checkTemplate(source: string, pointer: string): void {
  const problem = templateProblem(source);
  if (problem) throw new TicketOpsError('invalid_input', `Template ${problem}`, { details: [{ pointer, message: problem }] });
}

/**
 * Renders `source` over a plain copy of `data`. `escape: 'html'` HTML-escapes `{{values}}` (for
 * HTML mail); by default nothing is escaped (text, markdown — escaped where it is displayed).
 */
export function renderTemplate(source: string, data: Record<string, unknown>, options: { escape?: 'html' | 'none' } = {}): string {
  const escaping = options.escape ?? 'none';
  const key = `${escaping}\u0000${source}`;
  let template = cache.get(key);
  if (!template) {
    // Templates are few (kinds × locales × tenants); a full cache just starts over.
    if (cache.size > 2000) cache.clear();
    template = env.compile(source, { noEscape: escaping === 'none', knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true, strict: false }) as Compiled;
    cache.set(key, template);
  }
  return template(JSON.parse(JSON.stringify(data)), RUNTIME);
}
