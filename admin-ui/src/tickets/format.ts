import { i18n } from '../i18n/i18n.ts';
import type { StatusCategory } from '../api/types.ts';

/** Formatters by language and style: making one costs far more than formatting (the ticket list formats a date per drawn row). */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatDate(iso: string | undefined, dateStyle: 'short' | 'medium' = 'medium'): string {
  if (!iso) return '';
  const key = `${i18n.language}|${dateStyle}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(i18n.language, { dateStyle, timeStyle: 'short' });
    formatters.set(key, formatter);
  }
  return formatter.format(new Date(iso));
}

/** Web Awesome badge variant per status category; the status name is always written out too. */
export const CATEGORY_VARIANT: Record<StatusCategory, string> = {
  new: 'warning',
  open: 'danger',
  pending: 'brand',
  'on-hold': 'neutral',
  solved: 'success',
  closed: 'neutral',
};
