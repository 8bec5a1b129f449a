import type { EntityManager } from '@mikro-orm/sql';
import { sql } from '../db.ts';
import type { NotificationKind } from '../notifications.ts';
import { DEFAULT_TEMPLATES, type TemplateSource } from './defaults.ts';

export interface TemplateOverride extends TemplateSource {
  kind: NotificationKind;
  locale: string;
  updatedAt: string;
}

/** A tenant's saved templates (overriding the shipped ones), by `kind/locale`. */
export async function loadOverrides(em: EntityManager, tenantId: string, kinds?: NotificationKind[]): Promise<Map<string, TemplateOverride>> {
  const rows = await sql<{ kind: NotificationKind; locale: string; subject: string; html: string; text: string; updated_at: Date }>(
    em,
    `select kind, locale, subject, html, text, updated_at from email_template where tenant_id = ?${kinds ? ' and kind = any(?::text[])' : ''}`,
    kinds ? [tenantId, `{${kinds.join(',')}}`] : [tenantId],
  );
  return new Map(rows.map((r) => [`${r.kind}/${r.locale}`, { kind: r.kind, locale: r.locale, subject: r.subject, html: r.html, text: r.text, updatedAt: new Date(r.updated_at).toISOString() }]));
}

/**
 * The template for a kind in the wanted locale: the tenant's own, else the shipped one, else
 * the same for the tenant's default locale, else English. `de-AT` falls back to `de`.
 */
export function chooseTemplate(overrides: Map<string, TemplateSource>, kind: NotificationKind, locale: string, defaultLocale: string): { source: TemplateSource; locale: string } {
  const candidates = [locale, locale.slice(0, 2), defaultLocale, defaultLocale.slice(0, 2), 'en'];
  for (const candidate of candidates) {
    const own = overrides.get(`${kind}/${candidate}`);
    if (own) return { source: own, locale: candidate };
    const shipped = DEFAULT_TEMPLATES[kind][candidate];
    if (shipped) return { source: shipped, locale: candidate };
  }
  return { source: DEFAULT_TEMPLATES[kind].en as TemplateSource, locale: 'en' };
}

export const shippedLocales = (kind: NotificationKind): string[] => Object.keys(DEFAULT_TEMPLATES[kind]);
