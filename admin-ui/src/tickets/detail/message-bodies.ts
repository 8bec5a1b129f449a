import type { ApiClient } from '../../api/client.ts';
import type { Comment } from '../../api/types.ts';
import { renderMarkdownElements } from './markdown.ts';
import { watchThumbnails } from './markdown-view.ts';
import { hasMentions, mentionNames } from './mentions.ts';

/**
 * The rendered bodies of a conversation's messages, by comment id. `render(comments)` renders the
 * ones not rendered yet in one batch, synchronously, so a page of messages is drawn in the same
 * frame as the conversation; a message that mentions someone waits for the names (plain text
 * until then) and `changed` is called once it is ready. A body is an element inserted as it is:
 * each message's body lives in one place, its entry.
 */
export class MessageBodies {
  readonly #bodies = new Map<string, { text: string; element: HTMLElement }>();
  readonly #waiting = new Set<string>();
  readonly #api: () => ApiClient;
  readonly #changed: () => void;

  constructor(api: () => ApiClient, changed: () => void) {
    this.#api = api;
    this.#changed = changed;
  }

  /** The body of a comment, or null while it is not rendered (the entry shows the plain text). */
  get(comment: Comment): HTMLElement | null {
    const body = this.#bodies.get(comment.id);
    return body?.text === comment.body ? body.element : null;
  }

  render(comments: readonly Comment[]): void {
    const todo = comments.filter((c) => this.#bodies.get(c.id)?.text !== c.body && !this.#waiting.has(c.id));
    const now = todo.filter((c) => !hasMentions(c.body));
    this.#store(now, new Map());
    for (const comment of todo.filter((c) => hasMentions(c.body))) void this.#withNames(comment);
  }

  clear(): void {
    this.#bodies.clear();
    this.#waiting.clear();
  }

  #store(comments: readonly Comment[], names: ReadonlyMap<string, string>): void {
    if (!comments.length) return;
    const elements = renderMarkdownElements(
      comments.map((c) => c.body),
      names,
    );
    for (const [i, comment] of comments.entries()) this.#bodies.set(comment.id, { text: comment.body, element: watchThumbnails(elements[i]!) });
  }

  async #withNames(comment: Comment): Promise<void> {
    this.#waiting.add(comment.id);
    const names = await mentionNames(this.#api(), comment.body);
    if (!this.#waiting.delete(comment.id)) return;
    this.#store([comment], names);
    this.#changed();
  }
}
