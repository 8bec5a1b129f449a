import { html, render } from 'lit';
import { beforeAll, describe, expect, it } from 'vitest';
import { initI18n } from '../i18n/i18n.ts';
import './column-chooser.ts';
import type { ToColumnChooser } from './column-chooser.ts';
import type { ListField } from './list-query.ts';

const fields: ListField[] = [
  { name: 'sla.firstResponseDue', description: 'First response due', type: 'timestamp' },
  { name: 'sla.nextDue', description: 'Next due', type: 'timestamp' },
  { name: 'acme.score', description: 'Acme score', type: 'number' },
];

async function mount(available: ListField[], chosen: string[]): Promise<ToColumnChooser> {
  const host = document.createElement('div');
  document.body.replaceChildren(host);
  render(html`<to-column-chooser .fields=${available} .chosen=${chosen}></to-column-chooser>`, host);
  const chooser = host.querySelector('to-column-chooser')!;
  await chooser.updateComplete;
  return chooser;
}

const boxes = (chooser: ToColumnChooser) => [...chooser.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type=checkbox]')];

describe('<to-column-chooser>', () => {
  beforeAll(async () => {
    await initI18n();
  });

  it('shows nothing when no plugin offers list fields', async () => {
    const chooser = await mount([], []);
    expect(chooser.shadowRoot!.querySelector('details')).toBeNull();
  });

  it('has a labelled checkbox per field, ticked for the chosen ones, named in the console’s words or the plugin’s', async () => {
    const chooser = await mount(fields, ['sla.nextDue']);
    const labels = [...chooser.shadowRoot!.querySelectorAll('label')].map((l) => l.textContent!.trim());
    expect(labels).toHaveLength(3);
    expect(labels[2]).toBe('Acme score');
    expect(boxes(chooser).map((b) => b.checked)).toEqual([false, true, false]);
  });

  it('fires columns-changed in the server’s order, whatever order the boxes are ticked in', async () => {
    const chooser = await mount(fields, ['acme.score']);
    const changed = new Promise<string[]>((resolve) => chooser.addEventListener('columns-changed', (e) => resolve((e as CustomEvent<string[]>).detail), { once: true }));
    chooser.shadowRoot!.querySelector('details')!.open = true;
    boxes(chooser)[0]!.click();
    expect(await changed).toEqual(['sla.firstResponseDue', 'acme.score']);
  });

  it('fires columns-changed without a field that is unticked', async () => {
    const chooser = await mount(fields, ['sla.nextDue', 'acme.score']);
    const changed = new Promise<string[]>((resolve) => chooser.addEventListener('columns-changed', (e) => resolve((e as CustomEvent<string[]>).detail), { once: true }));
    chooser.shadowRoot!.querySelector('details')!.open = true;
    boxes(chooser)[1]!.click();
    expect(await changed).toEqual(['acme.score']);
  });
});
