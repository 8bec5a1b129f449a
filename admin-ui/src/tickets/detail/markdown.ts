import DOMPurify from 'dompurify';
import { Marked } from 'marked';

/**
 * Markdown → safe HTML, for the composer's preview and the conversation (part of the ticket
 * detail's chunk, loaded with it, so marked and DOMPurify stay out of the console's first chunk). GitHub-flavoured markdown with
 * line breaks kept; raw HTML in the text is shown as text, and the result is sanitized by DOMPurify
 * to a short list of text tags. Links open in
 * a new tab with `rel="noopener noreferrer nofollow"`; images never load (they become links: a
 * remote image would tell its host who read the message, and the console's CSP forbids it anyway).
 * `@user:<id>` / `@group:<id>` tokens become the names given in `names`.
 *
 * The one exception: a reference to an attachment of this help desk, `![name](attachment:att_…)`,
 * is drawn as the attachment's thumbnail — an image of our own origin, read with the session
 * (`/api/v1/attachments/<id>/thumbnail`), linking to its download — and `[name](attachment:att_…)`
 * as a file chip linking to the download. Nothing else may become an image: the sanitizer keeps an
 * `<img>` only when its `src` is exactly such a thumbnail address.
 */
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const ATTACHMENT_REF = /^attachment:(att_[A-Za-z0-9]{1,60})$/;
const THUMBNAIL_SRC = /^\/api\/v1\/attachments\/att_[A-Za-z0-9]{1,60}\/thumbnail\?size=256$/;
const downloadUrl = (id: string) => `/api/v1/attachments/${id}/content`;

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
    // `[name](attachment:att_…)`: a chip that downloads the file; any other link as marked makes it.
    link({ href, tokens }) {
      const attachment = ATTACHMENT_REF.exec(href);
      if (!attachment) return false;
      const id = attachment[1]!;
      return `<a class="attachment-file" data-attachment="${id}" href="${downloadUrl(id)}">📎 ${this.parser.parseInline(tokens)}</a>`;
    },
    // A markdown image becomes a link to it: nothing is loaded — unless it is one of our attachments.
    image({ href, text }) {
      const attachment = ATTACHMENT_REF.exec(href);
      if (attachment) {
        const id = attachment[1]!;
        return `<a class="attachment-image" data-attachment="${id}" href="${downloadUrl(id)}"><img src="/api/v1/attachments/${id}/thumbnail?size=256" alt="${escapeHtml(text || id)}"></a>`;
      }
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

const ALLOWED_TAGS = ['a', 'img', 'p', 'br', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span'];
const ALLOWED_ATTR = ['href', 'title', 'class', 'data-mention', 'data-attachment', 'start', 'src', 'alt'];

const purify = DOMPurify();
purify.addHook('afterSanitizeAttributes', (node) => {
  // Only our own attachments' thumbnails are images; any other <img> goes (none should get here).
  if (node.tagName === 'IMG' && !THUMBNAIL_SRC.test(node.getAttribute('src') ?? '')) {
    node.remove();
    return;
  }
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

const CONFIG = { ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false, ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|tel:|\/|#)/i };
/** Batches wrap each message in a `<div>`: marked never writes one (raw HTML is shown as text), so the wrappers are the top level. */
const BATCH_CONFIG = { ...CONFIG, ALLOWED_TAGS: [...ALLOWED_TAGS, 'div'], RETURN_DOM_FRAGMENT: true as const };

/** Safe HTML for a message. */
export function renderMarkdown(text: string, names: ReadonlyMap<string, string> = new Map()): string {
  mentionNames = names;
  const html = marked.parse(text) as string;
  return purify.sanitize(html, CONFIG);
}

/**
 * Many messages at once, as `<div class="markdown">` elements ready to insert: one sanitizer pass
 * for all of them instead of one parsed document each (the sanitizer's fixed cost per call is
 * most of its time for short messages), and no second parse by the template engine.
 */
export function renderMarkdownElements(texts: readonly string[], names: ReadonlyMap<string, string> = new Map()): HTMLElement[] {
  mentionNames = names;
  const html = texts.map((text) => `<div>${marked.parse(text) as string}</div>`).join('');
  const wrappers = [...purify.sanitize(html, BATCH_CONFIG).children];
  // Should a message ever break its wrapper, render each alone rather than mix them up.
  if (wrappers.length !== texts.length || wrappers.some((w) => w.tagName !== 'DIV')) return texts.map((text) => markdownElement(renderMarkdown(text, names)));
  for (const wrapper of wrappers) wrapper.className = 'markdown';
  return wrappers as HTMLElement[];
}

function markdownElement(safeHtml: string): HTMLElement {
  const element = document.createElement('div');
  element.className = 'markdown';
  element.innerHTML = safeHtml;
  return element;
}
