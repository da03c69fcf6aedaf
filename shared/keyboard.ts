import type { Direction } from './controller';

/**
 * Where a key of the on-screen keyboard is drawn: its row, and its place across in half-key
 * columns from the left edge. The display draws keys exactly there, and the controller's tilt
 * moves by the same places, so "up" is always the key drawn above.
 */
export interface KeyPlace {
  id: string;
  /** first half-key column, from 0 */
  column: number;
  /** width in half-key columns (an ordinary key: 2) */
  span: number;
}

/** A keyboard: rows of placed keys, and its width in half-key columns. */
export interface KeyboardLayout {
  rows: KeyPlace[][];
  columns: number;
}

/**
 * Lays rows of keys out centred, as the keyboard is drawn: each row's keys side by side (an
 * ordinary key 2 half-columns wide), the row centred in the widest. A row may start at a given
 * column instead of centring (a PIN pad's 0 under the 8, with Delete beside it).
 */
export function layOutKeys(rows: { keys: { id: string; span?: number }[]; start?: number }[]): KeyboardLayout {
  const widthOf = (row: (typeof rows)[number]) => (row.start ?? 0) + row.keys.reduce((sum, key) => sum + (key.span ?? 2), 0);
  const columns = Math.max(0, ...rows.map(widthOf));
  return {
    columns,
    rows: rows.map((row) => {
      let column = row.start ?? Math.floor((columns - widthOf(row)) / 2);
      return row.keys.map((key) => {
        const place = { id: key.id, column, span: key.span ?? 2 };
        column += place.span;
        return place;
      });
    }),
  };
}

/**
 * The key a tilt moves to from `from`: left and right, the next usable key in the row; up and
 * down, in the nearest row in that direction with a usable key drawn over the same columns, the
 * one that overlaps most (then the nearer centre). Null: nothing is drawn that way.
 */
export function keyToward(layout: KeyboardLayout, from: string, direction: Direction, usable: (id: string) => boolean): string | null {
  const r = layout.rows.findIndex((row) => row.some((key) => key.id === from));
  if (r < 0) return null;
  const row = layout.rows[r]!;
  const at = row.findIndex((key) => key.id === from);
  const here = row[at]!;
  if (direction === 'left' || direction === 'right') {
    const step = direction === 'left' ? -1 : 1;
    for (let i = at + step; i >= 0 && i < row.length; i += step) if (usable(row[i]!.id)) return row[i]!.id;
    return null;
  }
  const step = direction === 'up' ? -1 : 1;
  const centre = (key: KeyPlace) => key.column + key.span / 2;
  for (let i = r + step; i >= 0 && i < layout.rows.length; i += step) {
    const overlapping = layout.rows[i]!.map((key) => ({
      key,
      overlap: Math.min(key.column + key.span, here.column + here.span) - Math.max(key.column, here.column),
    }))
      .filter(({ key, overlap }) => overlap > 0 && usable(key.id))
      .sort((a, b) => b.overlap - a.overlap || Math.abs(centre(a.key) - centre(here)) - Math.abs(centre(b.key) - centre(here)));
    if (overlapping.length > 0) return overlapping[0]!.key.id;
  }
  return null;
}
