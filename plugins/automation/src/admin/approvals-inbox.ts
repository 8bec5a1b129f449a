/** `<to-automation-approvals>` (zone `dashboard.widget`): approval requests waiting for the signed-in user, answered in place. */
import { ContextConsumer, I18nController, LitElement, apiContext, html, t } from '@ticketops/admin-ui/plugin-api';
import { problemText, styles } from './shared.ts';

interface Approval {
  id: string;
  ticketId: string;
  title: string;
  currentStep: number;
  steps: unknown[];
}

export class ToAutomationApprovals extends LitElement {
  static properties = { panel: { attribute: false }, items: { state: true }, message: { state: true } };
  static styles = [styles];

  declare panel: unknown;
  declare items: Approval[];
  declare message: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.items = [];
    this.message = '';
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#read();
  }

  async #read(): Promise<void> {
    try {
      this.items = (await this.#api.value!.get<{ items: Approval[] }>('/automation/approvals', { mine: 'true', state: 'pending' })).items;
    } catch (error) {
      this.message = problemText(error);
    }
  }

  async #decide(approval: Approval, decision: 'approved' | 'rejected'): Promise<void> {
    try {
      await this.#api.value!.post(`/automation/approvals/${encodeURIComponent(approval.id)}/decision`, { decision });
      await this.#read();
    } catch (error) {
      this.message = problemText(error);
    }
  }

  render() {
    return html`${this.items.length
        ? html`<table>
            <tbody>
              ${this.items.map(
                (a) => html`<tr>
                  <td><a href="/admin/tickets/${a.ticketId}">${a.title}</a><br /><span class="quiet">${t('automation:step', { n: a.currentStep + 1, of: a.steps.length })}</span></td>
                  <td class="row">
                    <wa-button size="small" variant="success" @click=${() => this.#decide(a, 'approved')}>${t('automation:approve')}</wa-button>
                    <wa-button size="small" variant="danger" appearance="outlined" @click=${() => this.#decide(a, 'rejected')}>${t('automation:reject')}</wa-button>
                  </td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p class="quiet">${t('automation:noApprovals')}</p>`}
      <p role="status" class="problem">${this.message}</p>`;
  }
}

customElements.define('to-automation-approvals', ToAutomationApprovals);
