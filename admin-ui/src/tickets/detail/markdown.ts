import DOMPurify from 'dompurify';
import { Marked } from 'marked';

/**
 * Markdown → safe HTML, for the composer's preview and the conversation (loaded with `import()`,
 * so marked and DOMPurify stay out of the console's first chunk). GitHub-flavoured markdown with
 * line breaks kept; raw HTML in the text is shown as text, and the result is sanitized by DOMPurify
 * to a short list of text tags. Links open in
 * a new tab with `rel="noopener noreferrer nofollow"`; images never load (they become links: a
 * remote image would tell its host who read the message, and the console's CSP forbids it anyway).
 * `@user:<id>` / `@group:<id>` tokens become the names given in `names`.
 */
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The names of the message being rendered (parsing is synchronous, so one at a time). */
let mentionNames: ReadonlyMap<string, string> = new Map();

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    // Raw HTML in a message is shown as text, never parsed as markup; DOMPurify still checks the rest.
    html({ text }) {
      return escapeHtml(text);
    },
    // A markdown image becomes a link to it: nothing is loaded.
    image({ href, text }) {
      return `<a class="image-link" href="${escapeHtml(href)}">🖼 ${escapeHtml(text || href)}</a>`;
    },
  },
  extensions: [
    {
      name: 'mention',
      level: 'inline',
      start: (src: string) => src.match(/@(?:user|group):/)?.index,
      tokenizer(src: string) {
        const found = /^@(user|group):([a-z]+_[a-z0-9]+)/.exec(src);
        return found ? { type: 'mention', raw: found[0], key: `${found[1]}:${found[2]}` } : undefined;
      },
      renderer(token) {
        const key = token.key as string;
        return `<span class="mention" data-mention="${escapeHtml(key)}">@${escapeHtml(mentionNames.get(key) ?? key)}</span>`;
      },
    },
  ],
});

const ALLOWED_TAGS = ['a', 'p', 'br', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span'];
const ALLOWED_ATTR = ['href', 'title', 'class', 'data-mention', 'start'];

const purify = DOMPurify();
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

/** Safe HTML for a message. */
export function renderMarkdown(text: string, names: ReadonlyMap<string, string> = new Map()): string {
  mentionNames = names;
  const html = marked.parse(text) as string;
  return purify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false, ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|tel:|\/|#)/i });
}
