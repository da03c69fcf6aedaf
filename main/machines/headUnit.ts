import { assertEvent, assign, enqueueActions, fromPromise, raise, setup } from 'xstate';
import type { CarSettings } from '../settings';
import { interpret } from '../screens/controller';
import { popupModelOf, screenModel, type Phase } from '../screens/compose';
import { openEntry, pressKey, typeText } from '../screens/entry';
import { menuStack, topFrame, type Frame, type HeadUnitContext, type StoreNotice } from './context';
import type { HeadUnitEvent } from './events';

export interface Loaded {
  settings: CarSettings;
  notices: StoreNotice[];
}

/**
 * The head unit: boots from the store, shows screens, and reacts to the controller. The stack of
 * screens lives in context (iDrive is a stack of lists that remembers the cursor on each level);
 * what each screen shows and what its items do comes from `screens/`.
 */
export const headUnitMachine = setup({
  types: {
    context: {} as HeadUnitContext,
    events: {} as HeadUnitEvent,
    input: {} as { settings: CarSettings },
  },
  actors: {
    loadSettings: fromPromise<Loaded>(async () => {
      throw new Error('loadSettings not provided');
    }),
    saveSettings: fromPromise<void, CarSettings>(async () => {
      throw new Error('saveSettings not provided');
    }),
    factoryReset: fromPromise<CarSettings, { settings: CarSettings | undefined }>(async () => {
      throw new Error('factoryReset not provided');
    }),
  },
  actions: {
    interpretInput: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'input');
      for (const e of interpret(targetOf(context, 'running'), event.input)) enqueue.raise(e);
    }),
    setFocus: assign(({ context, event }) => {
      assertEvent(event, 'focus.set');
      if (context.popup) return { popup: { ...context.popup, focus: event.id } };
      return { stack: replaceTop(context, { ...topFrame(context), focus: event.id }) };
    }),
    open: assign(({ context, event }) => {
      assertEvent(event, 'nav.open');
      return { stack: [...context.stack, { screen: event.screen, focus: null }], popup: null };
    }),
    back: assign(({ context }) => {
      const top = topFrame(context);
      if (context.stack.length === 1) return {};
      return {
        stack: context.stack.slice(0, -1),
        entry: top.screen === 'entry' ? null : context.entry,
        popup: null,
      };
    }),
    // The main menu keeps its cursor: MENU returns to the item last used.
    toMenu: assign(({ context }) => ({ stack: context.stack.slice(0, 1), popup: null, entry: null })),
    jump: assign(({ context, event }) => {
      assertEvent(event, 'nav.jump');
      return { stack: [...context.stack.slice(0, 1), { screen: event.screen, focus: null }], popup: null, entry: null };
    }),
    openPopup: assign(({ event }) => {
      assertEvent(event, 'popup.open');
      return { popup: { id: event.popup, focus: null } };
    }),
    closePopup: assign(({ context }) => {
      // A store notice is acknowledged by closing it; the next one, if any, follows.
      if (context.popup?.id !== 'storeCorrupt') return { popup: null };
      const notices = context.notices.slice(1);
      return { notices, popup: notices.length > 0 ? { id: 'storeCorrupt' as const, focus: null } : null };
    }),
    applySettings: assign(({ context, event }) => {
      assertEvent(event, 'settings.set');
      return { settings: { ...context.settings, ...event.patch }, popup: null };
    }),
    openEntry: assign(({ context, event }) => {
      assertEvent(event, 'entry.open');
      return {
        entry: openEntry(event.purpose, context.settings[event.purpose]),
        stack: [...context.stack, { screen: 'entry', focus: null }],
      };
    }),
    pressKey: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'entry.key');
      if (!context.entry) return;
      const result = pressKey(context.entry, event.key);
      if ('submit' in result) {
        enqueue.raise({ type: 'nav.back' });
        enqueue.raise(result.submit);
      } else {
        enqueue.assign({ entry: 'invalid' in result ? result.invalid : result });
      }
    }),
    typeText: assign(({ context, event }) => {
      assertEvent(event, 'entry.type');
      return { entry: context.entry && typeText(context.entry, event.text) };
    }),
  },
}).createMachine({
  id: 'headUnit',
  context: ({ input }) => ({ settings: input.settings, stack: menuStack(), popup: null, entry: null, notices: [] }),
  initial: 'booting',
  states: {
    booting: {
      invoke: {
        id: 'loadSettings',
        src: 'loadSettings',
        onDone: {
          target: 'running',
          actions: assign(({ event }) => ({
            settings: event.output.settings,
            notices: event.output.notices,
            popup: event.output.notices.length > 0 ? { id: 'storeCorrupt' as const, focus: null } : null,
          })),
        },
        // The store reports damaged files itself; reaching here means the disk failed outright.
        onError: { target: 'running' },
      },
    },
    running: {
      type: 'parallel',
      states: {
        ui: {
          on: {
            input: { actions: 'interpretInput' },
            'focus.set': { actions: 'setFocus' },
            'nav.open': { actions: 'open' },
            'nav.back': { actions: 'back' },
            'nav.menu': { actions: 'toMenu' },
            'nav.jump': { actions: 'jump' },
            'popup.open': { actions: 'openPopup' },
            'popup.close': { actions: 'closePopup' },
            'settings.set': { actions: ['applySettings', raise({ type: 'settings.save' })] },
            'entry.open': { actions: 'openEntry' },
            'entry.key': { actions: 'pressKey' },
            'entry.type': { actions: 'typeText' },
          },
        },
        persistence: {
          initial: 'saved',
          states: {
            saved: {},
            saving: {
              invoke: {
                id: 'saveSettings',
                src: 'saveSettings',
                input: ({ context }) => context.settings,
                onDone: 'saved',
                // A failed write keeps the settings in memory; the next change tries again.
                onError: 'saved',
              },
            },
          },
          on: { 'settings.save': { target: '.saving', reenter: true } },
        },
      },
      on: { 'reset.confirm': 'resetting' },
    },
    resetting: {
      invoke: {
        id: 'factoryReset',
        src: 'factoryReset',
        input: ({ event }) => ({ settings: event.type === 'reset.confirm' ? event.settings : undefined }),
        onDone: {
          target: 'running',
          actions: assign(({ event }) => ({ settings: event.output, stack: menuStack(), popup: null, entry: null, notices: [] })),
        },
        onError: { target: 'running', actions: assign({ stack: () => menuStack(), popup: null, entry: null }) },
      },
    },
  },
});

export function phaseOf(value: unknown): Phase {
  if (value === 'booting' || value === 'resetting') return value;
  return 'running';
}

function targetOf(context: HeadUnitContext, phase: Phase) {
  return {
    screen: screenModel(context, phase),
    popup: popupModelOf(context, phase),
    screenFocus: topFrame(context).focus,
    popupFocus: context.popup?.focus ?? null,
    depth: context.stack.length - 1,
  };
}

function replaceTop(context: HeadUnitContext, frame: Frame): Frame[] {
  return [...context.stack.slice(0, -1), frame];
}
