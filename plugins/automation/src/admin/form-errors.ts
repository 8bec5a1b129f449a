/** The API's 400 `errors[].pointer` mapped to form paths, so each message shows beside its control. */
import { ApiError } from '@ticketops/admin-ui/plugin-api';

/** Field errors by body path (`/body/conditions/all/0/value` → `conditions/all/0/value`); any other failure is the `''` entry. */
export function fieldErrors(error: unknown): Map<string, string[]> {
  const errors = new Map<string, string[]>();
  const add = (path: string, message: string) => errors.set(path, [...(errors.get(path) ?? []), message]);
  if (error instanceof ApiError && error.errors.length) {
    for (const e of error.errors) add(e.pointer.replace(/^\/(body|query|params)\/?/, ''), e.message);
  } else add('', error instanceof Error ? error.message : String(error));
  return errors;
}

/** The messages for a path and anything under it (`actions/0` also gets `actions/0/tags/1`). */
export function errorsUnder(errors: Map<string, string[]>, path: string): string[] {
  return [...errors].filter(([key]) => key === path || key.startsWith(`${path}/`)).flatMap(([, messages]) => messages);
}

/** Only the messages for exactly this path. */
export const errorsAt = (errors: Map<string, string[]>, path: string): string[] => errors.get(path) ?? [];

/** Messages no control on the form claimed (shown in the form's alert). */
export function unclaimed(errors: Map<string, string[]>, claimed: (path: string) => boolean): string[] {
  return [...errors].filter(([key]) => !claimed(key)).flatMap(([key, messages]) => messages.map((m) => (key ? `${key}: ${m}` : m)));
}
