import Handlebars from 'handlebars';
import { TicketOpsError } from '@ticketops/plugin-sdk';

/**
 * An isolated Handlebars environment for admin-written templates: only these helpers, no access to
 * prototype properties or methods, and only plain JSON data ever reaches it (never ORM entities).
 * Output is not HTML-escaped: titles are plain text and descriptions markdown, both escaped where
 * they are displayed.
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

/** Parses a template now, so a broken one is refused when saved, naming the field. */
export function checkTemplate(source: string, pointer: string): void {
  if (source.length > MAX_TEMPLATE_LENGTH) throw new TicketOpsError('invalid_input', `Template too long`, { details: [{ pointer, message: `must be at most ${MAX_TEMPLATE_LENGTH} characters` }] });
  try {
    env.precompile(source, { knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true, strict: false });
  } catch (error) {
    throw new TicketOpsError('invalid_input', `Template does not compile: ${(error as Error).message.split('\n')[0]}`, { details: [{ pointer, message: (error as Error).message.split('\n')[0] as string }] });
  }
}

export function render(source: string, data: Record<string, unknown>): string {
  const template = env.compile(source, { noEscape: true, knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true, strict: false });
  return template(JSON.parse(JSON.stringify(data)), { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false, allowCallsToHelperMissing: false });
}
