import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveElement } from 'lit';
import { streamContext } from './context.ts';
import type { PresenceState, StreamClient, StreamMessage, StreamState, StreamTarget } from './stream.ts';

const keyOf = (target: StreamTarget): string => ('ticketId' in target ? `ticket:${target.ticketId}` : 'viewId' in target ? `view:${target.viewId}` : 'mine');

/**
 * An element's part of the stream: the targets it listens to (set with `listen`, released when the
 * element leaves the page), a message handler, and optionally a presence it announces while
 * connected. `live` says whether every target is confirmed by the server (the element may show
 * it, and tests wait for it).
 */
export class StreamController implements ReactiveController {
  readonly #host: ReactiveElement;
  readonly #consumer: ContextConsumer<typeof streamContext, ReactiveElement>;
  readonly #onMessage: (message: StreamMessage) => void;
  readonly #onState?: (state: StreamState) => void;
  #targets = new Map<string, StreamTarget>();
  #held = new Map<string, () => void>();
  #off: (() => void)[] = [];
  #connected = false;
  #presence: { ticketId: string; state: PresenceState } | null = null;
  #generation = 0;
  /** True once the server confirmed every current target. */
  live = false;

  constructor(host: ReactiveElement, onMessage: (message: StreamMessage) => void, onState?: (state: StreamState) => void) {
    this.#host = host;
    this.#onMessage = onMessage;
    this.#onState = onState;
    // Added before this controller, so the value is there when hostConnected runs.
    this.#consumer = new ContextConsumer(host, { context: streamContext });
    host.addController(this);
  }

  get stream(): StreamClient | undefined {
    return this.#consumer.value;
  }

  /** Replaces the targets: new ones are subscribed, dropped ones released. */
  listen(targets: StreamTarget[]): void {
    this.#targets = new Map(targets.map((t) => [keyOf(t), t]));
    if (this.#connected) this.#sync();
  }

  /** Announces this user's presence on a ticket (null: none); "left" is sent when it changes or the element goes. */
  presence(ticketId: string | null, state: PresenceState = 'viewing'): void {
    const stream = this.stream;
    if (this.#presence && this.#presence.ticketId !== ticketId) stream?.setPresence(this.#presence.ticketId, 'left');
    this.#presence = ticketId ? { ticketId, state } : null;
    if (this.#connected && ticketId) stream?.setPresence(ticketId, state);
  }

  hostConnected(): void {
    const stream = this.stream;
    this.#connected = true;
    if (!stream) return;
    this.#off = [
      stream.on(this.#onMessage),
      stream.onState((state) => {
        // After a reconnect the targets are confirmed again.
        if (state === 'open') this.#sync();
        else if (this.live) {
          this.live = false;
          this.#host.requestUpdate();
        }
        this.#onState?.(state);
      }),
    ];
    this.#sync();
    if (this.#presence) stream.setPresence(this.#presence.ticketId, this.#presence.state);
  }

  hostDisconnected(): void {
    this.#connected = false;
    for (const off of this.#off) off();
    this.#off = [];
    for (const release of this.#held.values()) release();
    this.#held.clear();
    if (this.#presence) this.stream?.setPresence(this.#presence.ticketId, 'left');
    this.live = false;
  }

  #sync(): void {
    const stream = this.stream;
    if (!stream) return;
    for (const [key, release] of this.#held) {
      if (!this.#targets.has(key)) {
        release();
        this.#held.delete(key);
      }
    }
    for (const [key, target] of this.#targets) if (!this.#held.has(key)) this.#held.set(key, stream.subscribe(target));
    const generation = ++this.#generation;
    this.live = false;
    void Promise.all([...this.#targets.values()].map((t) => stream.subscribed(t))).then(() => {
      if (generation !== this.#generation || !this.#connected) return;
      this.live = true;
      this.#host.requestUpdate();
    });
  }
}
