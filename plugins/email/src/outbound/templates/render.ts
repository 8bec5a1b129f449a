import juice from 'juice';
import { renderTemplate } from '@ticketops/plugin-sdk';
import { layout } from './layout.ts';

/**
 * Mail templates render in the SDK's isolated Handlebars environment (plugin-sdk/src/templates.ts:
 * its helpers only, no prototype access, plain JSON data). The HTML body is HTML-escaped
 * (`{{{comment.html}}}` is sanitized before); subject and text are not. The layout's stylesheet is
 * inlined once per template source by juice, which leaves `{{…}}` alone, so rendering a message is
 * only the Handlebars run.
 */

/** The layout with its stylesheet inlined, per template source (juice is the costly part). */
const inlined = new Map<string, string>();
function htmlSource(source: string): string {
  let html = inlined.get(source);
  if (html === undefined) {
    // Templates are few (kinds × locales × tenants); a full cache just starts over.
    if (inlined.size > 2000) inlined.clear();
    html = juice(layout(source));
    inlined.set(source, html);
  }
  return html;
}

/** `checkTemplate` refuses a broken template when it is saved, naming the field. */
export { checkTemplate, MAX_TEMPLATE_LENGTH } from '@ticketops/plugin-sdk';

export function renderText(source: string, data: Record<string, unknown>): string {
  return renderTemplate(source, data);
}

/** The HTML fragment in the layout, styles inlined, values escaped. */
export function renderHtml(source: string, data: Record<string, unknown>): string {
  return renderTemplate(htmlSource(source), data, { escape: 'html' });
}
