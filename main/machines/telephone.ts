import { assign, enqueueActions, fromCallback, sendTo, setup } from 'xstate';
import type { Call } from '../../hardware/modem/contract';
import type { PairedDevice } from '../bluetooth/devices';
import type { CallLogEntry } from '../store/phoneFiles';

/** How a call goes: through the car's Personal eSIM, or through a paired phone over HFP. */
export type CallRoute = { via: 'esim' } | { via: 'phone'; address: string };

export interface ActiveCall extends Call {
  via: 'esim' | 'phone';
  /** the phone, for a call over HFP */
  address: string | null;
  /** when the call was first connected (ms since the epoch), for its timer */
  connectedAt?: number;
}

export type TelephoneFailure = 'voiceOff' | 'notRegistered' | 'notConnected' | 'invalidNumber' | 'failed';

export interface TelephoneContext {
  calls: ActiveCall[];
  /** the call that ended last (the call screen shows it until it is left) */
  ended: ActiveCall | null;
  failure: TelephoneFailure | null;
}

export type TelephoneEvent =
  | { type: 'tel.dial'; number: string; route: CallRoute }
  | { type: 'tel.answer' }
  | { type: 'tel.decline' }
  | { type: 'tel.hangUp' }
  | { type: 'tel.update'; call: ActiveCall }
  | { type: 'tel.failed'; failure: TelephoneFailure }
  /** (internal) the moment "Call ended" is shown has passed */
  | { type: 'tel.endedShown' };

/** How long "Call ended" stays on the call screen before the driver is taken back. */
const endedShownMs = 3000;

const ringing = (c: ActiveCall) => c.state === 'incoming' || c.state === 'waiting';
const sameCall = (a: ActiveCall, b: ActiveCall) => a.id === b.id && a.via === b.via;

/** What the telephone machine tells the head unit (checked against HeadUnitEvent in events.ts). */
export type TelephoneToHeadUnit =
  | { type: 'tel.show' | 'tel.hide' }
  | { type: 'bt.logCall'; entry: CallLogEntry; address?: string }
  | { type: 'popup.open' | 'popup.closeIf'; popup: 'call.incoming' };
const toHeadUnit = (message: TelephoneToHeadUnit) => message;

/** The entry a finished call leaves in the log: missed when nobody answered an incoming call. */
function logEntryOf(call: ActiveCall, wasAnswered: boolean): CallLogEntry {
  const direction = call.direction === 'outgoing' ? 'dialed' : wasAnswered ? 'received' : 'missed';
  return { name: '', number: call.number, direction, at: localTime(new Date()), via: call.via === 'esim' ? 'esim' : 'phone' };
}

/** The car's local time without a zone, as phones give it in their call history (X-IRMC-CALL-DATETIME). */
function localTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/**
 * The telephone: calls out and in through the Personal eSIM's modem or a phone's hands-free
 * profile, with their states as the network reports them (dialing, alerting, active, held, ended).
 * An incoming call opens its pop-up; a finished call goes into the call log.
 */
export const telephoneMachine = setup({
  types: {
    context: {} as TelephoneContext & { answered: string[] },
    events: {} as TelephoneEvent,
  },
  actors: {
    /** follows the calls of the modem and the phones, and carries out dial, answer and hang-up */
    line: fromCallback<TelephoneEvent>(() => () => {}),
  },
}).createMachine({
  id: 'telephone',
  context: { calls: [], ended: null, failure: null, answered: [] },
  invoke: { src: 'line', id: 'line' },
  on: {
    'tel.dial': {
      actions: [
        assign({ failure: null, ended: null }),
        sendTo('line', ({ event }) => event),
        enqueueActions(({ enqueue }) => enqueue.sendParent(toHeadUnit({ type: 'tel.show' }))),
      ],
    },
    'tel.answer': { actions: [sendTo('line', ({ event }) => event), enqueueActions(({ enqueue }) => enqueue.sendParent(toHeadUnit({ type: 'tel.show' })))] },
    'tel.decline': { actions: sendTo('line', ({ event }) => event) },
    'tel.hangUp': { actions: sendTo('line', ({ event }) => event) },
    'tel.failed': { actions: assign({ failure: ({ event }) => event.failure }) },
    'tel.endedShown': {
      actions: enqueueActions(({ context, enqueue }) => {
        if (context.calls.length === 0 && context.ended) enqueue.sendParent(toHeadUnit({ type: 'tel.hide' }));
      }),
    },
    'tel.update': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const call = event.call;
        const key = `${call.via}:${call.id}`;
        const before = context.calls.find((c) => sameCall(c, call));
        const others = context.calls.filter((c) => !sameCall(c, call));
        if (call.state === 'disconnected') {
          if (!before) return;
          const answered = context.answered.includes(key);
          enqueue.assign({ calls: others, ended: call, answered: context.answered.filter((k) => k !== key) });
          enqueue.sendParent(toHeadUnit({ type: 'bt.logCall', entry: logEntryOf(call, answered), ...(call.address ? { address: call.address } : {}) }));
          // "Call ended" stays a moment, then the driver is back where they were (as head units do).
          if (others.length === 0) enqueue.raise({ type: 'tel.endedShown' }, { id: 'endedShown', delay: endedShownMs });
        } else {
          const answered = call.state === 'active' && !context.answered.includes(key) ? [...context.answered, key] : context.answered;
          enqueue.assign({ calls: [...others, call], answered, failure: null });
          if (ringing(call) && !before) enqueue.sendParent(toHeadUnit({ type: 'popup.open', popup: 'call.incoming' }));
        }
        const stillRinging = [...others, ...(call.state === 'disconnected' ? [] : [call])].some(ringing);
        if (!stillRinging) enqueue.sendParent(toHeadUnit({ type: 'popup.closeIf', popup: 'call.incoming' }));
      }),
    },
  },
});

/** What the call route depends on: the Personal eSIM's state and switches, and the paired phones. */
export interface LineInput {
  esim: { state: string; context: { switches: { voice: boolean }; registration: { voice: boolean } | null } } | null;
  bluetooth: { context: { devices: PairedDevice[] } } | null;
}

/**
 * The line calls go out on: the Personal eSIM when "Telephone functions via eSIM" is ticked and the
 * network has its voice registration (a call made before that would be refused); otherwise the phone used with the eSIM (or the newest) over HFP; else none.
 */
export function lineOf(input: LineInput): CallRoute | null {
  const esim = input.esim;
  if (esim?.state === 'ready' && esim.context.switches.voice && esim.context.registration?.voice) return { via: 'esim' };
  const phone = addressBookOwner(input);
  return phone?.functions.telephone ? { via: 'phone', address: phone.address } : null;
}

/** Whose address book the car shows: the phone used with the Personal eSIM, else the newest. */
export function addressBookOwner(input: Pick<LineInput, 'bluetooth'>): PairedDevice | undefined {
  const devices = input.bluetooth?.context.devices ?? [];
  return devices.find((d) => d.esim) ?? devices.at(-1);
}
