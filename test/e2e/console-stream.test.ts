import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamClient, type StreamMessage, backoff } from '../../admin-ui/src/api/stream.ts';

/**
 * The console's stream client (admin-ui/src/api/stream.ts) on its own, in Node with fake sockets
 * and timers: counted subscriptions, re-subscribing and presence after a reconnect, backoff, the
 * session check when a connection is refused, and pacing below the server's message limit. The
 * browser tests (console-live.test.ts) run it against the real server.
 */
class FakeSocket extends EventTarget {
  readyState = 0;
  readonly sent: any[] = [];
  closed = false;
  readonly url: string;
  constructor(url: string) {
    super();
    this.url = url;
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    this.readyState = 3;
    this.dispatchEvent(new Event('close'));
  }
  /** Server side: accept and say ready. */
  open() {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
    this.receive({ type: 'ready', userId: 'usr_1' });
  }
  receive(message: unknown) {
    this.dispatchEvent(Object.assign(new Event('message'), { data: JSON.stringify(message) }));
  }
  /** Server side: the handshake is refused (no open event). */
  refuse() {
    this.closed = true;
    this.readyState = 3;
    this.dispatchEvent(new Event('close'));
  }
}

let sockets: FakeSocket[];
let alive: boolean;
let client: StreamClient;
let messages: StreamMessage[];
const last = () => sockets.at(-1)!;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'] });
  vi.stubGlobal('window', new EventTarget());
  sockets = [];
  alive = true;
  messages = [];
  client = new StreamClient({
    url: 'ws://console.test/api/v1/stream',
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket as unknown as WebSocket;
    },
    sessionAlive: async () => alive,
  });
  client.on((m) => messages.push(m));
});

afterEach(() => {
  client.stop();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('console stream client', () => {
  it('sends each target once however many elements hold it, and unsubscribes after the last release', async () => {
    const a = client.subscribe({ ticketId: 'tkt_1' });
    const b = client.subscribe({ ticketId: 'tkt_1' });
    client.subscribe({ mine: true });
    client.start();
    expect(client.state).toBe('connecting');
    last().open();
    expect(client.state).toBe('open');
    expect(last().sent).toEqual([
      { type: 'subscribe', ticketId: 'tkt_1' },
      { type: 'subscribe', mine: true },
    ]);
    const confirmed = client.subscribed({ ticketId: 'tkt_1' });
    last().receive({ type: 'subscribed', ticketId: 'tkt_1' });
    await confirmed;
    a();
    a();
    expect(last().sent).toHaveLength(2);
    b();
    expect(last().sent.at(-1)).toEqual({ type: 'unsubscribe', ticketId: 'tkt_1' });
  });

  it('reconnects with backoff after a drop, subscribes and announces presence again, and says so', async () => {
    client.subscribe({ viewId: 'tvw_1' });
    client.start();
    last().open();
    client.setPresence('tkt_1', 'replying');
    expect(last().sent.at(-1)).toEqual({ type: 'presence', ticketId: 'tkt_1', state: 'replying' });

    last().close();
    expect(client.state).toBe('waiting');
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1300);
    expect(sockets).toHaveLength(2);
    last().open();
    expect(last().sent).toEqual([
      { type: 'subscribe', viewId: 'tvw_1' },
      { type: 'presence', ticketId: 'tkt_1', state: 'replying' },
    ]);
    expect(messages.map((m) => m.type)).toEqual(['ready', 'ready', 'stream.reconnected']);
  });

  it('backs off exponentially up to 30 s, with jitter', async () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => backoff(n, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(backoff(1, () => 0)).toBe(750);
    expect(backoff(1, () => 1)).toBe(1250);
    client.start();
    for (let i = 1; i <= 3; i++) {
      last().close();
      await vi.advanceTimersByTimeAsync(backoff(i, () => 0) - 10);
      expect(sockets, `attempt ${i}`).toHaveLength(i);
      await vi.advanceTimersByTimeAsync(backoff(i, () => 1));
      expect(sockets).toHaveLength(i + 1);
      // Never opened: the session is asked each time, and is alive here.
    }
  });

  it('asks about the session when a connection is refused, and stops when it is gone', async () => {
    client.start();
    alive = false;
    last().refuse();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
    expect(client.state).toBe('waiting');
  });

  it('keeps presence alive every 15 s, pings when quiet, and replaces a socket that stays silent', async () => {
    client.start();
    last().open();
    client.setPresence('tkt_1', 'viewing');
    last().sent.length = 0;
    await vi.advanceTimersByTimeAsync(15_000);
    expect(last().sent).toEqual([{ type: 'presence', ticketId: 'tkt_1', state: 'viewing' }]);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(last().sent).toContainEqual({ type: 'ping' });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(last().closed).toBe(true);
    await vi.advanceTimersByTimeAsync(1300);
    expect(sockets).toHaveLength(2);
  });

  it('paces its messages below the server limit of 20 a second', async () => {
    client.start();
    last().open();
    for (let i = 0; i < 40; i++) client.subscribe({ ticketId: `tkt_${i}` });
    expect(last().sent).toHaveLength(12);
    await vi.advanceTimersByTimeAsync(1000);
    expect(last().sent.length).toBeLessThanOrEqual(23);
    await vi.advanceTimersByTimeAsync(3000);
    expect(last().sent).toHaveLength(40);
  });

  it('reconnects at once when the browser is back online', async () => {
    client.start();
    last().open();
    last().close();
    window.dispatchEvent(new Event('online'));
    expect(sockets).toHaveLength(2);
    // The pending backoff timer was dropped: no second socket later.
    await vi.advanceTimersByTimeAsync(5000);
    expect(sockets).toHaveLength(2);
  });
});
