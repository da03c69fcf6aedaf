import type { HeadUnitContext } from './context';
import type { PopupId } from './ids';

type Shown = NonNullable<HeadUnitContext['popup']>;
/** What the pop-ups are: the one shown, those waiting beneath it, the store notices not yet acknowledged. */
export type PopupState = Pick<HeadUnitContext, 'popup' | 'popupsBelow' | 'notices'>;

/**
 * Which pop-up has the display when two want it, highest first; among equals the newer one. A
 * call cannot wait; a pairing code has the phone waiting on it (30 s); a damaged file is data the
 * driver must hear of; what the car reports by itself (the eSIM set up or failed, a reset done)
 * comes next; what the driver opened (options, a question before removing) last. A pop-up
 * that ranks lower than the one shown waits beneath it and comes back when that one closes, so
 * which one ends on top never depends on which arrived first.
 */
export const popupRank = {
  'call.incoming': 5,
  'bt.pairing': 4,
  storeCorrupt: 3,
  'esim.telephony': 2,
  'esim.failed': 2,
  'reset.done': 2,
  'reset.doneWithoutEsim': 2,
  options: 1,
  factoryReset: 1,
  'notEmulated.navigation': 1,
  'notEmulated.media': 1,
  'profile.remove': 1,
  'bt.remove': 1,
  'bt.evict': 1,
} as const satisfies Record<PopupId, number>;

/** The waiting pop-ups with one more, kept in rank order (the next to come back last). */
function waiting(below: Shown[], popup: Shown): Shown[] {
  const at = below.findLastIndex((p) => popupRank[p.id] <= popupRank[popup.id]) + 1;
  return [...below.slice(0, at), popup, ...below.slice(at)];
}

/** A pop-up opens: over the one shown when it ranks as high or higher, else beneath it. */
export function opening(context: PopupState, id: PopupId): Partial<PopupState> {
  if (context.popup?.id === id) return {};
  const below = context.popupsBelow.filter((p) => p.id !== id);
  const popup = { id, focus: null };
  if (!context.popup) return { popup, popupsBelow: below };
  if (popupRank[id] >= popupRank[context.popup.id]) return { popup, popupsBelow: waiting(below, context.popup) };
  return { popupsBelow: waiting(below, popup) };
}

/** Its owner takes a pop-up back (a call answered elsewhere, a pairing cancelled), shown or waiting. */
export function closingIf(context: PopupState, id: PopupId): Partial<PopupState> {
  if (context.popup?.id === id) return closing(context);
  return { popupsBelow: context.popupsBelow.filter((p) => p.id !== id) };
}

/**
 * What shows once a pop-up closes (or a screen change takes it away) and none waits: the next
 * store notice the driver has not acknowledged yet, or nothing. A notice is never lost.
 */
export function afterPopup(context: PopupState): HeadUnitContext['popup'] {
  return context.notices.length > 0 ? { id: 'storeCorrupt', focus: context.popup?.id === 'storeCorrupt' ? context.popup.focus : null } : null;
}

/**
 * The pop-up shown closes: a store notice is acknowledged by it; the highest waiting beneath comes
 * back, else the next store notice, else none.
 */
export function closing(context: PopupState): PopupState {
  const notices = context.popup?.id === 'storeCorrupt' ? context.notices.slice(1) : context.notices;
  const below = context.popupsBelow.filter((p) => p.id !== 'storeCorrupt' || notices.length > 0);
  const next = below.at(-1);
  if (next) return { notices, popup: next, popupsBelow: below.slice(0, -1) };
  return { notices, popup: afterPopup({ ...context, notices, popup: null }), popupsBelow: [] };
}

/**
 * A screen change takes the pop-up shown away (not a store notice: that waits to be acknowledged),
 * and the one waiting beneath, if any, comes back.
 */
export function screenChange(context: PopupState): Partial<PopupState> {
  if (!context.popup || context.popup.id === 'storeCorrupt') return {};
  return closing(context);
}
