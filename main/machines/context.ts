import type { CarSettings } from '../settings';
import type { ScreenId } from '../screens/ids';
import type { PopupId } from '../screens/popups';
import type { EntryState } from '../screens/entry';

/** One level of the screen stack, with the item the cursor was on (iDrive keeps it on BACK). */
export interface Frame {
  screen: ScreenId;
  focus: string | null;
}

/** A stored area that could not be read and was moved aside; shown to the driver once. */
export interface StoreNotice {
  area: string;
  movedTo: string;
}

export interface HeadUnitContext {
  settings: CarSettings;
  /** bottom is always the main menu */
  stack: Frame[];
  popup: { id: PopupId; focus: string | null } | null;
  entry: EntryState | null;
  notices: StoreNotice[];
}

export function menuStack(): Frame[] {
  return [{ screen: 'menu', focus: null }];
}

export function topFrame(context: HeadUnitContext): Frame {
  return context.stack.at(-1) ?? { screen: 'menu', focus: null };
}
