import EmailReplyParser from 'email-reply-parser';

/**
 * The text of a mail as a comment: HTML turned into plain text (nothing of the markup survives, so
 * no script and no remote image can load), then the quoted history and signature cut off. Runs in
 * the parse worker: the reply parser's regular expressions meet hostile text there, under the
 * parse deadline.
 */
const MAX_TEXT_CHARS = 200_000;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return Object.hasOwn(ENTITIES, name.toLowerCase()) ? (ENTITIES[name.toLowerCase()] as string) : whole;
  });
}

/** Plain text from HTML: block ends become line breaks, quoted blocks get `> `, everything else goes. */
export function htmlToText(html: string): string {
  let s = html.slice(0, MAX_TEXT_CHARS * 4);
  s = s.replace(/<(script|style|head|title|template)\b[\s\S]*?<\/\1\s*>/gi, '');
  s = s.replace(/<!--[\s\S]*?-->/g, '');
  // Outlook's and Gmail's quoted history markers: everything after them is history.
  s = s.replace(/<div[^>]*\b(id="?divRplyFwdMsg|class="?gmail_quote)[\s\S]*$/i, '\n');
  s = s.replace(/<blockquote[^>]*>([\s\S]*?)<\/blockquote>/gi, (_, inner: string) => `\n${inner.replace(/<[^>]*>/g, '').split('\n').map((l) => `> ${l}`).join('\n')}\n`);
  s = s.replace(/<br\s*\/?>/gi, '\n');
  s = s.replace(/<\/(p|div|li|tr|h[1-6]|table|ul|ol)\s*>/gi, '\n');
  s = s.replace(/<li\b[^>]*>/gi, '- ');
  s = s.replace(/<[^>]*>/g, '');
  s = decodeEntities(s);
  return s.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** Outlook's plain-text quote header (`From: …` then `Sent: …`), which names no address in brackets. */
const OUTLOOK_HEADER = /^_{0,40}\s*\n?(?:From|Von|De|Van|Da):[^\n]{0,300}\n(?:Sent|Gesendet|Envoyé|Enviado|Verzonden|Inviato|Date):[^\n]{0,300}$/m;

export interface ReplyText {
  /** What the sender wrote: quoted history and signature removed. */
  visible: string;
  /** The whole text, kept so the comment can show it collapsed. */
  full: string;
}

export function replyText(text: string | undefined, html: string | undefined): ReplyText {
  const full = (text?.trim() ? text : html ? htmlToText(html) : '').replace(/\r\n?/g, '\n').slice(0, MAX_TEXT_CHARS);
  let visible = full;
  const outlook = OUTLOOK_HEADER.exec(visible);
  if (outlook) visible = visible.slice(0, outlook.index);
  try {
    visible = new EmailReplyParser().read(visible).getVisibleText();
  } catch {
    // Keep the text as it is: a mail is never lost to the quote stripper.
  }
  visible = visible.trim();
  return { visible: visible || full.trim(), full };
}
