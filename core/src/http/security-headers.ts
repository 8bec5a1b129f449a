import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's headers, worked out once at start-up and then set per response in one loop. helmet's
 * options and defaults stay the source of truth; running its thirteen nested middlewares on every
 * request cost more than the route it guarded.
 */
export function securityHeaders(options: HelmetOptions): (res: ServerResponse) => void {
  const headers: [string, string][] = [];
  const recorder = { setHeader: (name: string, value: string) => headers.push([name, String(value)]), removeHeader: () => {} };
  let finished = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => {
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish synchronously; its headers cannot be precomputed');
  return (res) => {
    for (const [name, value] of headers) res.setHeader(name, value);
  };
}

/**
 * JSON API responses carry the OWASP REST Security Cheat Sheet set instead: a browser never renders
 * them as a page, so the document-oriented headers (DNS prefetch, download options, agent clusters…)
 * protect nothing there. `no-store` keeps private data out of shared and browser caches.
 */
const API_HEADERS: [string, string][] = [
  ['Cache-Control', 'no-store'],
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
];

export function apiSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of API_HEADERS) res.setHeader(name, value);
}
