/** Small inline icons (stroke drawings, `currentColor`): no icon font or emoji font needed. */
import { svg } from '@ticketops/admin-ui/plugin-api';
import type { FileKind } from './files.ts';

const icon = (body: ReturnType<typeof svg>) =>
  svg`<svg class="icon" viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;

export const paperclipIcon = icon(svg`<path d="M21 11.5l-8.5 8.5a5 5 0 0 1-7-7L14 4.5a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.3-2.4l7.8-7.8"/>`);

const page = svg`<path d="M14 3H6a1 1 0 0 0-1 1v16a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V8z"/><path d="M14 3v5h5"/>`;

export const KIND_ICON: Record<FileKind, ReturnType<typeof icon>> = {
  image: icon(svg`<rect x="3" y="4" width="18" height="16" rx="2"/><circle cx="9" cy="10" r="2"/><path d="M21 17l-5-5-9 8"/>`),
  pdf: icon(svg`${page}<path d="M9 13h6M9 17h6"/>`),
  archive: icon(svg`${page}<path d="M11 6h1M11 9h1M11 12h1M10 15h3v3h-3z"/>`),
  audio: icon(svg`<path d="M9 18V5l11-2v13"/><circle cx="6" cy="18" r="3"/><circle cx="17" cy="16" r="3"/>`),
  video: icon(svg`<rect x="3" y="6" width="13" height="12" rx="2"/><path d="M16 10l5-3v10l-5-3"/>`),
  text: icon(svg`${page}<path d="M9 13h6M9 17h4"/>`),
  file: icon(page),
};
