import type { AdminPanelDescriptor, AdminZone } from '@ticketops/plugin-sdk/admin.ts';
import type { ApiClient } from '../api/client.ts';

export type { AdminPanelDescriptor, AdminZone };

const lists = new WeakMap<ApiClient, Promise<AdminPanelDescriptor[]>>();

/**
 * The enabled plugins' panels for this user (`GET /console/panels`), asked once per signed-in
 * console. Only the list: no plugin code is loaded here.
 */
export function loadPanels(api: ApiClient): Promise<AdminPanelDescriptor[]> {
  let pending = lists.get(api);
  if (!pending) {
    pending = api.get<{ items: AdminPanelDescriptor[] }>('/console/panels').then((page) => page.items);
    pending.catch(() => lists.delete(api));
    lists.set(api, pending);
  }
  return pending;
}

/** Forget the list (after sign-out: another user may see other panels). */
export function forgetPanels(api: ApiClient): void {
  lists.delete(api);
}

const ELEMENT = /^to-[a-z0-9]+(-[a-z0-9]+)+$/;
const modules = new Map<string, Promise<unknown>>();
/** How long a loaded module may take to define its element before the panel is given up. */
const DEFINE_TIMEOUT_MS = 10_000;

/**
 * Loads a panel's plugin module — once per module, on the first zone that shows one of its
 * panels — and waits until it has defined the panel's element.
 */
export async function loadPanel(panel: AdminPanelDescriptor): Promise<void> {
  if (!ELEMENT.test(panel.element) || !panel.module.startsWith('/admin/plugins/')) throw new Error(`Refusing panel ${panel.element} from ${panel.module}`);
  let pending = modules.get(panel.module);
  if (!pending) {
    pending = import(/* @vite-ignore */ panel.module);
    pending.catch(() => modules.delete(panel.module));
    modules.set(panel.module, pending);
  }
  await pending;
  if (customElements.get(panel.element)) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      customElements.whenDefined(panel.element),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${panel.module} did not define <${panel.element}>`)), DEFINE_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The panel's title in the language, else English. */
export function panelTitle(panel: AdminPanelDescriptor, language: string): string {
  return panel.title[language] ?? panel.title[language.slice(0, 2)] ?? panel.title.en;
}
