import type { StatusCategory } from '../api/types.ts';
import { i18n, t } from '../i18n/i18n.ts';

/** "30 Nov 2026, 09:12" in the portal's language. */
export function formatWhen(iso: string | undefined): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** What a status means to the customer (by its category: status names are the help desk's own). */
export const statusLabel = (category: StatusCategory): string => t(`portal:status.${category}`);

/** Open for the customer: anything not solved or closed. */
export const OPEN_CATEGORIES: StatusCategory[] = ['new', 'open', 'pending', 'on-hold'];
export const CLOSED_CATEGORIES: StatusCategory[] = ['solved', 'closed'];
