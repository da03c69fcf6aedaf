import { fromCallback, fromPromise } from 'xstate';
import { BluetoothError, type Bluetooth } from '../../hardware/bluetooth/contract';
import type { BluetoothEvent, PairFailure, SyncFailure } from '../machines/bluetooth';
import { parseCallHistory, parseContactsSliced, type Contact } from '../phonebook/vcard';
import type { PairedDevice, PairedDevices } from '../bluetooth/devices';
import { log } from '../log';

/** How long the car stays discoverable and pairable with the search screen open. */
export const pairableSeconds = 180;

/** How long the car waits before asking a phone that came into range to connect again. */
const reconnectPauseMs = 30_000;

function failureOf(error: unknown): PairFailure {
  if (!(error instanceof BluetoothError)) return 'failed';
  switch (error.code) {
    case 'rejected':
    case 'canceled':
    case 'timeout':
    case 'gone':
    case 'notFound':
    case 'noAdapter':
    case 'notSupported':
      return error.code;
    default:
      return 'failed';
  }
}

/** Why a sync failed, as the driver is told: refused on the phone, the phone out of reach, or not possible on this bench. */
function syncFailureOf(error: unknown): SyncFailure {
  if (!(error instanceof BluetoothError)) return 'gone';
  if (error.code === 'refused') return 'refused';
  if (error.code === 'notSupported') return 'unavailable';
  return 'gone';
}

/**
 * What the Bluetooth machine does, given the adapter, the car's store of paired devices, its name,
 * and `prepare`: what the screens work out for an address book ahead (its order and rows, in
 * slices), run by a sync before it hands the book over.
 */
/**
 * How long the car waits for the answers to a numeric comparison once the code is shown (Secure
 * Simple Pairing): about what phones give their owner, so the car never waits on a phone that
 * has given up. The display counts it down beside the code.
 */
export const pairingAnswerMs = 30_000;

export function bluetoothActors(bt: Bluetooth, paired: PairedDevices, vehicleName: () => string, prepare: (contacts: Contact[]) => Promise<void>) {
  return {
    load: fromPromise<PairedDevice[], { profileId: string | null }>(async ({ input }) => paired.of(input.profileId)),
    discover: fromCallback<BluetoothEvent>(({ sendBack }) => {
      const names = new Map<string, string>();
      // (what an event said is newer than the list asked for before it came)
      const heard = new Set<string>();
      const off = bt.on((event) => {
        if (event.type === 'device' || event.type === 'deviceRemoved') heard.add(event.type === 'device' ? event.device.address : event.address);
        if (event.type === 'device' && event.device.name) names.set(event.device.address, event.device.name);
        // A phone pairing from its own settings: the car asks the driver the same way.
        if (event.type === 'confirm')
          sendBack({ type: 'bt.incoming', address: event.address, name: names.get(event.address) ?? event.address, passkey: event.passkey });
        if (event.type === 'device') {
          if (event.device.rssi === null) sendBack({ type: 'bt.lost', address: event.device.address });
          else sendBack({ type: 'bt.found', device: event.device });
        }
        if (event.type === 'deviceRemoved') sendBack({ type: 'bt.lost', address: event.address });
      });
      let stopped = false;
      const close = () => {
        void bt.stopDiscovery().catch(() => undefined);
        void bt.setPairable(false).catch(() => undefined);
      };
      void (async () => {
        await bt.setName(vehicleName());
        if (stopped) return;
        await bt.setPairable(true, pairableSeconds);
        if (stopped) return close(); // the screen closed while the adapter opened: close it again
        await bt.startDiscovery();
        if (stopped) return close();
        for (const device of await bt.devices()) if (device.rssi !== null && !heard.has(device.address)) sendBack({ type: 'bt.found', device });
      })().catch((error: unknown) => !stopped && sendBack({ type: 'bt.pairFailed', failure: failureOf(error) }));
      // Leaving the screen ends discovery, and the car is no longer pairable.
      return () => {
        stopped = true;
        off();
        close();
      };
    }),
    pair: fromCallback<BluetoothEvent, { address: string }>(({ input, sendBack, receive }) => {
      let settled = false;
      let answerTimer: NodeJS.Timeout | undefined;
      const off = bt.on((event) => {
        if (event.type !== 'confirm' || event.address !== input.address) return;
        // Both sides have the code from now on, and `pairingAnswerMs` to answer: the car says how long is left.
        clearTimeout(answerTimer);
        answerTimer = setTimeout(() => {
          if (settled) return;
          settled = true;
          void bt.cancelPairing(input.address).catch(() => undefined);
          sendBack({ type: 'bt.pairFailed', failure: 'timeout' });
        }, pairingAnswerMs);
        sendBack({ type: 'bt.passkey', passkey: event.passkey, until: Date.now() + pairingAnswerMs });
      });
      bt.pair(input.address).then(
        () => {
          settled = true;
          sendBack({ type: 'bt.paired' });
        },
        (error: unknown) => {
          settled = true;
          sendBack({ type: 'bt.pairFailed', failure: failureOf(error) });
        },
      );
      receive((event) => {
        if (event.type === 'bt.confirm') void bt.confirm(input.address, event.accept).catch(() => undefined);
      });
      return () => {
        off();
        clearTimeout(answerTimer);
        if (!settled) void bt.cancelPairing(input.address).catch(() => undefined);
      };
    }),
    reconnect: fromCallback<BluetoothEvent, { profileId: string | null }>(({ input, sendBack }) => {
      const tried = new Map<string, number>();
      let stopped = false;
      const attempt = (address: string) => {
        // One attempt per phone at a time, and not more than one every half minute: a phone that
        // refuses must not be asked on every advertisement.
        const last = tried.get(address);
        if (last !== undefined && (last === 0 || Date.now() - last < reconnectPauseMs)) return;
        tried.set(address, 0);
        bt.connect(address).then(
          () => {
            tried.delete(address);
            if (!stopped) sendBack({ type: 'bt.sync', address });
          },
          (error: unknown) => {
            tried.set(address, Date.now());
            if (!stopped && error instanceof BluetoothError && error.code === 'notPaired') sendBack({ type: 'bt.forgotten', address });
          },
        );
      };
      const off = bt.on((event) => {
        if (event.type !== 'device') return;
        const { address, rssi, connected } = event.device;
        if (rssi === null || connected || !paired.of(input.profileId).some((d) => d.address === address)) return;
        attempt(address);
      });
      // At start (the car switched on, or this BMW ID chosen), its phones are paged once, as head
      // units do, and another BMW ID's phones are let go: the driver now is someone else.
      void bt.devices().then(
        (devices) => {
          for (const device of devices) {
            if (stopped) return;
            const mine = paired.of(input.profileId).some((d) => d.address === device.address);
            if (mine && !device.connected) attempt(device.address);
            if (!mine && device.connected) void bt.disconnect(device.address).catch(() => undefined);
          }
        },
        () => undefined,
      );
      return () => {
        stopped = true;
        off();
      };
    }),
    accept: fromCallback<BluetoothEvent, { address: string }>(({ input, sendBack, receive }) => {
      let answered = false;
      const off = bt.on((event) => {
        if (event.type === 'device' && event.device.address === input.address && event.device.paired && event.device.trusted) sendBack({ type: 'bt.paired' });
        if (event.type === 'pairingCancelled' && event.address === input.address)
          sendBack({ type: 'bt.pairFailed', failure: answered ? 'rejected' : 'canceled' });
      });
      receive((event) => {
        if (event.type !== 'bt.confirm') return;
        answered = true;
        void bt.confirm(input.address, event.accept).catch(() => undefined);
        if (!event.accept) sendBack({ type: 'bt.pairFailed', failure: 'rejected' });
      });
      return () => {
        off();
        if (!answered) void bt.confirm(input.address, false).catch(() => undefined);
      };
    }),
    connect: fromPromise<PairedDevice[], { profileId: string | null; address: string; name: string; devices: PairedDevice[] }>(async ({ input }) => {
      await bt.connect(input.address);
      const device = (await bt.devices()).find((d) => d.address === input.address);
      const profiles = device?.profiles ?? ['hfp', 'pbap', 'a2dp'];
      const others = input.devices.filter((d) => d.address !== input.address);
      const record: PairedDevice = {
        address: input.address,
        name: device?.name ?? input.name,
        pairedAt: new Date().toISOString(),
        // Telephone means calls through this phone: its hands-free profile, where the backend can place calls.
        functions: { telephone: profiles.includes('hfp') && bt.supports.calls, audio: profiles.includes('a2dp'), contacts: profiles.includes('pbap') },
        // The first phone is the one used with the Personal eSIM; the driver can choose another.
        esim: !others.some((d) => d.esim),
        contacts: [],
        callLog: [],
        syncedAt: null,
      };
      return paired.set(input.profileId, [...others, record]);
    }),
    sync: fromCallback<BluetoothEvent, { profileId: string | null; address: string }>(({ input, sendBack }) => {
      let stopped = false;
      void (async () => {
        // (a phone back in range after a failed sync is connected again first)
        await bt.connect(input.address);
        const book = await bt.pullPhonebook(input.address, 'pb', (loaded, total) => !stopped && sendBack({ type: 'bt.syncProgress', loaded, total }));
        // Read, ordered and listed in slices: the controller is answered all along, whatever the book's size.
        const contacts = await parseContactsSliced(book);
        await prepare(contacts);
        // Not every phone shares its call history: the address book alone is still a sync.
        const history = await bt.pullPhonebook(input.address, 'cch').catch(() => new Uint8Array());
        const callLog = parseCallHistory(history).map((entry) => ({ ...entry, via: 'phone' as const }));
        if (!stopped) sendBack({ type: 'bt.synced', address: input.address, contacts, callLog });
      })().catch((error: unknown) => {
        if (stopped) return;
        if (error instanceof BluetoothError && error.code === 'notPaired') sendBack({ type: 'bt.forgotten', address: input.address });
        const reason = syncFailureOf(error);
        // (the bench's own fault goes to its log: the driver cannot mend it)
        if (reason === 'unavailable') log('bluetooth').warn(`contacts cannot be synced: ${(error as Error).message}`);
        sendBack({ type: 'bt.syncFailed', reason });
      });
      return () => {
        stopped = true;
      };
    }),
    remove: fromPromise<PairedDevice[], { profileId: string | null; address: string }>(async ({ input }) => {
      // The phone may be long gone from the adapter; its data goes from the car all the same.
      await bt.remove(input.address).catch(() => undefined);
      return paired.set(
        input.profileId,
        paired.of(input.profileId).filter((d) => d.address !== input.address),
      );
    }),
  };
}
