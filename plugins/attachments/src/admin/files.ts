/**
 * What both panels share: the attachment shape, a ticket's attachments read once and shared by
 * every message of the conversation (read again after the composer linked new ones), the size in
 * words and the kind of file.
 */
import type { ApiClient } from '@ticketops/admin-ui/plugin-api';

export interface Attachment {
  id: string;
  ticketId: string | null;
  commentId: string | null;
  name: string;
  mimeType: string;
  size: number;
  status: 'clean' | 'unscanned' | 'infected';
}

const lists = new Map<string, Promise<Attachment[]>>();
/** Tells the message panels of a ticket that its attachments changed (`detail` is the ticket id). */
export const attachmentChanges = new EventTarget();

/** The ticket's attachments the user may see (`GET /attachments?ticketId=`), one request per ticket for all its messages. */
export function ticketAttachments(api: ApiClient, ticketId: string): Promise<Attachment[]> {
  let pending = lists.get(ticketId);
  if (!pending) {
    pending = api.get<{ items: Attachment[] }>('/attachments', { ticketId }).then((page) => page.items);
    pending.catch(() => lists.delete(ticketId));
    lists.set(ticketId, pending);
  }
  return pending;
}

/** Forgets the ticket's list and tells its message panels to read it again. */
export function attachmentsChanged(ticketId: string): void {
  lists.delete(ticketId);
  attachmentChanges.dispatchEvent(new CustomEvent('changed', { detail: ticketId }));
}

/** Raster types the API makes thumbnails of: only these are inserted as images. */
export const isThumbnailable = (mimeType: string) => /^image\/(png|jpeg|gif|webp)$/.test(mimeType);

export type FileKind = 'image' | 'pdf' | 'archive' | 'audio' | 'video' | 'text' | 'file';

export function fileKind(mimeType: string): FileKind {
  if (mimeType.startsWith('image/')) return 'image';
  if (mimeType === 'application/pdf') return 'pdf';
  if (/zip|x-7z|x-tar|gzip|x-rar|x-bzip/.test(mimeType)) return 'archive';
  if (mimeType.startsWith('audio/')) return 'audio';
  if (mimeType.startsWith('video/')) return 'video';
  if (mimeType.startsWith('text/')) return 'text';
  return 'file';
}

/** "12 kB", "3.4 MB" in the console's language. */
export function formatSize(bytes: number, language: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return new Intl.NumberFormat(language, { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value);
}

/** A markdown reference to the attachment: an image (drawn as its thumbnail) or a link (a file chip). */
export function markdownReference(attachment: Pick<Attachment, 'id' | 'name' | 'mimeType'>): string {
  const name = attachment.name.replace(/[[\]\\]/g, '');
  return isThumbnailable(attachment.mimeType) ? `![${name}](attachment:${attachment.id})` : `[${name}](attachment:${attachment.id})`;
}
