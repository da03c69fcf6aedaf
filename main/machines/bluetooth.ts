import { assign, fromCallback, fromPromise, raise, sendParent, sendTo, setup } from 'xstate';
import type { BluetoothDevice, BluetoothErrorCode } from '../../hardware/bluetooth/contract';
import type { PairedDevice } from '../bluetooth/devices';
import type { CallLogEntry } from '../store/phoneFiles';

/** Why a pairing ended without a paired phone, in the words the car uses. */
export type PairFailure =
  Extract<BluetoothErrorCode, 'rejected' | 'canceled' | 'timeout' | 'gone' | 'failed' | 'notFound' | 'noAdapter' | 'notSupported'> | 'connect';

export interface SyncProgress {
  address: string;
  loaded: number;
  total: number | null;
}

export interface BluetoothContext {
  profileId: string | null;
  /** this profile's paired devices, oldest first */
  devices: PairedDevice[];
  /** found while searching, strongest first */
  discovered: BluetoothDevice[];
  /** the phone being paired, and the code both sides show */
  target: { address: string; name: string } | null;
  passkey: string | null;
  /** until when (ms since the epoch) both sides may answer the code shown; null: no count */
  passkeyUntil: number | null;
  failure: PairFailure | null;
  sync: SyncProgress | null;
  /** the phone whose last sync failed, and why */
  syncFailed: { address: string; reason: SyncFailure } | null;
  /** the device whose page is open */
  chosen: string | null;
  /** paired devices whose phone no longer has the pairing (removed on the phone): pair again */
  forgotten: string[];
}

/** Why a sync failed: the phone refused access to its contacts, it went out of reach, or this bench cannot sync contacts (no obexd). */
export type SyncFailure = 'refused' | 'gone' | 'unavailable';

export type BluetoothEvent =
  /** the search screen opened ("Connect new device") */
  | { type: 'bt.search' }
  /** the search screen closed */
  | { type: 'bt.stop' }
  | { type: 'bt.found'; device: BluetoothDevice }
  | { type: 'bt.lost'; address: string }
  | { type: 'bt.select'; address: string }
  | { type: 'bt.passkey'; passkey: string; until?: number }
  /** a phone started the pairing itself (from its own Bluetooth settings) while the car is pairable */
  | { type: 'bt.incoming'; address: string; name: string; passkey: string }
  | { type: 'bt.confirm'; accept: boolean }
  | { type: 'bt.paired' }
  | { type: 'bt.pairFailed'; failure: PairFailure }
  | { type: 'bt.open'; address: string }
  | { type: 'bt.sync'; address: string }
  | { type: 'bt.syncProgress'; loaded: number; total: number | null }
  | { type: 'bt.synced'; address: string; contacts: PairedDevice['contacts']; callLog: CallLogEntry[] }
  | { type: 'bt.syncFailed'; reason: SyncFailure }
  /** the driver cancels a pairing that waits for the phone */
  | { type: 'bt.cancel' }
  /** the phone refused the car's link key: its owner removed the pairing on the phone */
  | { type: 'bt.forgotten'; address: string }
  | { type: 'bt.remove'; address: string }
  /** make room: remove the oldest device, then search */
  | { type: 'bt.evict' }
  | { type: 'bt.useWithEsim'; address: string }
  | { type: 'bt.logCall'; entry: CallLogEntry; address?: string };

const closePairingPopup = { type: 'tellHeadUnit', params: { type: 'popup.closeIf', popup: 'bt.pairing' } } as const;
const openPairingPopup = { type: 'tellHeadUnit', params: { type: 'popup.open', popup: 'bt.pairing' } } as const;

/** What the machine tells the head unit. */
/** What the Bluetooth machine tells the head unit (checked against HeadUnitEvent in events.ts). */
export type BluetoothToHeadUnit = { type: 'popup.open' | 'popup.closeIf'; popup: 'bt.pairing' } | { type: 'bt.connected' | 'bt.syncEnded'; address: string };

/** Discovered devices, strongest signal first; those without a signal (gone) last. */
function ranked(devices: BluetoothDevice[]): BluetoothDevice[] {
  return [...devices].sort((a, b) => (b.rssi ?? -999) - (a.rssi ?? -999) || a.address.localeCompare(b.address));
}

/**
 * Bluetooth for the active profile (guide STEP 2 step 13): searching while the pairing screen is
 * open (the car is pairable only then), pairing by numeric comparison, connecting, syncing the
 * address book, and the paired devices with their contacts and call logs, kept per profile.
 */
export const bluetoothMachine = setup({
  types: {
    context: {} as BluetoothContext,
    events: {} as BluetoothEvent,
    input: {} as { profileId: string | null },
  },
  actors: {
    load: fromPromise<PairedDevice[], { profileId: string | null }>(async () => []),
    /** discoverable, pairable and discovering while it runs; reports what it finds */
    discover: fromCallback<BluetoothEvent>(() => () => {}),
    /** pairs with the device: reports the passkey, then paired or failed; takes the driver's answer */
    pair: fromCallback<BluetoothEvent, { address: string }>(() => () => {}),
    /** connects this profile's paired phones when they come into range; reports `bt.sync` for each */
    reconnect: fromCallback<BluetoothEvent, { profileId: string | null }>(() => () => {}),
    /** answers a pairing the phone started: takes the driver's answer, reports paired or failed */
    accept: fromCallback<BluetoothEvent, { address: string }>(() => () => {}),
    /** connects the new phone and stores it for this profile */
    connect: fromPromise<PairedDevice[], { profileId: string | null; address: string; name: string; devices: PairedDevice[] }>(async () => {
      throw new Error('connect not provided');
    }),
    /** pulls the address book and call history, parses and stores them */
    sync: fromCallback<BluetoothEvent, { profileId: string | null; address: string }>(() => () => {}),
    /** unpairs the device and deletes its data, in one write */
    remove: fromPromise<PairedDevice[], { profileId: string | null; address: string }>(async () => {
      throw new Error('remove not provided');
    }),
  },
  actions: {
    /** writes this profile's devices through to the store (queued; the last write wins) */
    persist: () => {},
    takeIncoming: assign(({ event }) =>
      event.type === 'bt.incoming' ? { target: { address: event.address, name: event.name }, passkey: event.passkey, failure: null } : {},
    ),
    startSync: assign(({ event }) => (event.type === 'bt.sync' ? { sync: { address: event.address, loaded: 0, total: null }, syncFailed: null } : {})),
    /** tells the head unit (its parent) what the screens must follow: the pairing pop-up, a new phone */
    tellHeadUnit: sendParent((_, message: BluetoothToHeadUnit) => message),
  },
}).createMachine({
  id: 'bluetooth',
  context: ({ input }) => ({
    profileId: input.profileId,
    devices: [],
    discovered: [],
    target: null,
    passkey: null,
    passkeyUntil: null,
    failure: null,
    sync: null,
    syncFailed: null,
    chosen: null,
    forgotten: [],
  }),
  on: {
    'bt.open': { actions: assign({ chosen: ({ event }) => event.address }) },
    // Calls are logged whatever else is going on.
    'bt.logCall': { actions: [assign({ devices: ({ context, event }) => withCall(context.devices, event.entry, event.address) }), 'persist'] },
  },
  initial: 'loading',
  states: {
    loading: {
      invoke: {
        src: 'load',
        id: 'load',
        input: ({ context }) => ({ profileId: context.profileId }),
        onDone: { target: 'ready', actions: assign({ devices: ({ event }) => event.output }) },
        onError: 'ready',
      },
    },
    ready: {
      type: 'parallel',
      // A paired phone that comes back into range is connected again, and its address book synced.
      invoke: { src: 'reconnect', id: 'reconnect', input: ({ context }) => ({ profileId: context.profileId }) },
      on: {
        'bt.forgotten': {
          guard: ({ context, event }) => context.devices.some((d) => d.address === event.address) && !context.forgotten.includes(event.address),
          actions: assign({ forgotten: ({ context, event }) => [...context.forgotten, event.address] }),
        },
      },
      states: {
        pairing: {
          initial: 'idle',
          states: {
            idle: {
              id: 'pairingIdle',
              on: {
                'bt.search': 'search',
                'bt.evict': 'evicting',
                'bt.remove': { target: 'removing', actions: assign({ chosen: ({ event }) => event.address }) },
                'bt.useWithEsim': {
                  guard: ({ context, event }) => context.devices.some((d) => d.address === event.address),
                  actions: [assign({ devices: ({ context, event }) => context.devices.map((d) => ({ ...d, esim: d.address === event.address })) }), 'persist'],
                },
              },
            },
            evicting: {
              invoke: {
                src: 'remove',
                id: 'evict',
                input: ({ context }) => ({ profileId: context.profileId, address: context.devices[0]?.address ?? '' }),
                onDone: {
                  target: 'search',
                  actions: assign({
                    devices: ({ event }) => withEsimPhone(event.output),
                    forgotten: ({ context, event }) => context.forgotten.filter((a) => event.output.some((d) => d.address === a)),
                  }),
                },
                onError: 'search',
              },
            },
            search: {
              entry: assign({ discovered: [], failure: null, target: null, passkey: null, passkeyUntil: null }),
              exit: assign({ discovered: [] }),
              invoke: { src: 'discover', id: 'discover' },
              on: {
                'bt.found': {
                  actions: assign({
                    discovered: ({ context, event }) => ranked([...context.discovered.filter((d) => d.address !== event.device.address), event.device]),
                  }),
                },
                'bt.lost': { actions: assign({ discovered: ({ context, event }) => context.discovered.filter((d) => d.address !== event.address) }) },
                'bt.stop': 'idle',
                // The adapter could not be opened for the search (the pairing states handle their own failures).
                'bt.pairFailed': { target: '.failed', actions: assign({ failure: ({ event }) => event.failure }) },
              },
              initial: 'list',
              states: {
                list: {
                  on: {
                    'bt.incoming': { target: 'accepting', actions: ['takeIncoming', openPairingPopup] },
                    'bt.select': {
                      target: 'pairing',
                      actions: assign(({ context, event }) => {
                        const device = context.discovered.find((d) => d.address === event.address);
                        return { target: { address: event.address, name: device?.name ?? event.address }, failure: null };
                      }),
                    },
                  },
                },
                pairing: {
                  invoke: { src: 'pair', id: 'pair', input: ({ context }) => ({ address: context.target!.address }) },
                  on: {
                    'bt.passkey': {
                      actions: [assign({ passkey: ({ event }) => event.passkey, passkeyUntil: ({ event }) => event.until ?? null }), openPairingPopup],
                    },
                    'bt.confirm': { actions: sendTo('pair', ({ event }) => event) },
                    'bt.paired': { target: 'connecting', actions: closePairingPopup },
                    'bt.pairFailed': {
                      target: 'failed',
                      actions: [assign({ failure: ({ event }) => event.failure, passkey: null, passkeyUntil: null }), closePairingPopup],
                    },
                    'bt.stop': { target: '#pairingIdle', actions: closePairingPopup },
                    // The driver stops waiting for a phone that does not answer (leaving the state cancels it at the adapter).
                    'bt.cancel': {
                      target: 'failed',
                      actions: [assign({ failure: 'canceled' as const, passkey: null, passkeyUntil: null }), closePairingPopup],
                    },
                  },
                },
                connecting: {
                  invoke: {
                    src: 'connect',
                    id: 'connect',
                    input: ({ context }) => ({
                      profileId: context.profileId,
                      address: context.target!.address,
                      name: context.target!.name,
                      devices: context.devices,
                    }),
                    onDone: {
                      target: '#pairingIdle',
                      actions: [
                        assign({
                          devices: ({ event }) => event.output,
                          forgotten: ({ context }) => context.forgotten.filter((a) => a !== context.target!.address),
                        }),
                        raise(({ context }) => ({ type: 'bt.sync' as const, address: context.target!.address })),
                        { type: 'tellHeadUnit', params: ({ context }) => ({ type: 'bt.connected' as const, address: context.target!.address }) },
                      ],
                    },
                    onError: { target: 'failed', actions: assign({ failure: 'connect' }) },
                  },
                },
                // The phone asked: the same pop-up, and the driver's answer goes to the phone's request.
                accepting: {
                  invoke: { src: 'accept', id: 'accept', input: ({ context }) => ({ address: context.target!.address }) },
                  on: {
                    'bt.confirm': { actions: sendTo('accept', ({ event }) => event) },
                    'bt.paired': { target: 'connecting', actions: closePairingPopup },
                    'bt.pairFailed': {
                      target: 'failed',
                      actions: [assign({ failure: ({ event }) => event.failure, passkey: null, passkeyUntil: null }), closePairingPopup],
                    },
                    'bt.stop': { target: '#pairingIdle', actions: closePairingPopup },
                  },
                },
                failed: {
                  on: {
                    'bt.incoming': { target: 'accepting', actions: ['takeIncoming', openPairingPopup] },
                    'bt.select': {
                      target: 'pairing',
                      actions: assign(({ context, event }) => ({
                        target: { address: event.address, name: context.discovered.find((d) => d.address === event.address)?.name ?? event.address },
                        failure: null,
                      })),
                    },
                  },
                },
              },
            },
            removing: {
              invoke: {
                src: 'remove',
                id: 'remove',
                input: ({ context }) => ({ profileId: context.profileId, address: context.chosen ?? '' }),
                onDone: {
                  target: 'idle',
                  actions: [
                    assign({
                      devices: ({ event }) => withEsimPhone(event.output),
                      chosen: null,
                      forgotten: ({ context, event }) => context.forgotten.filter((a) => event.output.some((d) => d.address === a)),
                    }),
                    'persist',
                  ],
                },
                onError: 'idle',
              },
            },
          },
        },
        sync: {
          initial: 'idle',
          states: {
            idle: { on: { 'bt.sync': { target: 'syncing', actions: 'startSync' } } },
            syncing: {
              invoke: { src: 'sync', id: 'sync', input: ({ context }) => ({ profileId: context.profileId, address: context.sync!.address }) },
              on: {
                // Another sync (again, or another phone) starts over.
                'bt.sync': { target: 'syncing', reenter: true, actions: 'startSync' },
                'bt.syncProgress': {
                  actions: assign({ sync: ({ context, event }) => ({ address: context.sync!.address, loaded: event.loaded, total: event.total }) }),
                },
                'bt.synced': {
                  target: 'idle',
                  actions: [
                    assign(({ context, event }) => ({
                      sync: null,
                      devices: context.devices.map((d) =>
                        d.address === event.address
                          ? { ...d, contacts: event.contacts, callLog: mergeLogs(d.callLog, event.callLog), syncedAt: new Date().toISOString() }
                          : d,
                      ),
                    })),
                    'persist',
                    { type: 'tellHeadUnit', params: ({ event }) => ({ type: 'bt.syncEnded' as const, address: event.address }) },
                  ],
                },
                'bt.syncFailed': {
                  target: 'idle',
                  actions: [
                    { type: 'tellHeadUnit', params: ({ context }) => ({ type: 'bt.syncEnded' as const, address: context.sync?.address ?? '' }) },
                    assign(({ context, event }) => ({ syncFailed: context.sync ? { address: context.sync.address, reason: event.reason } : null, sync: null })),
                  ],
                },
              },
            },
          },
        },
      },
    },
  },
});

/** A call goes into the log of the phone used with the Personal eSIM, or of the phone it went through. */
function withCall(devices: PairedDevice[], entry: CallLogEntry, address: string | undefined): PairedDevice[] {
  const owner = devices.find((d) => (address ? d.address === address : d.esim)) ?? devices[0];
  if (!owner) return devices;
  return devices.map((d) => (d === owner ? { ...d, callLog: [entry, ...d.callLog].slice(0, maxLog) } : d));
}

const maxLog = 200;

/** One phone is always the Personal eSIM's while any is paired: when it leaves, the newest takes over. */
export function withEsimPhone(devices: PairedDevice[]): PairedDevice[] {
  if (devices.length === 0 || devices.some((d) => d.esim)) return devices;
  return devices.map((d, i) => (i === devices.length - 1 ? { ...d, esim: true } : d));
}

/** The phone's history replaces what the phone said before; the car's own eSIM calls stay. */
function mergeLogs(current: CallLogEntry[], fromPhone: CallLogEntry[]): CallLogEntry[] {
  const own = current.filter((c) => c.via === 'esim');
  return [...own, ...fromPhone].sort((a, b) => (b.at ?? '').localeCompare(a.at ?? '')).slice(0, maxLog);
}
