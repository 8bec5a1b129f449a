import { describe, expect, it } from 'vitest';
import type { SavedView } from '../api/types.ts';
import { COLUMNS_KEY, listQuery, nextSort, readColumns, searchFromState, sortedField, stateFromSearch, viewQuery, writeColumns } from './list-query.ts';

const view = (filter: Record<string, unknown>, sort?: string) => ({ id: 'view_1', name: 'Mine', filter, sort }) as unknown as SavedView;

describe('list state and the address', () => {
  it('reads the known keys from the address, trimmed, and ignores empty and unknown ones', () => {
    expect(stateFromSearch('?view=view_1&q=%20printer%20&status=&sort=-updatedAt&page=3')).toEqual({ view: 'view_1', q: 'printer', sort: '-updatedAt' });
    expect(stateFromSearch('')).toEqual({});
  });

  it('writes a state back to the same address, in a fixed order, and reads it back unchanged', () => {
    const state = { sort: 'sla.nextDue', q: 'vpn & mail', assigneeId: 'usr_1', view: 'view_2' };
    const search = searchFromState(state);
    expect(search).toBe('?view=view_2&q=vpn+%26+mail&assigneeId=usr_1&sort=sla.nextDue');
    expect(stateFromSearch(search)).toEqual(state);
    expect(searchFromState({})).toBe('');
  });
});

describe('list requests', () => {
  it('starts from the view’s filter and lets the state replace a condition, keeping the view’s sort unless words are searched', () => {
    const mine = view({ status: ['open', 'pending'], tag: ['vip'], customFields: { impact: { gte: 3 }, team: 'ops' } }, '-priority');
    expect(listQuery({ view: 'view_1', status: 'solved' }, mine)).toEqual({ status: 'solved', tag: ['vip'], 'cf.impact.gte': '3', 'cf.team': 'ops', sort: '-priority' });
    expect(listQuery({ view: 'view_1', q: 'printer' }, mine)).not.toHaveProperty('sort');
    expect(listQuery({ q: 'printer', sort: 'updatedAt' }, undefined)).toEqual({ q: 'printer', sort: 'updatedAt' });
  });

  it('sends a view the list query cannot say (ids) through the view itself', () => {
    expect(viewQuery(view({ ids: ['tkt_1'] }))).toBeNull();
    expect(listQuery({ view: 'view_1' }, view({ ids: ['tkt_1'] }))).toBeNull();
  });

  it('sorts a column ascending, then descending, then ascending again', () => {
    expect(nextSort(undefined, 'sla.nextDue')).toBe('sla.nextDue');
    expect(nextSort('sla.nextDue', 'sla.nextDue')).toBe('-sla.nextDue');
    expect(nextSort('-sla.nextDue', 'sla.nextDue')).toBe('sla.nextDue');
    const fields = [{ name: 'sla.nextDue', description: 'Next due', type: 'timestamp' as const }];
    expect(sortedField('-sla.nextDue', fields)?.name).toBe('sla.nextDue');
    expect(sortedField('-updatedAt', fields)).toBeUndefined();
  });

  it('remembers the chosen columns, and reads nothing usable as none', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    writeColumns(['sla.nextDue'], storage);
    expect(readColumns(storage)).toEqual(['sla.nextDue']);
    store.set(COLUMNS_KEY, '{not json');
    expect(readColumns(storage)).toEqual([]);
    store.set(COLUMNS_KEY, '[1, "a"]');
    expect(readColumns(storage)).toEqual(['a']);
  });
});
