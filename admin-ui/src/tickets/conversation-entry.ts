import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { apiContext } from '../api/context.ts';
import type { Comment } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { lockIcon, replyIcon } from '../shell/icons.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { formatDate } from './format.ts';
import { userById } from './people.ts';
import { MarkdownController, markdownStyles } from './detail/markdown-view.ts';
import '../plugins/zone.ts';

/**
 * `<to-conversation-entry>`: one message of a ticket. Internal notes look different from public
 * replies — tinted, dashed border, a lock and the words "Internal note" — so that neither colour
 * nor shape alone carries the difference. The body is markdown, rendered sanitized, with mentions
 * shown as names. Plugin panels of the `comment.attachments` zone (the message's files) follow the body.
 */
export class ToConversationEntry extends LitElement {
  static properties = { comment: { attribute: false }, author: { state: true } };
  static styles = [
    sharedStyles,
    markdownStyles,
    css`
      article {
        border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        border-radius: var(--wa-border-radius-l);
        background: var(--wa-color-surface-default);
        padding: var(--wa-space-m);
      }
      article.note {
        border: var(--wa-border-width-m) dashed var(--wa-color-warning-border-loud);
        background: var(--wa-color-warning-fill-quiet);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: var(--wa-space-s);
        margin-bottom: var(--wa-space-s);
      }
      .kind {
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
      .note .kind {
        background: var(--wa-color-warning-fill-loud);
        color: var(--wa-color-warning-on-loud);
      }
      .author {
        font-weight: var(--wa-font-weight-semibold);
      }
      time {
        color: var(--wa-color-text-quiet);
        font-size: var(--wa-font-size-s);
        margin-left: auto;
      }
      .body {
        margin: 0;
      }
    `,
  ];

  declare comment: Comment;
  declare author: string | null;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #markdown = new MarkdownController(this);

  constructor() {
    super();
    this.author = null;
    new I18nController(this);
  }

  updated(changed: Map<string, unknown>): void {
    if (changed.has('comment') && this.comment?.authorId) {
      const id = this.comment.authorId;
      void userById(this.#api.value!, id).then((user) => {
        if (this.comment?.authorId === id) this.author = user?.name ?? id;
      });
    }
  }

  render() {
    const c = this.comment;
    if (!c) return null;
    const note = c.internal;
    return html`<article class=${note ? 'note' : 'reply'} data-kind=${note ? 'note' : 'reply'} aria-label=${note ? t('ticket:internalNote') : t('ticket:publicReply')}>
      <header>
        <span class="kind">${note ? lockIcon : replyIcon} ${note ? t('ticket:internalNote') : t('ticket:publicReply')}</span>
        <span class="author">${c.authorId ? (this.author ?? '…') : t('ticket:system')}</span>
        <time datetime=${c.createdAt}>${formatDate(c.createdAt)}</time>
      </header>
      <div class="body">${this.#markdown.render(c.body)}</div>
      <to-zone zone="comment.attachments" .comment=${c}></to-zone>
    </article>`;
  }
}

customElements.define('to-conversation-entry', ToConversationEntry);

declare global {
  interface HTMLElementTagNameMap {
    'to-conversation-entry': ToConversationEntry;
  }
}
