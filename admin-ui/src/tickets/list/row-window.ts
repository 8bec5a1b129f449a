/** Pure helpers of the virtualized ticket table: what is drawn, what is selected, when to read more. */

/** A drawn row's place, as the virtualizer gives it (offsets include the scroll margin above the rows). */
export interface WindowItem {
  index: number;
  start: number;
  end: number;
}

/**
 * The heights of the empty rows that stand for the rows not drawn, above and below the window, so
 * the scroll box keeps the whole list's height. `total` is the list's height without the margin.
 */
export function spacers(items: readonly WindowItem[], total: number, margin: number): { top: number; bottom: number } {
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return { top: 0, bottom: 0 };
  return { top: Math.max(0, first.start - margin), bottom: Math.max(0, total - (last.end - margin)) };
}

/** Whether every, some or none of the loaded tickets are selected (for the header's checkbox). */
export function selectionOf(ids: readonly { id: string }[], selected: ReadonlySet<string>): 'all' | 'some' | 'none' {
  if (ids.length === 0 || selected.size === 0) return 'none';
  let count = 0;
  for (const { id } of ids) if (selected.has(id)) count++;
  return count === ids.length ? 'all' : count > 0 ? 'some' : 'none';
}

/** Rows from the end at which the next page is asked for (a page is 100 rows, the window ~30). */
export const NEAR_END_ROWS = 40;

/** Whether the last drawn row is close enough to the end of the loaded rows to read the next page. */
export function nearEnd(lastDrawn: number | undefined, count: number, within = NEAR_END_ROWS): boolean {
  return lastDrawn !== undefined && count > 0 && lastDrawn >= count - 1 - within;
}
