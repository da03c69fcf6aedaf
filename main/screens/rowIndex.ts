import { slicer } from '../slices';

/**
 * Indexes of a screen's rows, made once per rows array and kept with it, so that a controller step
 * costs the same on a list of any length. An address book's rows are indexed ahead, in slices,
 * while the sync runs (`prepareRows`); a list made of a few rows before a long prepared one
 * (`joinRows`) gets an index composed of the two, never a walk over the whole list.
 */

/** What indexing needs of a row (a screen's Row has more). */
export interface IndexedRow {
  id: string;
  kind: string;
  disabled?: boolean;
}

/** An id's place in a rows array. */
export interface RowLookup {
  get(id: string): number | undefined;
}

/** The ids the cursor can rest on, in order, and each one's place among them. */
export interface Focusables {
  ids: readonly string[];
  at: RowLookup;
}

export function isFocusable(row: IndexedRow): boolean {
  return row.kind !== 'info' && !row.disabled;
}

const indexes = new WeakMap<readonly IndexedRow[], RowLookup>();
const focusables = new WeakMap<readonly IndexedRow[], Focusables>();
/** Row arrays made by `joinRows`: their parts, for indexes made from the parts'. */
const joined = new WeakMap<readonly IndexedRow[], { head: readonly IndexedRow[]; body: readonly IndexedRow[] }>();

/** Each row's place by its id. */
export function indexOf(rows: readonly IndexedRow[]): RowLookup {
  let index = indexes.get(rows);
  if (!index) {
    const parts = joined.get(rows);
    index = parts ? composed(indexOf(parts.head), indexOf(parts.body), parts.head.length) : new Map(rows.map((row, i) => [row.id, i]));
    indexes.set(rows, index);
  }
  return index;
}

/** The ids the cursor can rest on, with their places: made at the first controller step on the list. */
export function facts(rows: readonly IndexedRow[]): Focusables {
  let known = focusables.get(rows);
  if (!known) {
    const parts = joined.get(rows);
    if (parts) {
      const head = facts(parts.head);
      const body = facts(parts.body);
      known = { ids: head.ids.concat(body.ids), at: composed(head.at, body.at, head.ids.length) };
    } else {
      const ids = rows.filter(isFocusable).map((r) => r.id);
      known = { ids, at: new Map(ids.map((id, i) => [id, i])) };
    }
    focusables.set(rows, known);
  }
  return known;
}

/** `head` followed by `body`, as one array whose indexes come from theirs (a long `body` is indexed once). */
export function joinRows<R extends IndexedRow>(head: R[], body: R[]): R[] {
  const rows = head.concat(body);
  joined.set(rows, { head, body });
  return rows;
}

/** Indexes a long rows array ahead of its first use, in slices that give the event loop its turns. */
export async function prepareRows(rows: readonly IndexedRow[], sliceMs = 8, signal?: AbortSignal): Promise<void> {
  if (indexes.has(rows) && focusables.has(rows)) return;
  const slice = slicer(sliceMs, 256, signal);
  const index = new Map<string, number>();
  const ids: string[] = [];
  const at = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    index.set(row.id, i);
    if (isFocusable(row)) {
      at.set(row.id, ids.length);
      ids.push(row.id);
    }
    await slice();
  }
  indexes.set(rows, index);
  focusables.set(rows, { ids, at });
}

function composed(head: RowLookup, body: RowLookup, offset: number): RowLookup {
  return {
    get: (id) => {
      const inHead = head.get(id);
      if (inHead !== undefined) return inHead;
      const inBody = body.get(id);
      return inBody === undefined ? undefined : inBody + offset;
    },
  };
}
