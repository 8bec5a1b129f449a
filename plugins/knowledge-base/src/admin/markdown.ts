import DOMPurify from 'dompurify';
import { Marked } from 'marked';

/**
 * Article markdown → safe HTML, by the console's rules (admin-ui/src/tickets/detail/markdown.ts,
 * which the plugin API does not export): raw HTML is shown as text, DOMPurify keeps a short list
 * of text tags, links open in a new tab with `rel=noopener noreferrer nofollow`, and nothing from
 * another origin is loaded. Articles differ in one way: `![alt](attachment:att_…)` is drawn at full
 * size from `/api/v1/attachments/<id>/content` (the attachments plugin decides who may read it:
 * customers only the files of published public articles); any other image stays a link.
 */
const ATTACHMENT_REF = /^attachment:(att_[A-Za-z0-9]{1,60})$/;
const CONTENT_SRC = /^\/api\/v1\/attachments\/att_[A-Za-z0-9]{1,60}\/content$/;
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
export const contentUrl = (id: string) => `/api/v1/attachments/${id}/content`;

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    link({ href, tokens }) {
      const attachment = ATTACHMENT_REF.exec(href);
      if (!attachment) return false;
      return `<a class="attachment-file" href="${contentUrl(attachment[1]!)}">📎 ${this.parser.parseInline(tokens)}</a>`;
    },
    image({ href, text }) {
      const attachment = ATTACHMENT_REF.exec(href);
      if (attachment) return `<img class="article-image" src="${contentUrl(attachment[1]!)}" alt="${escapeHtml(text || attachment[1]!)}">`;
      return `<a class="image-link" href="${escapeHtml(href)}">🖼 ${escapeHtml(text || href)}</a>`;
    },
  },
});

const ALLOWED_TAGS = ['a', 'img', 'p', 'br', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span'];
const ALLOWED_ATTR = ['href', 'title', 'class', 'start', 'src', 'alt'];

const purify = DOMPurify();
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'IMG' && !CONTENT_SRC.test(node.getAttribute('src') ?? '')) {
    node.remove();
    return;
  }
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

export function renderArticle(markdown: string): string {
  const html = marked.parse(markdown) as string;
  return purify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false, ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|tel:|\/|#)/i });
}

/** Markdown that shows an uploaded file: an image inline, anything else as a link. */
export const fileMarkdown = (file: { id: string; name: string; mimeType: string }) =>
  /^image\/(png|jpeg|gif|webp)$/.test(file.mimeType) ? `![${file.name.replace(/[[\]]/g, '')}](attachment:${file.id})` : `[${file.name.replace(/[[\]]/g, '')}](attachment:${file.id})`;
