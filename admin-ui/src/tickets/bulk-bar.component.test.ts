import '@awesome.me/webawesome/dist/components/button/button.js';
import '@awesome.me/webawesome/dist/components/option/option.js';
import '@awesome.me/webawesome/dist/components/select/select.js';
import { html, render } from 'lit';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Priority } from '../api/types.ts';
import { initI18n } from '../i18n/i18n.ts';
import './bulk-bar.ts';
import type { ToBulkBar } from './bulk-bar.ts';

const priorities = [{ name: 'low' }, { name: 'high' }] as Priority[];

async function mount(ids: string[]): Promise<ToBulkBar> {
  const host = document.createElement('div');
  document.body.replaceChildren(host);
  render(html`<to-bulk-bar .ids=${ids} .priorities=${priorities}></to-bulk-bar>`, host);
  const bar = host.querySelector('to-bulk-bar')!;
  await bar.updateComplete;
  return bar;
}

const apply = (bar: ToBulkBar) => bar.shadowRoot!.querySelector<HTMLElement & { disabled: boolean }>('wa-button[variant="brand"]')!;

describe('<to-bulk-bar>', () => {
  beforeAll(async () => {
    await initI18n();
  });

  it('says how many tickets are selected and keeps "Apply" disabled until a priority is chosen', async () => {
    const bar = await mount(['tkt_1', 'tkt_2']);
    expect(bar.shadowRoot!.querySelector('.count')!.textContent).toBe('2 selected');
    expect(apply(bar).disabled).toBe(true);

    const select = bar.shadowRoot!.querySelector<HTMLElement & { value: string }>('wa-select')!;
    select.value = 'high';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await bar.updateComplete;
    expect(apply(bar).disabled).toBe(false);

    bar.ids = [];
    await bar.updateComplete;
    expect(apply(bar).disabled).toBe(true);
  });

  it('asks the list to clear the selection', async () => {
    const bar = await mount(['tkt_1']);
    const cleared = new Promise((resolve) => bar.addEventListener('clear-selection', resolve, { once: true }));
    bar.shadowRoot!.querySelector<HTMLElement>('wa-button[appearance="plain"]')!.click();
    await expect(cleared).resolves.toBeInstanceOf(CustomEvent);
  });
});
