import { i18n } from '../i18n/i18n.ts';
import type { StatusCategory } from '../api/types.ts';

export function formatDate(iso: string | undefined, dateStyle: 'short' | 'medium' = 'medium'): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(i18n.language, { dateStyle, timeStyle: 'short' }).format(new Date(iso));
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
