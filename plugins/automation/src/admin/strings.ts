/** The automation panels' strings, English and German. Keys with dots (`field.comment.body`) are nested, as i18next reads them. */
import { addStrings } from '@ticketops/admin-ui/plugin-api';
import { en } from './strings-en.ts';
import { de } from './strings-de.ts';

/** `{ 'field.comment.body': 'x' }` → `{ field: { comment: { body: 'x' } } }`. */
function nest(flat: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts.at(-1)!] = value;
  }
  return out;
}

addStrings('automation', { en: nest(en), de: nest(de) });
