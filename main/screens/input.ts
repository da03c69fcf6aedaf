import type { HeadUnitContext } from '../machines/context';
import { headUnitSetup } from '../machines/headUnit';
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
export const interpretInput = headUnitSetup.enqueueActions(({ context, event, enqueue, self }) => {
  if (event.type !== 'input') return;
  const snapshot = self.getSnapshot();
  const target = targetOf(context, 'running', flowOf(snapshot), childrenOf(snapshot));
  const onEntry = target.screen.kind === 'entry' && !target.popup;
  const shown = target.screen.kind === 'entry' ? target.screen.shown : '';
  const typed = onEntry && context.typedOn === target.screen.id && shown !== '';
  const events = interpret({ ...target, typed }, event.input);
  for (const e of events) {
    // (the cursor of a flow's screen is kept by screen id: the event says which)
    enqueue.raise(e.type === 'focus.set' ? { ...e, screen: target.screen.id } : e);
  }
  // Enter's meaning on a keyboard follows what the person did last there: typed, or steered.
  const { input } = event;
  const submitted = events.some((e) => e.type === 'entry.key' && e.key === 'key.ok');
  const typing = input.kind === 'type' || (input.kind === 'key' && input.key === 'Backspace');
  const steered = input.kind === 'rotate' || input.kind === 'tilt';
  // (typing ends with a submit, a move of the cursor, or leaving the keyboard)
  const kept = onEntry && !submitted && !steered ? context.typedOn : null;
  const typedOn = onEntry && typing ? target.screen.id : kept;
  if (typedOn !== context.typedOn) enqueue.assign({ typedOn });
});
