import { type Actor, hasPermission } from '@ticketops/plugin-sdk';
import { PERMISSIONS } from './permissions.ts';

/** What a caller may see of the knowledge base: staff everything, everyone else published public articles. */
export interface Reader {
  /** Sees drafts, archived and internal articles, revisions and ticket links. */
  staff: boolean;
  /** Creates, changes and deletes. */
  writer: boolean;
}

export function readerOf(actor: Actor): Reader {
  const system = actor.kind === 'system';
  const writer = system || hasPermission(actor, PERMISSIONS.write);
  return { writer, staff: writer || hasPermission(actor, PERMISSIONS.readInternal) };
}

/** The SQL condition limiting articles (alias `a`) to what the reader may see; a hidden article is a 404, never a 403. */
export const seenBy = (reader: Reader, alias = 'a') => (reader.staff ? 'true' : `${alias}.state = 'published' and ${alias}.visibility = 'public'`);
