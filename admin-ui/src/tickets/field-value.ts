import { html } from 'lit';
import { i18n, t } from '../i18n/i18n.ts';
import { formatDate } from './format.ts';
import type { ListField } from './list-query.ts';

/** A column's heading: the console's words for a known field, else the plugin's description. */
export function fieldLabel(field: ListField): string {
  const key = `listColumns:field.${field.name}`;
  return i18n.exists(key) ? t(key) : field.description;
}

/** "25 min", "3 hr", "2 days": the largest unit that fits, rounded. */
function duration(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  const [value, unit] = minutes < 60 ? [minutes, 'minute'] : minutes < 48 * 60 ? [Math.round(minutes / 60), 'hour'] : [Math.round(minutes / 1440), 'day'];
  return new Intl.NumberFormat(i18n.language, { style: 'unit', unit, unitDisplay: 'short' }).format(value);
}

/**
 * A list field's value in a cell. Timestamps read relative to now ("in 25 min"; a due time that has
 * passed "overdue by 3 hr", other past instants "3 hr ago"), with the absolute time in the tooltip
 * and the `datetime` attribute; no value is a dash.
 */
export function renderFieldValue(field: ListField, value: string | number | null | undefined, now: number) {
  if (value === null || value === undefined) return html`<span aria-label=${t('listColumns:none')}>—</span>`;
  if (field.type !== 'timestamp') return html`${typeof value === 'number' ? new Intl.NumberFormat(i18n.language).format(value) : value}`;
  const at = Date.parse(String(value));
  const absolute = formatDate(String(value), 'medium');
  const ms = at - now;
  const overdue = ms < 0 && /Due$/.test(field.name);
  const text = ms >= 0 ? t('listColumns:in', { duration: duration(ms) }) : overdue ? t('listColumns:overdueBy', { duration: duration(-ms) }) : t('listColumns:ago', { duration: duration(-ms) });
  return html`<time class=${overdue ? 'overdue' : ''} datetime=${String(value)} title=${absolute}>${text}<span class="visually-hidden"> (${absolute})</span></time>`;
}
