/**
 * The console's service worker, built by `vite.config.ts` into `dist/sw.js` (scope `/admin/`) with
 * the list of the build's files prepended as `PRECACHE` and a `VERSION` naming the cache. It caches
 * the shell — the page, its scripts and styles, icons, manifest — and never an API response:
 *
 * - `/admin/assets/*` (hashed, immutable): from the cache, else the network (and kept).
 * - page loads under `/admin/`: the network first, so a new build is picked up at once; offline,
 *   the cached page (the client-side router then shows the address asked for).
 * - other files under `/admin/` (`plugin-api.js`, plugin modules, icons): the network first, the
 *   cache when offline.
 * - anything else (`/api/…`, other origins): not touched.
 *
 * Written against a few local declarations instead of the WebWorker lib, so the repository's one
 * type check (DOM lib) covers it.
 */
declare const PRECACHE: string[];
declare const VERSION: string;

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response> | Response): void;
}
interface WorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
}

const worker = self as unknown as WorkerScope;
const PREFIX = 'ticketops-shell-';
const CACHE = `${PREFIX}${VERSION}`;
const SHELL = '/admin/';

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => worker.clients.claim()),
  );
});

async function fromCacheFirst(request: Request): Promise<Response> {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await (await caches.open(CACHE)).put(request, response.clone());
  return response;
}

async function fromNetworkFirst(request: Request, fallback?: string): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.ok && !fallback) await (await caches.open(CACHE)).put(request, response.clone());
    return response;
  } catch (error) {
    const cached = (await caches.match(request)) ?? (fallback ? await caches.match(fallback) : undefined);
    if (cached) return cached;
    throw error;
  }
}

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin || !url.pathname.startsWith(SHELL)) return;
  if (request.mode === 'navigate') event.respondWith(fromNetworkFirst(request, SHELL));
  else if (url.pathname.startsWith(`${SHELL}assets/`)) event.respondWith(fromCacheFirst(request));
  else event.respondWith(fromNetworkFirst(request));
});
