import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { i18n } from './i18n.ts';

/** Re-renders its host when the language changes; every element showing text adds one. */
export class I18nController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #update = () => this.#host.requestUpdate();

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    i18n.on('languageChanged', this.#update);
  }

  hostDisconnected(): void {
    i18n.off('languageChanged', this.#update);
  }
}
