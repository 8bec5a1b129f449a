import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Where a shortcut works; the `?` overlay groups them so. */
export type ShortcutScope = 'global' | 'list' | 'ticket';

export interface ShortcutInfo {
  /** Keys as pressed: one key (`j`, `/`, `?`, `Enter`) or a sequence separated by a space (`g l`). */
  keys: string[];
  scope: ShortcutScope;
  /** i18n key of the description (namespace `keys`). */
  label: string;
}

/**
 * Every shortcut the console has, as the `?` overlay lists them. The bindings themselves live with
 * the elements that act on them (`ShortcutController`), and are active only while those are.
 */
export const SHORTCUTS: ShortcutInfo[] = [
  { keys: ['/'], scope: 'global', label: 'keys:search' },
  { keys: ['?'], scope: 'global', label: 'keys:help' },
  { keys: ['g l'], scope: 'global', label: 'keys:goList' },
  { keys: ['g d'], scope: 'global', label: 'keys:goDashboard' },
  { keys: ['g s'], scope: 'global', label: 'keys:goSettings' },
  { keys: ['j'], scope: 'list', label: 'keys:next' },
  { keys: ['k'], scope: 'list', label: 'keys:previous' },
  { keys: ['o', 'Enter'], scope: 'list', label: 'keys:open' },
  { keys: ['x'], scope: 'list', label: 'keys:select' },
  { keys: ['r'], scope: 'ticket', label: 'keys:reply' },
  { keys: ['n'], scope: 'ticket', label: 'keys:note' },
  { keys: ['a'], scope: 'ticket', label: 'ticketDetail:keys.assignMe' },
  { keys: ['t'], scope: 'ticket', label: 'ticketDetail:keys.timer' },
  { keys: ['h'], scope: 'ticket', label: 'ticketDetail:keys.history' },
  { keys: ['j'], scope: 'ticket', label: 'ticketDetail:keys.next' },
  { keys: ['k'], scope: 'ticket', label: 'ticketDetail:keys.previous' },
  { keys: ['Ctrl Enter'], scope: 'ticket', label: 'keys:send' },
];

type Handler = (event: KeyboardEvent) => void;

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'password', 'url', 'tel', 'number', 'date', 'datetime-local', 'month', 'time', 'week']);
const TYPING_ROLES = new Set(['textbox', 'combobox', 'listbox', 'searchbox', 'spinbutton', 'option', 'menu', 'menuitem', 'slider']);
const TYPING_ELEMENTS = new Set(['WA-INPUT', 'WA-TEXTAREA', 'WA-SELECT', 'WA-OPTION']);

/** True while the key goes into something being typed in (or a list being picked from): shortcuts stay out of the way. */
export function isTyping(event: KeyboardEvent): boolean {
  for (const node of event.composedPath()) {
    if (!(node instanceof HTMLElement)) continue;
    if (node.isContentEditable || TYPING_ELEMENTS.has(node.tagName)) return true;
    if (node instanceof HTMLTextAreaElement || node instanceof HTMLSelectElement) return true;
    if (node instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(node.type)) return true;
    const role = node.getAttribute('role');
    if (role && TYPING_ROLES.has(role)) return true;
  }
  return false;
}

/** A second key of a sequence (`g` then `l`) must follow within this time. */
const SEQUENCE_MS = 1500;

/**
 * The console's keyboard shortcuts: one `keydown` listener on the document, and bindings that
 * elements add while they are on the page (the latest binding of a key wins, so a page's `Enter`
 * comes before nothing at all). Keys never fire while typing in a field, with Ctrl, Alt or Meta
 * held (those belong to the browser and the system), or while a modal dialog other than the one
 * the binding belongs to is open.
 */
export class Shortcuts {
  readonly #bindings: { keys: Map<string, Handler> }[] = [];
  #prefix: string | null = null;
  #prefixAt = 0;
  /** A modal that, while open, takes every key (the `?` overlay). */
  modalOpen: () => boolean = () => false;
  readonly #onKeydown = (event: KeyboardEvent) => this.handle(event);

  attach(target: Document = document): void {
    target.addEventListener('keydown', this.#onKeydown);
  }

  detach(target: Document = document): void {
    target.removeEventListener('keydown', this.#onKeydown);
  }

  add(keys: Record<string, Handler>): () => void {
    const binding = { keys: new Map(Object.entries(keys)) };
    this.#bindings.push(binding);
    return () => {
      const index = this.#bindings.indexOf(binding);
      if (index >= 0) this.#bindings.splice(index, 1);
    };
  }

  handle(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (this.modalOpen() || isTyping(event)) return;
    const key = event.key;
    if (key === 'Shift') return;
    const now = performance.now();
    const combined = this.#prefix && now - this.#prefixAt < SEQUENCE_MS ? `${this.#prefix} ${key}` : null;
    this.#prefix = null;
    if (combined && this.#run(combined, event)) return;
    // A key that starts a sequence waits for the next one.
    if (this.#starts(key)) {
      this.#prefix = key;
      this.#prefixAt = now;
      event.preventDefault();
      return;
    }
    this.#run(key, event);
  }

  #starts(key: string): boolean {
    return this.#bindings.some((b) => [...b.keys.keys()].some((k) => k.startsWith(`${key} `)));
  }

  #run(key: string, event: KeyboardEvent): boolean {
    for (let i = this.#bindings.length - 1; i >= 0; i--) {
      const handler = this.#bindings[i]!.keys.get(key);
      if (handler) {
        handler(event);
        return true;
      }
    }
    return false;
  }
}

/** The console's one instance (the shell attaches it). */
export const shortcuts = new Shortcuts();

/** Adds an element's key bindings while it is on the page. */
export class ShortcutController implements ReactiveController {
  readonly #keys: Record<string, Handler>;
  #remove: (() => void) | null = null;

  constructor(host: ReactiveControllerHost, keys: Record<string, Handler>) {
    this.#keys = keys;
    host.addController(this);
  }

  hostConnected(): void {
    this.#remove = shortcuts.add(this.#keys);
  }

  hostDisconnected(): void {
    this.#remove?.();
    this.#remove = null;
  }
}
