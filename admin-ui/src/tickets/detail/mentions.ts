import type { ApiClient } from '../../api/client.ts';
import { userById } from '../people.ts';
import { loadGroups } from './directory.ts';

/** The `@user:<id>` / `@group:<id>` tokens of the API (core/src/tickets/comments.ts `parseMentions`). */
const TOKEN = /@(user|group):([a-z]+_[a-z0-9]+)/g;

/** Whether `text` holds mention tokens (their names must be read before it is rendered). */
export const hasMentions = (text: string) => /@(?:user|group):[a-z]+_[a-z0-9]/.test(text);

/** Names for the mention tokens in `text`, keyed `user:<id>` / `group:<id>` (unknown ones are left out). */
export async function mentionNames(api: ApiClient, text: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const found = [...text.matchAll(TOKEN)];
  if (!found.length) return names;
  const groups = found.some((m) => m[1] === 'group') ? await loadGroups(api) : [];
  await Promise.all(
    found.map(async ([, kind, id]) => {
      const name = kind === 'user' ? (await userById(api, id!))?.name : groups.find((g) => g.id === id)?.name;
      if (name) names.set(`${kind}:${id}`, name);
    }),
  );
  return names;
}

/** A mention the composer inserted: shown as `@Name` while writing, sent as the token. */
export interface PickedMention {
  label: string;
  token: string;
}

/** The text as sent: every `@Name` the composer inserted becomes its token (longest names first, so "Ana Agent" wins over "Ana"). */
export function toTokens(text: string, picked: PickedMention[]): string {
  let out = text;
  for (const m of [...picked].sort((a, b) => b.label.length - a.label.length)) out = out.split(`@${m.label}`).join(m.token);
  return out;
}
