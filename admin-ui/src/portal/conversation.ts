import { LitElement, css, html } from 'lit';
import type { Comment } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import '../plugins/zone.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { formatWhen } from './format.ts';

/**
 * `<to-portal-conversation .messages=${…} .me=${id}>`: the public conversation, oldest first — the
 * request's description, then each public reply. Bodies are shown as plain text (nothing the
 * sender wrote is ever interpreted as HTML). Under each message the `portal.message.attachments`
 * zone (its files). Internal notes never reach this element: the API leaves them out for
 * customers, and anything marked internal is dropped here too.
 */
export class ToPortalConversation extends LitElement {
  static properties = { messages: { attribute: false }, me: {}, requester: {} };
  static styles = [
    sharedStyles,
    css`
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--wa-space-m);
      }
      article {
        padding: var(--wa-space-m);
        border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        border-radius: var(--wa-border-radius-l);
        background: var(--wa-color-surface-raised);
      }
      article[data-mine] {
        background: var(--wa-color-brand-fill-quiet);
        border-color: var(--wa-color-brand-border-quiet);
      }
      h3 {
        font-size: var(--wa-font-size-s);
        font-weight: var(--wa-font-weight-semibold);
        margin-bottom: var(--wa-space-xs);
      }
      .body {
        margin: 0;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
    `,
  ];

  declare messages: Comment[];
  /** The signed-in customer's id: their messages are "You". */
  declare me: string;
  /** Who opened the request: on a request shared by the customer's organization, a colleague. */
  declare requester: string;

  constructor() {
    super();
    this.messages = [];
    this.me = '';
    this.requester = '';
    new I18nController(this);
  }

  render() {
    return html`<ol>
      ${this.messages
        .filter((message) => !message.internal)
        .map((message) => {
          const mine = message.authorId !== null && message.authorId === this.me;
          // Customers cannot read other users: the requester and staff are named by their part.
          const who = t(mine ? 'portal:request.you' : message.authorId !== null && message.authorId === this.requester ? 'portal:request.requester' : 'portal:request.support');
          return html`<li>
            <article aria-labelledby="by-${message.id}" data-message=${message.id} ?data-mine=${mine}>
              <h3 id="by-${message.id}">${t('portal:request.wrote', { who, when: formatWhen(message.createdAt) })}</h3>
              <p class="body">${message.body}</p>
              <to-zone zone="portal.message.attachments" .comment=${message}></to-zone>
            </article>
          </li>`;
        })}
    </ol>`;
  }
}

customElements.define('to-portal-conversation', ToPortalConversation);
