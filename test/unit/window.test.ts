import { describe, expect, it } from 'vitest';
import { toScreen, windowSize, type ListModel, type Row } from '../../main/screens/model';

/** A long list (an address book) reaches the display in part: the rows around the cursor. */
const list = (n: number): ListModel => ({
  kind: 'list',
  id: 'contacts',
  title: 'Contacts',
  rows: [
    { id: 'search', kind: 'action', label: 'Search' },
    ...Array.from({ length: n }, (_, i): Row => ({ id: `c.${i}`, kind: 'action', label: `Contact ${i}` })),
  ],
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
    expect(screen.window).toEqual({ start: 4960, total: 10_001 });
    expect(screen.items[41]!.id).toBe('c.5000');
    expect(screen.focus).toBe('c.5000');
  });

  it('keeps at least 30 rows either side of the cursor, and sends the same part while the cursor stays inside it', () => {
    const model = list(10_000);
    let previous: ReturnType<typeof toScreen> | undefined;
    let sameParts = 0;
    for (let i = 0; i < 400; i++) {
      const screen = toScreen(model, `c.${i}`);
      const at = screen.items.findIndex((item) => item.id === `c.${i}`);
      expect(at).toBeGreaterThanOrEqual(Math.min(30, i + 1));
      expect(windowSize - 1 - at).toBeGreaterThanOrEqual(30);
      if (previous?.window?.start === screen.window?.start) {
        expect(screen.items).toBe(previous!.items);
        sameParts += 1;
      }
      previous = screen;
    }
    // (a new part every 20 rows at most)
    expect(sameParts).toBeGreaterThanOrEqual(400 - 400 / 20);
  });

  it('keeps the part inside the list at both ends', () => {
    expect(toScreen(list(10_000), null).window).toEqual({ start: 0, total: 10_001 });
    const end = toScreen(list(10_000), 'c.9999');
    expect(end.window).toEqual({ start: 10_001 - windowSize, total: 10_001 });
    expect(end.items.at(-1)!.id).toBe('c.9999');
  });
});
