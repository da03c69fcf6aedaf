import { stepCursor, type ControllerInput } from '../../shared/controller';
import type { Item, View } from '../../shared/view';

/**
 * Where the cursor will be after a rotate or tilt, computed in the display so that it moves in the
 * same frame, without waiting for the core. The rule is the core's (screens/controller.ts): the
 * cursor steps over items that can be focused and stops at the ends of a list. The core stays the
 * truth: once no input is in flight, its focus replaces any prediction (App.tsx).
 * Returns null when the input does not simply move the cursor (press, BACK, keyboard grids…).
 */
export function predictFocus(view: View, current: string | null, input: ControllerInput): string | null {
  const steps = stepsOf(view, input);
  if (steps === 0) return null;
  const items: Item[] = (view.popup ? view.popup.items : view.screen.items).filter((i) => i.kind !== 'info' && !i.disabled);
  return stepCursor(
    items.map((i) => i.id),
    current,
    steps,
  );
}

function stepsOf(view: View, input: ControllerInput): number {
  if (input.kind === 'rotate') return input.detents;
  if (input.kind !== 'tilt') return 0;
  if (view.popup) return input.direction === 'up' || input.direction === 'left' ? -1 : 1;
  if (view.screen.kind !== 'list') return 0; // keyboards move in two dimensions: the core decides
  return input.direction === 'up' ? -1 : input.direction === 'down' ? 1 : 0;
}
