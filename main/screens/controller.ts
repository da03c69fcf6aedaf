import type { ControllerInput, Direction } from '../../shared/controller';
import { missingCaseError } from '../../shared/view';
import type { HeadUnitEvent } from '../machines/events';
import { isFocusable, resolveFocus, type PopupModel, type Row, type ScreenModel } from './model';

/** What the controller acts on: the pop-up when one is open, else the screen. */
export interface Target {
  screen: ScreenModel;
  popup: PopupModel | null;
  screenFocus: string | null;
  popupFocus: string | null;
  /** screens above the main menu */
  depth: number;
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
      if (!popup && screen.kind === 'entry') return moveInGrid(screen.grid, rows, focus, input.direction);
      if (!popup && input.direction === 'left') return back();
      if (!popup && input.direction === 'right') {
        const row = rows.find((r) => r.id === focus);
        return row?.opens && row.press ? [row.press] : [];
      }
      return move(rows, focus, input.direction === 'up' || input.direction === 'left' ? -1 : 1);
    case 'press': {
      const row = rows.find((r) => r.id === focus);
      return row?.press ? [row.press] : [];
    }
    case 'touch': {
      const row = rows.find((r) => r.id === input.itemId);
      if (!row || !isFocusable(row) || !row.press) return [];
      return [{ type: 'focus.set', id: row.id }, row.press];
    }
    case 'type':
      return !popup && screen.kind === 'entry' ? [{ type: 'entry.type', text: input.text }] : [];
    case 'button':
      switch (input.button) {
        case 'BACK': return back();
        case 'MENU': return [{ type: 'nav.menu' }];
        case 'TEL': return [{ type: 'nav.jump', screen: 'telephone' }];
        case 'OPTION': return popup ? [] : [{ type: 'popup.open', popup: 'options' }];
        case 'NAV': return [{ type: 'popup.open', popup: 'notEmulated.navigation' }];
        case 'MEDIA': return [{ type: 'popup.open', popup: 'notEmulated.media' }];
        default: throw missingCaseError(input.button);
      }
    default:
      throw missingCaseError(input);
  }
}

/** Rotating moves the cursor by detents over the focusable rows; lists stop at their ends. */
function move(rows: Row[], focus: string | null, steps: number): HeadUnitEvent[] {
  const focusable = rows.filter(isFocusable);
  if (focusable.length === 0) return [];
  const from = Math.max(0, focusable.findIndex((r) => r.id === focus));
  const to = Math.min(focusable.length - 1, Math.max(0, from + steps));
  const id = focusable[to]?.id;
  return id && id !== focus ? [{ type: 'focus.set', id }] : [];
}

/** Tilting on a keyboard moves in two dimensions, to the nearest key that can be used. */
function moveInGrid(grid: string[][], rows: Row[], focus: string | null, direction: Direction): HeadUnitEvent[] {
  const usable = new Set(rows.filter(isFocusable).map((r) => r.id));
  const r = grid.findIndex((row) => row.includes(focus ?? ''));
  if (r < 0) return [];
  const c = grid[r]!.indexOf(focus!);
  const candidates: string[] = [];
  if (direction === 'left' || direction === 'right') {
    const row = grid[r]!;
    const step = direction === 'left' ? -1 : 1;
    for (let i = c + step; i >= 0 && i < row.length; i += step) candidates.push(row[i]!);
  } else {
    const step = direction === 'up' ? -1 : 1;
    const relative = grid[r]!.length > 1 ? c / (grid[r]!.length - 1) : 0;
    for (let i = r + step; i >= 0 && i < grid.length; i += step) {
      const row = grid[i]!;
      const nearest = Math.round(relative * (row.length - 1));
      // the nearest usable key of that row, looking outwards from the same relative column
      const order = row.map((id, j) => ({ id, d: Math.abs(j - nearest) })).sort((a, b) => a.d - b.d);
      candidates.push(...order.map((o) => o.id));
      if (order.some((o) => usable.has(o.id))) break;
    }
  }
  const id = candidates.find((k) => usable.has(k));
  return id ? [{ type: 'focus.set', id }] : [];
}
