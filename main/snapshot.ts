import type { ScreenSnapshot } from '../shared/contract';
import type { View } from '../shared/view';

/** The stable JSON of what is on screen: ids, words and focus, without layout or revision. */
export function toSnapshot(view: View): ScreenSnapshot {
  const { screen, popup } = view;
  return {
    revision: view.revision,
    screen: screen.id,
    kind: screen.kind,
    title: screen.title,
    items: screen.items.map(({ id, label, kind, detail, checked, disabled }) => ({
      id,
      label,
      kind,
      ...(detail === undefined ? {} : { detail }),
      ...(checked === undefined ? {} : { checked }),
      ...(disabled ? { disabled } : {}),
    })),
    focused: screen.focus,
    popup: popup && {
      id: popup.id,
      title: popup.title,
      text: popup.text,
      ...(popup.highlight ? { highlight: popup.highlight } : {}),
      items: popup.items.map(({ id, label }) => ({ id, label })),
      focused: popup.focus,
    },
    ...(view.notice ? { notice: { title: view.notice.title, text: view.notice.text } } : {}),
    // (the status bar and the context pane as the driver sees them; the clock is left out: it moves by itself)
    status: {
      profile: view.status.profile,
      network: view.status.network,
      data: view.status.data,
      phone: view.status.phone,
      outsideTemperature: view.status.outsideTemperature,
    },
    aside: view.aside && { title: view.aside.title, rows: view.aside.rows.map(({ id, label, value }) => ({ id, label, value })) },
    language: view.language,
    theme: view.theme,
    resolution: view.resolution,
    ...(screen.kind === 'entry' ? { field: screen.shown, ...(screen.error ? { error: screen.error } : {}) } : {}),
    ...(screen.kind === 'qr' ? { qr: { instructions: screen.instructions, manual: screen.manual, timeLeft: screen.timeLeft } } : {}),
  };
}
