/**
 * What a plugin adds to the admin console: panels (custom elements) mounted in zones of the
 * console. This file has no imports, so the console (a browser bundle) reads the zone list from
 * here too: `import { ADMIN_ZONES } from '@ticketops/plugin-sdk/admin.ts'`.
 */

/**
 * The places in the console where plugin panels mount — a closed list; a panel naming any other
 * zone fails the boot. What each zone hands its panels is `AdminPanelContext` below.
 *
 * - `ticket.sidebar`: a section in the ticket detail's sidebar, under the fields.
 * - `ticket.toolbar`: beside the ticket's title (small controls: buttons, badges).
 * - `settings.section`: a section of the settings page (`/admin/settings`).
 * - `nav.main`: an entry in the main navigation (the element renders its own link or button).
 * - `dashboard.widget`: a card on the dashboard (`/admin/dashboard`).
 * - `ticket.composer`: inside the ticket's reply/note composer, under the message field; the panel
 *   gets the ticket and `composer` (insert text into the draft, take part in sending).
 * - `comment.attachments`: under one message of the conversation; the panel gets `comment`.
 * - `page`: a page of its own in the console at `/admin/p/<plugin id>/<path>` (the panel names
 *   its `path`); the rest of the address after it is the panel's `subpath` (e.g. an article id).
 *   Link to it from a `nav.main` panel.
 *
 * The customer portal (`/portal`) has zones of its own, named `portal.…`; its panels are loaded
 * for customers too, so they must only call API routes customers may use:
 * - `portal.home`: a section of the portal's start page (e.g. knowledge-base search).
 * - `portal.composer`: inside the portal's new-request and reply forms; gets `composer` (and
 *   `ticket` when replying), like `ticket.composer`.
 * - `portal.message.attachments`: under one public message of the portal's conversation; gets `comment`.
 */
export const ADMIN_ZONES = [
  'ticket.sidebar',
  'ticket.toolbar',
  'settings.section',
  'nav.main',
  'dashboard.widget',
  'ticket.composer',
  'comment.attachments',
  'page',
  'portal.home',
  'portal.composer',
  'portal.message.attachments',
] as const;
export type AdminZone = (typeof ADMIN_ZONES)[number];

/** A title in English, optionally with translations keyed by language (`{ en: 'Greeting', de: 'Gruß' }`). */
export type AdminText = string | ({ en: string } & Record<string, string>);

export interface AdminPanel {
  /**
   * The custom element's name, `to-<plugin id>-<name>` (e.g. `to-hello-greeting`), defined by the
   * plugin's admin module when it is imported.
   */
  element: string;
  zone: AdminZone;
  /** Shown as the panel's heading (or its accessible name, in `nav.main` and `ticket.toolbar`). */
  title: AdminText;
  /** Only users holding this permission get the panel (and never load the module for it). */
  permission?: string;
  /** Order within the zone, smaller first (default 0; then by plugin id). */
  order?: number;
  /** Zone `page` only: the page's address under `/admin/p/<plugin id>/`, kebab-case (`articles`). */
  path?: string;
}

export interface AdminContribution {
  /**
   * The directory of the plugin's built admin files, as a `file:` URL or an absolute path
   * (`new URL('../dist/admin/', import.meta.url)`). The core serves it at `/admin/plugins/<id>/`.
   */
  assets: string | URL;
  /** The ES module in `assets` that defines every panel's element, e.g. `panels.js`; it may import its own chunks relatively. */
  module: string;
  panels: AdminPanel[];
}

/**
 * What the console sets on a panel element, as the property `panel` (a fresh object whenever
 * anything in it changes, so a Lit element declares `panel: { attribute: false }` and re-renders).
 */
export interface AdminPanelContext {
  zone: AdminZone;
  /** The plugin that declared the panel. */
  pluginId: string;
  /** The panel's title in the console's current language. */
  title: string;
  /** `ticket.sidebar` and `ticket.toolbar`: the ticket shown, kept current from the stream. */
  ticket?: { id: string; number: number; title: string; status: string; priority: string; version: number; [field: string]: unknown };
  /** The console's language (`en`, `de`). */
  language: string;
  /** `ticket.composer`: the composer the panel sits in (the same object for the composer's life). */
  composer?: ComposerHandle;
  /** `page`: what follows the page's own address (`/admin/p/kb/articles/kba_1` → `kba_1`; `''` at the page itself). */
  subpath?: string;
  /** `comment.attachments`: the message the panel sits under (`channel`: how it came in, e.g. `email`, `web`, `api`). */
  comment?: { id: string; ticketId: string; internal: boolean; authorId: string | null; createdAt: string; channel?: string };
}

/** What a `ticket.composer` panel may do with the composer it sits in. */
export interface ComposerHandle {
  /** The composer's form: a panel may listen there for files dropped onto the composer. */
  readonly dropTarget: HTMLElement;
  /** Inserts text at the cursor of the message (e.g. a markdown reference) and keeps the draft. */
  insert(text: string): void;
  /** Takes part in sending the message; returns a function that stops it. */
  participate(participant: ComposerParticipant): () => void;
}

export interface ComposerParticipant {
  /**
   * Runs before the message is sent (e.g. waits for uploads still running). Rejecting with an
   * Error keeps the message unsent and shows the error's message in the composer.
   */
  beforeSend?(): Promise<void>;
  /** Runs once the message exists (e.g. links uploads to it); a rejection is shown, the message stays sent. */
  afterSend?(comment: { id: string; ticketId: string; internal: boolean }): Promise<void>;
}

/** A panel as `GET /api/v1/console/panels` lists it to the console. */
export interface AdminPanelDescriptor {
  plugin: string;
  element: string;
  zone: AdminZone;
  title: { en: string } & Record<string, string>;
  order: number;
  /** URL of the plugin's admin module, under `/admin/plugins/<id>/`. */
  module: string;
  /** Zone `page`: the page's address under `/admin/p/<plugin>/`. */
  path?: string;
}

/** What a `page` panel's `path` must look like. */
export const PAGE_PATH = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The element name a plugin's panel must have: `to-<plugin id>-<name>`. */
export function panelElementPattern(pluginId: string): RegExp {
  return new RegExp(`^to-${pluginId}-[a-z0-9]+(-[a-z0-9]+)*$`);
}
