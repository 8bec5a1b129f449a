import WebSocket from 'ws';
import type { TestKernel } from '../../core/src/testing/index.ts';

/** A stream message as the tests read it (any shape the server sends). */
export type StreamMessage = any;

/**
 * A WebSocket on `/api/v1/stream` that collects every message, with `next` waiting for one matching
 * a predicate; resolves once the server said `ready`. The socket is added to `sockets` so the
 * test's teardown can terminate them all.
 */
export async function connectStream(node: TestKernel, token: string, sockets: WebSocket[], waitMs = 5000) {
  const ws = new WebSocket(`${node.url.replace('http', 'ws')}/api/v1/stream`, { headers: { authorization: `Bearer ${token}` } });
  sockets.push(ws);
  const messages: StreamMessage[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(String(d))));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const next = async (match: (m: StreamMessage) => boolean, ms = waitMs): Promise<StreamMessage> => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const found = messages.find(match);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no matching message; got ${JSON.stringify(messages)}`);
  };
  const send = (m: unknown) => ws.send(JSON.stringify(m));
  await next((m) => m.type === 'ready');
  return { ws, messages, next, send };
}
