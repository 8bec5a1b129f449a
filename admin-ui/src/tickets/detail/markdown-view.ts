import { ContextConsumer } from '@lit/context';
import { type ReactiveController, type ReactiveControllerHost, css, html } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { apiContext } from '../../api/context.ts';
import { renderMarkdown } from './markdown.ts';
import { hasMentions, mentionNames } from './mentions.ts';

/** Styles of rendered messages, shared by the conversation and the composer's preview. */
export const markdownStyles = css`
  .markdown {
    overflow-wrap: anywhere;
  }
  .markdown.plain {
    white-space: pre-wrap;
  }
  .markdown > :first-child {
    margin-top: 0;
  }
  .markdown > :last-child {
    margin-bottom: 0;
  }
  .markdown p,
  .markdown ul,
  .markdown ol,
  .markdown pre,
  .markdown blockquote,
  .markdown table {
    margin: 0 0 var(--wa-space-s);
  }
  .markdown pre,
  .markdown code {
    font-family: var(--wa-font-family-code, monospace);
    font-size: 0.9em;
    background: var(--wa-color-surface-lowered);
    border-radius: var(--wa-border-radius-s);
  }
  .markdown code {
    padding: 0 0.2em;
  }
  .markdown pre {
    padding: var(--wa-space-s);
    overflow-x: auto;
  }
  .markdown blockquote {
    border-left: var(--wa-border-width-l) solid var(--wa-color-surface-border);
    padding-left: var(--wa-space-s);
    color: var(--wa-color-text-quiet);
  }
  .markdown table {
    border-collapse: collapse;
  }
  .markdown th,
  .markdown td {
    border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    padding: var(--wa-space-3xs) var(--wa-space-xs);
  }
  .markdown .mention {
    font-weight: var(--wa-font-weight-semibold);
    color: var(--wa-color-brand-on-quiet);
    background: var(--wa-color-brand-fill-quiet);
    border-radius: var(--wa-border-radius-s);
    padding: 0 0.2em;
  }
  .markdown a {
    color: var(--wa-color-text-link, var(--wa-color-brand-on-quiet));
  }
  .markdown .attachment-image {
    display: inline-block;
  }
  .markdown .attachment-image img {
    display: block;
    max-width: min(16rem, 100%);
    max-height: 16rem;
    border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    border-radius: var(--wa-border-radius-m);
  }
  .markdown .attachment-file {
    display: inline-block;
    padding: 0 var(--wa-space-xs);
    border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    border-radius: var(--wa-border-radius-pill);
    background: var(--wa-color-surface-lowered);
    text-decoration: none;
  }
`;

/**
 * An attachment thumbnail that does not load (not a raster image, gone, or the attachments plugin
 * off) becomes a file chip with its name, still linking to the download.
 */
const thumbnailFailed = {
  capture: true,
  handleEvent(event: Event): void {
    const img = event.target;
    if (!(img instanceof HTMLImageElement)) return;
    const link = img.closest('a.attachment-image');
    if (!link) return;
    link.className = 'attachment-file';
    link.textContent = `📎 ${img.alt}`;
  },
};

/** Puts the thumbnail fallback on a rendered message (the listener catches its images' `error`). */
export function watchThumbnails(element: HTMLElement): HTMLElement {
  element.addEventListener('error', thumbnailFailed, { capture: true });
  return element;
}

/**
 * Renders markdown inside its host's own shadow root (so the message's text is the host's text):
 * `this.#markdown.render(text)` gives the sanitized HTML at once, or — when the text mentions
 * people whose names are not read yet — the plain text until they are (the host re-renders then).
 */
export class MarkdownController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #api: ContextConsumer<typeof apiContext, ReactiveControllerHost & HTMLElement>;
  #asked: string | null = null;
  #rendered: string | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    this.#api = new ContextConsumer(host, { context: apiContext });
    host.addController(this);
  }

  hostConnected(): void {}

  render(text: string) {
    if (text !== this.#asked) {
      this.#asked = text;
      this.#rendered = hasMentions(text) ? null : renderMarkdown(text);
      if (this.#rendered === null) void this.#load(text);
    }
    return this.#rendered === null ? html`<div class="markdown plain">${text}</div>` : html`<div class="markdown" @error=${thumbnailFailed}>${unsafeHTML(this.#rendered)}</div>`;
  }

  async #load(text: string): Promise<void> {
    const names = await mentionNames(this.#api.value!, text);
    if (this.#asked !== text) return;
    this.#rendered = renderMarkdown(text, names);
    this.#host.requestUpdate();
  }
}
