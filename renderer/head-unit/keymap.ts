import type { ControllerInput } from '../../shared/controller';

/**
 * The bench keyboard as an iDrive controller (docs/controller.md):
 * arrows tilt, `[` and `]` (or the wheel) rotate, Esc is BACK, Home is MENU, F1 OPTION, F2 TEL,
 * F3 NAV, F4 MEDIA. Enter, Backspace and printable characters mean different things on different
 * screens, so they go to the core as they are, and the core interprets them on the screen they
 * land on: the display never decides from a screen it may not have drawn yet.
 */
/** The part of a KeyboardEvent the map reads (kept DOM-free so it is testable anywhere). */
export interface KeyPress {
  key: string;
  /** a key an input method is composing with (its text arrives when the composition ends) */
  isComposing?: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

export function keyToInput(event: KeyPress): ControllerInput | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  // Keys an input method is composing with are its own (Enter commits, Backspace edits the composition).
  if (event.isComposing || event.key === 'Process') return null;
  switch (event.key) {
    case 'ArrowUp':
      return { kind: 'tilt', direction: 'up' };
    case 'ArrowDown':
      return { kind: 'tilt', direction: 'down' };
    case 'ArrowLeft':
      return { kind: 'tilt', direction: 'left' };
    case 'ArrowRight':
      return { kind: 'tilt', direction: 'right' };
    case 'Enter':
      return { kind: 'key', key: 'Enter' };
    case 'Escape':
      return { kind: 'button', button: 'BACK' };
    case 'Backspace':
      return { kind: 'key', key: 'Backspace' };
    case 'Home':
      return { kind: 'button', button: 'MENU' };
    case 'F1':
      return { kind: 'button', button: 'OPTION' };
    case 'F2':
      return { kind: 'button', button: 'TEL' };
    case 'F3':
      return { kind: 'button', button: 'NAV' };
    case 'F4':
      return { kind: 'button', button: 'MEDIA' };
  }
  if (event.key === ']') return { kind: 'rotate', detents: 1 };
  if (event.key === '[') return { kind: 'rotate', detents: -1 };
  // One character: typed, if the screen takes text (an IME's composed text arrives through the field: ScreenView).
  if ([...event.key].length === 1) return { kind: 'type', text: event.key };
  return null;
}

/** Wheel distance per detent: one notch of a mouse wheel is about 100 px in Chromium. */
const pixelsPerDetent = 100;

/** Accumulates wheel movement into whole detents, as a rotary encoder does. */
export function wheelToDetents(): (deltaY: number, deltaMode: number) => number {
  let rest = 0;
  return (deltaY, deltaMode) => {
    rest += deltaMode === 0 ? deltaY : deltaY * pixelsPerDetent;
    const detents = Math.trunc(rest / pixelsPerDetent);
    rest -= detents * pixelsPerDetent;
    return Math.max(-24, Math.min(24, detents));
  };
}
