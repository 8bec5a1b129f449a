import { css, html } from 'lit';
import type { Comment } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { lockIcon, replyIcon } from '../shell/icons.ts';
import { formatDate } from './format.ts';
import '../plugins/zone.ts';

/**
 * `<to-conversation-entry>`: one message of a ticket. Internal notes look different from public
 * replies — tinted, dashed border, a lock and the words "Internal note" — so that neither colour
 * nor shape alone carries the difference. The body is markdown, rendered sanitized (by
 * `MessageBodies`, a page of messages in one batch), with mentions shown as names.
 *
 * The entry is drawn by the page in its own shadow root (`renderEntry`), not as a component with a
 * shadow root, styles, controllers and an update cycle of its own: a ticket shows a hundred of
 * them at once, and that machinery was most of the time it took to open one. The element stays as
 * the entry's wrapper, so tests and plugins find messages by it.
 */
export class ToConversationEntry extends HTMLElement {}

customElements.define('to-conversation-entry', ToConversationEntry);

export interface EntryView {
  comment: Comment;
  /** The author's name, null while it is read (the system writes messages without an author). */
  author: string | null;
  /** The rendered body, null until it is ready (the plain text is shown until then). */
  body: HTMLElement | null;
  /** Whether plugin panels of the `comment.attachments` zone (the message's files) follow the body. */
  panels: boolean;
}

export function renderEntry({ comment: c, author, body, panels }: EntryView) {
  const note = c.internal;
  const kind = note ? t('ticket:internalNote') : t('ticket:publicReply');
  return html`<to-conversation-entry data-comment=${c.id}>
    <article class=${note ? 'note' : 'reply'} data-kind=${note ? 'note' : 'reply'} aria-label=${kind}>
      <header>
        <span class="kind">${note ? lockIcon : replyIcon} ${kind}</span>
        <span class="author">${c.authorId ? (author ?? '…') : t('ticket:system')}</span>
        <time datetime=${c.createdAt}>${formatDate(c.createdAt)}</time>
      </header>
      <div class="body">${body ?? html`<div class="markdown plain">${c.body}</div>`}</div>
      ${panels ? html`<to-zone zone="comment.attachments" .comment=${c}></to-zone>` : null}
    </article>
  </to-conversation-entry>`;
}

/** Styles of the entries, for the shadow root they are drawn in. */
export const conversationEntryStyles = css`
  to-conversation-entry {
    display: block;
  }
  to-conversation-entry article {
    border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    border-radius: var(--wa-border-radius-l);
    background: var(--wa-color-surface-default);
    padding: var(--wa-space-m);
  }
  to-conversation-entry article.note {
    border: var(--wa-border-width-m) dashed var(--wa-color-warning-border-loud);
    background: var(--wa-color-warning-fill-quiet);
  }
  to-conversation-entry header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: var(--wa-space-s);
    margin-bottom: var(--wa-space-s);
  }
  to-conversation-entry .kind {
    display: inline-flex;
    align-items: center;
    gap: var(--wa-space-3xs);
    font-size: var(--wa-font-size-s);
    font-weight: var(--wa-font-weight-semibold);
    padding: 0 var(--wa-space-xs);
    border-radius: var(--wa-border-radius-pill);
    background: var(--wa-color-neutral-fill-quiet);
    color: var(--wa-color-neutral-on-quiet);
  }
  to-conversation-entry .note .kind {
    background: var(--wa-color-warning-fill-loud);
    color: var(--wa-color-warning-on-loud);
  }
  to-conversation-entry .author {
    font-weight: var(--wa-font-weight-semibold);
  }
  to-conversation-entry time {
    color: var(--wa-color-text-quiet);
    font-size: var(--wa-font-size-s);
    margin-left: auto;
  }
  to-conversation-entry .body {
    margin: 0;
  }
`;

declare global {
  interface HTMLElementTagNameMap {
    'to-conversation-entry': ToConversationEntry;
  }
}
