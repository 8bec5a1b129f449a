import type { ReactiveController, ReactiveControllerHost } from 'lit';

export const PORTAL_BASE = '/portal/';

export type PortalRoute = { page: 'home' } | { page: 'requests'; search: URLSearchParams } | { page: 'new' } | { page: 'request'; id: string } | { page: 'not-found' };

/** The portal's addresses, relative to `/portal/`. */
export function match(pathname: string, search: string): PortalRoute {
  const path = pathname.startsWith(PORTAL_BASE) ? pathname.slice(PORTAL_BASE.length).replace(/\/$/, '') : null;
  if (path === null) return { page: 'not-found' };
  if (path === '') return { page: 'home' };
  if (path === 'requests') return { page: 'requests', search: new URLSearchParams(search) };
  if (path === 'requests/new') return { page: 'new' };
  const request = /^requests\/(tkt_[a-z0-9]+)$/.exec(path);
  if (request) return { page: 'request', id: request[1]! };
  return { page: 'not-found' };
}

/** Goes to a portal address without reloading (the router controller re-renders its host). */
export function navigate(href: string, replace = false): void {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/**
 * A router of a few lines (the portal has five pages, all in its bundle): the route follows the
 * address; clicks on same-origin links under `/portal/` (also from inside shadow roots and plugin
 * panels) are taken over with `pushState` unless a modifier asks for a new tab; back and forward
 * work. After a navigation the host's `onNavigated` moves focus to the new page.
 */
export class PortalRouter implements ReactiveController {
  route: PortalRoute;
  readonly #host: ReactiveControllerHost & { onNavigated?(): void };
  readonly #onPop = () => {
    this.route = match(location.pathname, location.search);
    this.#host.requestUpdate();
    this.#host.onNavigated?.();
  };
  readonly #onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement && node.hasAttribute('href'));
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith(PORTAL_BASE)) return;
    event.preventDefault();
    if (url.pathname + url.search !== location.pathname + location.search) navigate(url.pathname + url.search);
  };

  constructor(host: ReactiveControllerHost & { onNavigated?(): void }) {
    this.#host = host;
    this.route = match(location.pathname, location.search);
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('popstate', this.#onPop);
    document.addEventListener('click', this.#onClick);
  }

  hostDisconnected(): void {
    window.removeEventListener('popstate', this.#onPop);
    document.removeEventListener('click', this.#onClick);
  }
}
