import type { MessageKey } from '../../shared/i18n';
import type { EntryScreen, Item, Popup, ProgressScreen, QrScreen, Screen } from '../../shared/view';
import type { HeadUnitEvent } from '../machines/events';
import type { HeadUnitContext } from '../machines/context';
import { indexOf, isFocusable } from './rowIndex';

/** An item of a screen as the core knows it: what it shows, and what pressing it means. */
export interface Row extends Item {
  press?: HeadUnitEvent;
}

type WithRows<S extends { items: Item[]; focus: string | null }> = Omit<S, 'items' | 'focus'> & { rows: Row[] };
export type ListModel = WithRows<{ kind: 'list'; id: string; title: string; items: Item[]; focus: string | null }>;
export type EntryModel = WithRows<EntryScreen>;
export type ProgressModel = WithRows<ProgressScreen>;
export type QrModel = WithRows<QrScreen>;
/** A screen, and what BACK means on it when that is not "the previous screen". */
export type ScreenModel = (ListModel | EntryModel | ProgressModel | QrModel) & { back?: HeadUnitEvent };
export type PopupModel = WithRows<Popup> & {
  /** what BACK does while the pop-up is open; null: BACK does nothing (a decision is needed) */
  dismiss: HeadUnitEvent | null;
};

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

import type { Children } from '../machines/children';
export type { BluetoothView, Children, EsimView, TelephoneView } from '../machines/children';
export { noChildren } from '../machines/children';

/** What every screen builder gets: the machine's context, the machines beside it, and the words in the car's language. */
export interface ScreenInput extends Children {
  context: HeadUnitContext;
  t: Translate;
}

/** A row that cannot be focused: a hint or an empty-list message. */
export function infoRow(id: string, label: string): Row {
  return { id, kind: 'info', label };
}

/** A row that opens another screen. */
export function openRow(id: string, label: string, press: HeadUnitEvent, detail?: string): Row {
  return { id, kind: 'action', label, opens: true, press, ...(detail === undefined ? {} : { detail }) };
}

/** Rows as the view shows them: without what pressing means. */
export function toItems(rows: Row[]): Item[] {
  return rows.map(({ press: _press, ...item }) => item);
}

export { isFocusable } from './rowIndex';

/** The screen as a view: the focus kept if its row still exists and can be focused, else the first that can. */
export function toScreen(model: ScreenModel, focus: string | null): Screen {
  const { rows, back: _back, ...rest } = model;
  const resolved = resolveFocus(rows, focus);
  if (model.kind !== 'list' || rows.length <= windowSize) return { ...rest, items: toItems(rows), focus: resolved } as Screen;
  // A long list (an address book) goes to the display in part: the rows around the cursor. The
  // part moves in steps, so most controller steps send the same part (made once) with a new focus.
  const at = resolved === null ? 0 : (indexOf(rows).get(resolved) ?? 0);
  const start = Math.min(Math.floor(Math.max(0, at - windowMargin) / windowStep) * windowStep, rows.length - windowSize);
  return { ...rest, items: windowItems(rows, start), focus: resolved, window: { start, total: rows.length } } as Screen;
}

/** How many rows of a long list the display gets at once: several screens' worth either side of the cursor. */
export const windowSize = 81;
/** The part starts on a multiple of this, and keeps at least `windowMargin` rows either side of the cursor. */
const windowStep = 20;
const windowMargin = 30;

const windows = new WeakMap<Row[], { start: number; items: Item[] }>();
function windowItems(rows: Row[], start: number): Item[] {
  const known = windows.get(rows);
  if (known?.start === start) return known.items;
  const items = toItems(rows.slice(start, start + windowSize));
  windows.set(rows, { start, items });
  return items;
}

export function resolveFocus(rows: Row[], focus: string | null): string | null {
  const at = focus === null ? undefined : indexOf(rows).get(focus);
  if (at !== undefined && isFocusable(rows[at]!)) return focus;
  // A list of choices opens on the current choice, as iDrive does.
  const { chosen, first } = openingOf(rows);
  return chosen ?? first;
}

const openings = new WeakMap<Row[], { chosen: string | null; first: string | null }>();
/** Where a list opens: the current choice of a radio list, else the first row the cursor can rest on. */
function openingOf(rows: Row[]) {
  let known = openings.get(rows);
  if (!known) {
    known = {
      chosen: rows.find((r) => r.kind === 'radio' && r.checked && isFocusable(r))?.id ?? null,
      first: rows.find(isFocusable)?.id ?? null,
    };
    openings.set(rows, known);
  }
  return known;
}
