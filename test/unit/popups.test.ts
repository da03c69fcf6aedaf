import { describe, expect, it } from 'vitest';
import { closing, closingIf, opening, popupRank, type PopupState } from '../../main/machines/popups';
import { popupIds, type PopupId } from '../../main/machines/ids';
import type { StoreProblem } from '../../main/store/problems';

/** Pop-ups opened one after the other, then closed one by one: the order the driver sees them in. */
function seen(opened: PopupId[], notices: StoreProblem[] = []): PopupId[] {
  let state: PopupState = { popup: null, popupsBelow: [], notices };
  for (const id of opened) state = { ...state, ...opening(state, id) };
  const order: PopupId[] = [];
  while (state.popup) {
    order.push(state.popup.id);
    state = closing(state);
  }
  return order;
}

describe('the pop-up stack', () => {
  it('shows the higher-ranked pop-up whichever arrived first, and the other once it closes', () => {
    // a call over the telephony offer, and the offer arriving during the call: the call first either way
    expect(seen(['esim.telephony', 'call.incoming'])).toEqual(['call.incoming', 'esim.telephony']);
    expect(seen(['call.incoming', 'esim.telephony'])).toEqual(['call.incoming', 'esim.telephony']);
    // the pairing code (the phone waits on it) is not covered by a failed download
    expect(seen(['bt.pairing', 'esim.failed'])).toEqual(['bt.pairing', 'esim.failed']);
  });

  it('among equals shows the newer one, and the older comes back', () => {
    expect(seen(['esim.telephony', 'esim.failed'])).toEqual(['esim.failed', 'esim.telephony']);
    expect(seen(['options', 'call.incoming', 'esim.telephony'])).toEqual(['call.incoming', 'esim.telephony', 'options']);
  });

  it('lets the owner take a waiting pop-up back, and never shows one twice', () => {
    let state: PopupState = { popup: null, popupsBelow: [], notices: [] };
    for (const id of ['esim.telephony', 'call.incoming', 'call.incoming'] as const) state = { ...state, ...opening(state, id) };
    expect(state.popupsBelow.map((p) => p.id)).toEqual(['esim.telephony']);
    state = { ...state, ...closingIf(state, 'esim.telephony') };
    expect(closing(state).popup).toBeNull();
  });

  it('puts a damaged-file notice over what the car reports, beneath a call, and keeps it until acknowledged', () => {
    const damaged: StoreProblem[] = [{ kind: 'damaged', area: 'settings', file: '/data/settings.corrupt.json', code: null }];
    expect(seen(['esim.telephony', 'storeCorrupt'], damaged)).toEqual(['storeCorrupt', 'esim.telephony']);
    expect(seen(['call.incoming', 'storeCorrupt'], damaged)).toEqual(['call.incoming', 'storeCorrupt']);
  });

  it('ranks every pop-up there is', () => {
    expect(Object.keys(popupRank).sort()).toEqual([...popupIds].sort());
  });
});
