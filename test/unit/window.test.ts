import { describe, expect, it } from 'vitest';
import { toScreen, windowSize, type ListModel, type Row } from '../../main/screens/model';

/** A long list (an address book) reaches the display in part: the rows around the cursor. */
const list = (n: number): ListModel => ({
  kind: 'list', id: 'contacts', title: 'Contacts',
  rows: [{ id: 'search', kind: 'action', label: 'Search' }, ...Array.from({ length: n }, (_, i): Row => ({ id: `c.${i}`, kind: 'action', label: `Contact ${i}` }))],
});

describe('a long list on the display', () => {
  it('is sent whole while it is short', () => {
    const screen = toScreen(list(40), 'c.39');
    expect(screen.items).toHaveLength(41);
    expect(screen.window).toBeUndefined();
  });

  it('is sent around the cursor, with where the part starts and how long the list is', () => {
    const screen = toScreen(list(10_000), 'c.5000');
    expect(screen.items).toHaveLength(windowSize);
    expect(screen.window).toEqual({ start: 5001 - 40, total: 10_001 });
    expect(screen.items[40]!.id).toBe('c.5000');
    expect(screen.focus).toBe('c.5000');
  });

  it('keeps the part inside the list at both ends', () => {
    expect(toScreen(list(10_000), null).window).toEqual({ start: 0, total: 10_001 });
    const end = toScreen(list(10_000), 'c.9999');
    expect(end.window).toEqual({ start: 10_001 - windowSize, total: 10_001 });
    expect(end.items.at(-1)!.id).toBe('c.9999');
  });
});
