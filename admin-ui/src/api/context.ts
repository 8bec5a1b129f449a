import { createContext } from '@lit/context';
import type { ApiClient } from './client.ts';
import type { StreamClient } from './stream.ts';
import type { Me } from './types.ts';

/** The REST client, provided once by `<to-app>` to every element below it. */
export const apiContext = createContext<ApiClient>(Symbol('ticketops.api'));

/** The signed-in user (null while signed out), provided by `<to-app>`. */
export const sessionContext = createContext<Me | null>(Symbol('ticketops.session'));

/** True when the user holds the permission, directly, through `*`, or through a `prefix.*` grant. */
export function can(user: Me | null | undefined, permission: string): boolean {
  if (!user) return false;
  const held = user.permissions;
  if (held.includes('*') || held.includes(permission)) return true;
  const parts = permission.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    if (held.includes(`${parts.slice(0, i).join('.')}.*`)) return true;
  }
  return false;
}

/** The realtime stream (`/api/v1/stream`), provided by `<to-app>` and connected while signed in. */
export const streamContext = createContext<StreamClient>(Symbol('ticketops.stream'));
