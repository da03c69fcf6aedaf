import { enqueueActions } from 'xstate';
import type { HeadUnitContext } from '../machines/context';
import type { HeadUnitEvent } from '../machines/events';
import { childrenOf, flowOf, type Children, type Flow, type Phase } from '../machines/children';
import { popupModelOf, screenFocusOf, screenModel } from './compose';
import { interpret, type Target } from './controller';

/** What the controller acts on now: the screen and pop-up as the display shows them. */
export function targetOf(context: HeadUnitContext, phase: Phase, flow: Flow, children: Children): Target {
  const screen = screenModel(context, phase, flow, children);
  return {
    screen,
    popup: popupModelOf(context, phase, children),
    screenFocus: screenFocusOf(context, screen.id, flow),
    popupFocus: context.popup?.focus ?? null,
    depth: context.stack.length - 1,
  };
}

/**
 * The head unit's `interpretInput` action: one controller input, interpreted on the screen it
 * lands on (`interpret`), raised as the events it means. Provided to the machine by whoever
 * composes the car, so that `machines/` never imports `screens/`.
 */
export const interpretInput = enqueueActions(({ context, event, enqueue, self }: { context: HeadUnitContext; event: HeadUnitEvent; enqueue: { raise(e: HeadUnitEvent): void; assign(a: Partial<HeadUnitContext>): void }; self: { getSnapshot(): unknown } }) => {
  if (event.type !== 'input') return;
  const snapshot = self.getSnapshot() as never;
  const target = targetOf(context, 'running', flowOf(snapshot), childrenOf(snapshot));
  const onEntry = target.screen.kind === 'entry' && !target.popup;
  const cursorMoved = onEntry && context.cursorMovedOn === target.screen.id;
  for (const e of interpret({ ...target, cursorMoved }, event.input)) {
    // (the cursor of a flow's screen is kept by screen id: the event says which)
    enqueue.raise(e.type === 'focus.set' ? { ...e, screen: target.screen.id } : e);
  }
  // Enter's meaning on a keyboard follows what the person did last: steered or typed.
  const { kind } = event.input;
  if (onEntry && (kind === 'rotate' || kind === 'tilt')) enqueue.assign({ cursorMovedOn: target.screen.id });
  else if (kind === 'type') enqueue.assign({ cursorMovedOn: null });
});
