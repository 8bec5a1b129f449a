import Handlebars from 'handlebars';
import juice from 'juice';
import { TicketOpsError } from '@ticketops/plugin-sdk';
import { layout } from './layout.ts';

/**
 * An isolated Handlebars environment for admin-written mail templates (the kernel's approach,
 * core/src/tickets/templates/render.ts): only these helpers, no prototype properties or methods,
 * only plain JSON data. The HTML body is HTML-escaped (`{{{comment.html}}}` is sanitized before);
 * subject and text are not. The layout's stylesheet is inlined once per template source by juice,
 * which leaves `{{…}}` alone, so rendering a message is only the Handlebars run.
 */
const env = Handlebars.create();
env.registerHelper('upper', (s: unknown) => String(s ?? '').toUpperCase());
env.registerHelper('lower', (s: unknown) => String(s ?? '').toLowerCase());
env.registerHelper('date', (d: unknown) => {
  const date = d ? new Date(String(d)) : new Date();
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
});
const KNOWN_HELPERS = { upper: true, lower: true, date: true };
export const MAX_TEMPLATE_LENGTH = 20_000;

const RUNTIME = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false, allowCallsToHelperMissing: false };
type Compiled = (data: unknown, options: typeof RUNTIME) => string;
const cache = new Map<string, Compiled>();

function compiled(source: string, mode: 'html' | 'text'): Compiled {
  const key = `${mode}\u0000${source}`;
  let template = cache.get(key);
  if (!template) {
    // Templates are few (kinds × locales × tenants); a full cache just starts over.
    if (cache.size > 2000) cache.clear();
    const text = mode === 'html' ? juice(layout(source)) : source;
    template = env.compile(text, { noEscape: mode === 'text', knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true, strict: false }) as Compiled;
    cache.set(key, template);
  }
  return template;
}

/** Parses a template now, so a broken one is refused when saved, naming the field. */
export function checkTemplate(source: string, pointer: string): void {
  if (source.length > MAX_TEMPLATE_LENGTH) {
    throw new TicketOpsError('invalid_input', 'Template too long', { details: [{ pointer, message: `must be at most ${MAX_TEMPLATE_LENGTH} characters` }] });
  }
  try {
    env.precompile(source, { knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true, strict: false });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] as string;
    throw new TicketOpsError('invalid_input', `Template does not compile: ${message}`, { details: [{ pointer, message }] });
  }
}

/** Plain JSON only: a copy without prototypes, getters or ORM entities. */
const plain = (data: Record<string, unknown>) => JSON.parse(JSON.stringify(data)) as Record<string, unknown>;

export function renderText(source: string, data: Record<string, unknown>): string {
  return compiled(source, 'text')(plain(data), RUNTIME);
}

/** The HTML fragment in the layout, styles inlined, values escaped. */
export function renderHtml(source: string, data: Record<string, unknown>): string {
  return compiled(source, 'html')(plain(data), RUNTIME);
}
