import { assign, enqueueActions, fromCallback, fromPromise, setup } from 'xstate';
import type { PinCheck } from '../bmwId/vault';
import type { lockState } from '../bmwId/pin';
import { forwardKey, openEntry, type EntryState } from './keyboard';
import type { HeadUnitEvent } from './events';
import type { UnlockEvent } from './loginEvents';

export interface UnlockContext {
  profileId: string;
  name: string;
  entry: EntryState | null;
  /** seconds until the PIN pad opens again, while locked */
  lockedSeconds: number;
  result: UnlockResult;
}

type Event = UnlockEvent | Extract<HeadUnitEvent, { type: 'entry.key' | 'entry.type' }>;

/** What unlocking ends in: the profile may be used, the driver must log in again, or gave up. */
export type UnlockResult = 'unlocked' | 'relogin' | 'cancelled';

/**
 * Switching to a profile that has a PIN. Each attempt is checked (and counted) by the vault; after
 * 5 wrong the pad is locked for a while, after 15 only a new BMW ID login opens the profile.
 */
export const unlockMachine = setup({
  types: { context: {} as UnlockContext, events: {} as Event, input: {} as { profileId: string; name: string }, output: {} as UnlockResult },
  actors: {
    lockState: fromPromise<ReturnType<typeof lockState>, { profileId: string }>(async () => {
      throw new Error('lockState not provided');
    }),
    checkPin: fromPromise<PinCheck, { profileId: string; pin: string }>(async () => {
      throw new Error('checkPin not provided');
    }),
    countdown: fromCallback<UnlockEvent, number>(() => () => {}),
  },
  actions: {
    pressKey: enqueueActions(({ context, event, enqueue }) =>
      // (a flow's entries submit only the flow's own events)
      forwardKey(context.entry, event, { entry: (entry) => enqueue.assign({ entry }), submit: (submit) => enqueue.raise(submit as UnlockEvent) }),
    ),
  },
}).createMachine({
  id: 'unlock',
  context: ({ input }) => ({ ...input, entry: null, lockedSeconds: 0, result: 'cancelled' as UnlockResult }),
  initial: 'checking',
  on: { 'unlock.back': '.cancelled' },
  states: {
    checking: {
      invoke: {
        src: 'lockState',
        id: 'lockState',
        input: ({ context }) => ({ profileId: context.profileId }),
        onDone: [
          {
            guard: ({ event }) => event.output.kind === 'locked',
            target: 'locked',
            actions: assign({ lockedSeconds: ({ event }) => (event.output as { seconds: number }).seconds }),
          },
          { guard: ({ event }) => event.output.kind === 'login', target: 'loginRequired' },
          { target: 'entering', actions: assign({ entry: () => openEntry('pinUnlock') }) },
        ],
        onError: 'cancelled',
      },
    },
    entering: {
      on: {
        'entry.key': { actions: 'pressKey' },
        'entry.type': { actions: 'pressKey' },
        'unlock.submit': 'checkingPin',
      },
    },
    checkingPin: {
      invoke: {
        src: 'checkPin',
        id: 'checkPin',
        input: ({ context, event }) => ({ profileId: context.profileId, pin: (event as { text: string }).text }),
        onDone: [
          { guard: ({ event }) => event.output.kind === 'ok', target: 'unlocked' },
          {
            guard: ({ event }) => event.output.kind === 'locked',
            target: 'locked',
            actions: assign({ lockedSeconds: ({ event }) => (event.output as { seconds: number }).seconds }),
          },
          { guard: ({ event }) => event.output.kind === 'login', target: 'loginRequired' },
          {
            target: 'entering',
            actions: assign({
              entry: ({ event }) => ({ ...openEntry('pinUnlock', '', 'pin.wrong'), errorParams: { left: (event.output as { left: number }).left } }),
            }),
          },
        ],
        onError: 'cancelled',
      },
    },
    locked: {
      entry: assign({ entry: null }),
      invoke: { src: 'countdown', id: 'countdown', input: ({ context }) => context.lockedSeconds },
      on: {
        'unlock.tick': [
          { guard: ({ event }) => event.secondsLeft <= 0, target: 'checking' },
          { actions: assign({ lockedSeconds: ({ event }) => event.secondsLeft }) },
        ],
      },
    },
    loginRequired: {
      entry: assign({ entry: null }),
      on: { 'unlock.relogin': 'relogin' },
    },
    unlocked: { type: 'final', entry: assign({ result: 'unlocked' as const }) },
    relogin: { type: 'final', entry: assign({ result: 'relogin' as const }) },
    cancelled: { type: 'final', entry: assign({ result: 'cancelled' as const }) },
  },
  output: ({ context }) => context.result,
});

/** Counts the lock down, one tick a second, down to zero. */
export const countdownActor = fromCallback<UnlockEvent, number>(({ input, sendBack }) => {
  let left = input;
  const timer = setInterval(() => {
    left -= 1;
    sendBack({ type: 'unlock.tick', secondsLeft: left });
  }, 1000);
  return () => clearInterval(timer);
});
