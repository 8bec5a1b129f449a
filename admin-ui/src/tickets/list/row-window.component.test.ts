import { describe, expect, it } from 'vitest';
import { nearEnd, selectionOf, spacers } from './row-window.ts';

describe('the ticket table’s window helpers', () => {
  it('sizes the spacer rows so drawn rows sit where the whole list would put them', () => {
    // Rows 10–19 of 100 rows of 44 px, below a 40 px header (the scroll margin).
    const items = Array.from({ length: 10 }, (_, i) => ({ index: 10 + i, start: 40 + (10 + i) * 44, end: 40 + (11 + i) * 44 }));
    expect(spacers(items, 100 * 44, 40)).toEqual({ top: 440, bottom: 80 * 44 });
    expect(spacers([], 4400, 40)).toEqual({ top: 0, bottom: 0 });
    const all = Array.from({ length: 3 }, (_, i) => ({ index: i, start: i * 44, end: (i + 1) * 44 }));
    expect(spacers(all, 3 * 44, 0)).toEqual({ top: 0, bottom: 0 });
  });

  it('tells whether all, some or none of the loaded tickets are selected', () => {
    const rows = [{ id: 'a' }, { id: 'b' }];
    expect(selectionOf(rows, new Set(['a', 'b']))).toBe('all');
    expect(selectionOf(rows, new Set(['b', 'elsewhere']))).toBe('some');
    expect(selectionOf(rows, new Set(['elsewhere']))).toBe('none');
    expect(selectionOf([], new Set(['a']))).toBe('none');
  });

  it('asks for more only once the last drawn row is close to the last loaded one', () => {
    expect(nearEnd(undefined, 100)).toBe(false);
    expect(nearEnd(30, 100, 40)).toBe(false);
    expect(nearEnd(59, 100, 40)).toBe(true);
    expect(nearEnd(0, 0)).toBe(false);
  });
});
