import { html, render } from 'lit';
import { describe, expect, it } from 'vitest';
import { renderSnippet } from './snippet.ts';

/** Renders a snippet into a fresh element, as the ticket list does. */
function shown(snippet: string): HTMLElement {
  const host = document.createElement('div');
  document.body.append(host);
  render(html`${renderSnippet(snippet)}`, host);
  return host;
}

describe('search snippets', () => {
  it('shows hits as <mark> and everything else as text, decoding what the API escaped', () => {
    const host = shown('Printer &lt;b&gt;jam&lt;/b&gt; on <mark>floor</mark> 3 &amp; 4');
    expect(host.textContent).toBe('Printer <b>jam</b> on floor 3 & 4');
    expect([...host.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['floor']);
    expect(host.querySelector('b')).toBeNull();
  });

  it('never turns text into elements, whatever the API sends', () => {
    const host = shown('<img src=x onerror="window.__owned=1"><mark><script>window.__owned=2</script></mark>&lt;svg onload=alert(1)&gt;');
    expect(host.querySelector('img, script, svg')).toBeNull();
    expect((window as { __owned?: number }).__owned).toBeUndefined();
    expect(host.querySelector('mark')?.textContent).toBe('<script>window.__owned=2</script>');
  });
});
