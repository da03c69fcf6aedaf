import { stepCursor, type ControllerInput } from '../../shared/controller';
import { keyToward } from '../../shared/keyboard';
import { missingCaseError } from '../../shared/view';
import type { HeadUnitEvent } from '../machines/events';
import { isFocusable, resolveFocus, type PopupModel, type Row, type ScreenModel } from './model';
import { facts, indexOf } from './rowIndex';

/** What the controller acts on: the pop-up when one is open, else the screen. */
export interface Target {
  screen: ScreenModel;
  popup: PopupModel | null;
  screenFocus: string | null;
  popupFocus: string | null;
  /** screens above the main menu */
  depth: number;
  /**
   * on an entry screen: the person typed into the field with the bench keyboard and has not steered
   * the cursor since, so Enter submits; otherwise Enter is the controller press
   */
  typed?: boolean;
}

/**
 * Turns one controller input into the events it means on the current screen. Pure, so the same
 * rules serve the machine, its model-based tests, and any host. An empty result: nothing happens.
 */
export function interpret(target: Target, input: ControllerInput): HeadUnitEvent[] {
  const { screen, popup } = target;
  const rows = popup ? popup.rows : screen.rows;
  const focus = resolveFocus(rows, popup ? target.popupFocus : target.screenFocus);
  const back = (): HeadUnitEvent[] => {
    if (popup) return popup.dismiss ? [popup.dismiss] : [];
    if (screen.back) return [screen.back];
    return target.depth > 0 ? [{ type: 'nav.back' }] : [];
  };
  switch (input.kind) {
    case 'rotate':
      return move(rows, focus, input.detents);
    case 'tilt':
      if (!popup && screen.kind === 'entry') {
        const { at } = facts(rows);
        const id = focus ? keyToward(screen.keyboard, focus, input.direction, (key) => at.get(key) !== undefined) : null;
        return id ? [{ type: 'focus.set', id }] : [];
      }
      if (!popup && input.direction === 'left') return back();
      if (!popup && input.direction === 'right') {
        const row = rowOf(rows, focus);
        return row?.opens && row.press ? [row.press] : [];
      }
      return move(rows, focus, input.direction === 'up' || input.direction === 'left' ? -1 : 1);
    case 'press': {
      const row = rowOf(rows, focus);
      return row?.press ? chosen(popup, row.press) : [];
    }
    case 'touch': {
      const row = rowOf(rows, input.itemId);
      if (!row || !isFocusable(row) || !row.press) return [];
      return [{ type: 'focus.set', id: row.id }, ...chosen(popup, row.press)];
    }
    case 'type':
      return !popup && screen.kind === 'entry' ? [{ type: 'entry.type', text: input.text }] : [];
    case 'key': {
      const typing = !popup && screen.kind === 'entry';
      if (input.key === 'Backspace') return typing ? [{ type: 'entry.key', key: 'key.delete' }] : back();
      // A person typing submits with Enter; one steering the cursor, or who has typed nothing yet,
      // presses the key it is on: a fresh pad's first press types its first key, never submits.
      if (typing && target.typed) return [{ type: 'entry.key', key: 'key.ok' }];
      return interpret(target, { kind: 'press' });
    }
    case 'button':
      switch (input.button) {
        case 'BACK':
          return back();
        case 'MENU':
          return [{ type: 'nav.menu' }];
        case 'TEL':
          return [{ type: 'nav.jump', screen: 'telephone' }];
        case 'OPTION':
          return popup ? [] : [{ type: 'popup.open', popup: 'options' }];
        case 'NAV':
          return [{ type: 'popup.open', popup: 'notEmulated.navigation' }];
        case 'MEDIA':
          return [{ type: 'popup.open', popup: 'notEmulated.media' }];
        default:
          throw missingCaseError(input.button);
      }
    default:
      throw missingCaseError(input);
  }
}

/** The row with this id, found by the rows' index. */
function rowOf(rows: Row[], id: string | null): Row | undefined {
  const at = id === null ? undefined : indexOf(rows).get(id);
  return at === undefined ? undefined : rows[at];
}

/** A choice in a pop-up closes it first, then means what it says: one rule for every pop-up. */
function chosen(popup: PopupModel | null, press: HeadUnitEvent): HeadUnitEvent[] {
  return popup && press.type !== 'popup.close' ? [{ type: 'popup.close' }, press] : [press];
}

/** Rotating moves the cursor by detents over the focusable rows; lists stop at their ends. */
function move(rows: Row[], focus: string | null, steps: number): HeadUnitEvent[] {
  const { ids, at } = facts(rows);
  const id = stepCursor(ids, focus, steps, (current) => at.get(current) ?? -1);
  return id && id !== focus ? [{ type: 'focus.set', id }] : [];
}
