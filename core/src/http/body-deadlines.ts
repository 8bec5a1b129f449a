import type { IncomingMessage } from 'node:http';

/**
 * Time limits on request bodies, by kind of route. Node's `requestTimeout` covers the whole request
 * of every route alike, so it is set long (`requestTimeoutSeconds`, default one hour: a large upload
 * over a slow line); the limits that keep slow clients from holding sockets are these:
 * - a JSON body (at most `bodyLimit`, 1 MB by default) must arrive within `jsonBodySeconds` (30);
 * - a streamed body (a route with `rawBody`, e.g. an upload) may take as long as it keeps moving:
 *   `streamStallSeconds` (60) without a byte ends it.
 */

/** How often a streamed body's progress is looked at (the stall limit is met within this much). */
const STALL_CHECK_MS = 5_000;

/**
 * Runs `onStall` when the request's socket has read no byte for `stallMs`, until the body ends.
 * It looks at the socket's byte count on a timer instead of listening for data, which would
 * switch the body stream to flowing mode under the route reading it.
 */
export function watchStall(req: IncomingMessage, stallMs: number, onStall: () => void, checkMs = Math.min(STALL_CHECK_MS, stallMs / 4)): void {
  const socket = req.socket;
  let seen = socket.bytesRead;
  let quietSince = Date.now();
  const timer = setInterval(() => {
    if (req.complete || req.destroyed) return clearInterval(timer);
    if (socket.bytesRead !== seen) {
      seen = socket.bytesRead;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= stallMs) {
      clearInterval(timer);
      onStall();
    }
  }, checkMs);
  timer.unref();
  req.once('end', () => clearInterval(timer));
  req.once('close', () => clearInterval(timer));
}
