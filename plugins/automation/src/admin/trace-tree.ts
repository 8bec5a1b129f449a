/**
 * A condition trace (`[{ pointer: "/conditions/any/1/all/0", field, operator, result }]`) as a
 * nested list that reads like the rule: "All of" / "Any of" groups, each predicate with its
 * result in words (not colour alone) and, when the rule's conditions are given, the value it was
 * compared with. Predicates the evaluation skipped (it short-circuits) are absent.
 */
import { html, t } from '@ticketops/admin-ui/plugin-api';
import type { TraceEntry } from './shared.ts';

interface Node {
  key: string;
  entry?: TraceEntry;
  children: Map<string, Node>;
}

function build(trace: TraceEntry[]): Node {
  const root: Node = { key: '', children: new Map() };
  for (const entry of trace) {
    const parts = entry.pointer.replace(/^\/conditions\/?/, '').split('/').filter(Boolean);
    let node = root;
    for (const part of parts) {
      if (!node.children.has(part)) node.children.set(part, { key: part, children: new Map() });
      node = node.children.get(part)!;
    }
    node.entry = entry;
  }
  return root;
}

const result = (value: boolean) => html`<strong class=${String(value)} data-result=${String(value)}>${value ? t('automation:isTrue') : t('automation:isFalse')}</strong>`;

/** The predicate's value at a trace pointer (`/conditions/all/0`) in `{ conditions }`, as text. */
function valueAt(conditions: unknown, pointer: string): string {
  let node: unknown = { conditions };
  for (const part of pointer.split('/').slice(1)) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  const value = (node as { value?: unknown } | undefined)?.value;
  return value === undefined ? '' : Array.isArray(value) ? value.join(', ') : String(value);
}

/** `all`/`any` nodes hold numbered items; an item is a predicate (has an entry) or a group (has all/any). */
function list(node: Node, conditions: unknown): unknown {
  return html`<ul>${[...node.children.values()].map((group) => html`<li>
    <span>${group.key === 'all' ? t('automation:allOf') : t('automation:anyOf')}</span>
    <ul>${[...group.children.values()].map((item) => (item.entry
      ? html`<li data-pointer=${item.entry.pointer}><code>${item.entry.field}</code> ${t(`automation:op.${item.entry.operator}`, { defaultValue: item.entry.operator })} ${valueAt(conditions, item.entry.pointer)} → ${result(item.entry.result)}</li>`
      : html`<li>${list(item, conditions)}</li>`))}</ul>
  </li>`)}</ul>`;
}

export function traceTree(trace: TraceEntry[], conditions?: unknown) {
  return html`<div class="trace" data-trace>${list(build(trace), conditions)}</div>`;
}
