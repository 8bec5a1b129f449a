import { html } from 'lit';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&#x2F;': '/' };
const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|#39|#x27|#x2F);/g, (m) => ENTITIES[m] ?? m);

/**
 * A search snippet from the API (hits in `<mark>`, the rest HTML-escaped) rendered without ever
 * handing HTML to the DOM: split on the marks, decode the entities, and let Lit escape the text.
 */
export function renderSnippet(snippet: string) {
  const parts = snippet.split(/(<mark>[\s\S]*?<\/mark>)/g).filter(Boolean);
  return parts.map((part) => (part.startsWith('<mark>') ? html`<mark>${decode(part.slice(6, -7))}</mark>` : decode(part)));
}
