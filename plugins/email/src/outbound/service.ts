import type { Transporter } from 'nodemailer';
import type { PluginInitContext, PluginSettings } from '@ticketops/plugin-sdk';
import type { OutboundConfig } from './config.ts';
import type { EmailSettings } from './settings.ts';
import { createTransport } from './transport.ts';

/**
 * The outbound part's per-process state (`email.outbound`): the pooled SMTP transport, made on
 * first use. `close()` ends the pool's connections (tests, shutdown).
 */
export class OutboundService {
  readonly config: OutboundConfig;
  #transport: Transporter | null = null;
  /** Set in init (runs work as the system actor of any tenant; the requeue schedule needs it). */
  forTenant: PluginInitContext<unknown>['forTenant'] | null = null;
  /** Set in init (runs work as a user, with the kernel's view of their permissions). */
  forUser: PluginInitContext<unknown>['forUser'] | null = null;
  /** Set in init: this plugin's per-tenant settings (the kernel's `settings` service). */
  settings: PluginSettings<EmailSettings> | null = null;

  constructor(config: OutboundConfig) {
    this.config = config;
  }

  transport(): Transporter {
    this.#transport ??= createTransport(this.config);
    return this.#transport;
  }

  close(): void {
    this.#transport?.close();
    this.#transport = null;
  }
}
