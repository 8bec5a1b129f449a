import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * Comment bodies are markdown written by people (customers too): rendered to HTML by marked, then
 * sanitized to a small allowlist (no scripts, styles, forms, event handlers, or `javascript:`
 * links), since mail clients differ in what they strip themselves.
 */
const marked = new Marked({ gfm: true, breaks: true, async: false });

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'b', 'em', 'i', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'], td: ['align'], th: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }) },
  disallowedTagsMode: 'discard',
};

/** Sanitizing is most of the cost (~0.4 ms a comment); a comment is often rendered for several events. */
const recent = new Map<string, string>();

export function markdownToHtml(markdown: string): string {
  const cached = recent.get(markdown);
  if (cached !== undefined) return cached;
  const html = sanitizeHtml(marked.parse(markdown) as string, ALLOWED);
  if (recent.size >= 256) recent.delete(recent.keys().next().value as string);
  recent.set(markdown, html);
  return html;
}
