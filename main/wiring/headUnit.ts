import { bmwIdActors, fromStore } from './bmwId';
import { BmwIdClient } from '../bmwId/client';
import { TokenKeeper } from '../bmwId/tokens';
import { ProfileVault } from '../bmwId/vault';
import { bluetoothActors } from './bluetooth';
import { PairedDevices } from '../bluetooth/devices';
import { deleteEsimOf, eraseEsims, esimActors } from './esim';
import { DownloadSessions } from '../esim/sessions';
import { bluetoothMachine } from '../machines/bluetooth';
import { switchesOf } from '../machines/context';
import { esimMachine } from '../machines/esim';
import { headUnitMachine } from '../machines/headUnit';
import { telephoneMachine } from '../machines/telephone';
import { interpretInput } from '../screens/input';
import { prepareContacts } from '../screens/phone';
import type { Contact } from '../phonebook/vcard';
import type { CarSettings } from '../settings';
import type { Language } from '../../shared/i18n';
import type { CarStore } from './carStore';
import { reported } from '../store/problems';
import { telephoneActors } from './telephone';
import type { Bluetooth } from '../../hardware/bluetooth/contract';
import type { Modem } from '../../hardware/modem/contract';

/** What the head unit is made of: its memory, the cloud's address, the hardware, and a few reads of the running car. */
export interface Parts {
  store: CarStore;
  modem: Modem;
  bluetooth: Bluetooth;
  /** the BMW ID cloud's base URL (read at each request: a scenario may change it) */
  cloudUrl: () => string;
  cloudTimeoutMs: number | undefined;
  /** an outside TS.43 entitlement server; undefined: the cloud's */
  entitlementUrl: string | undefined;
  /** scales waits such as the eSIM retry backoff (tests: 0) */
  timeScale: number;
  now: () => Date;
  /** the car a first start or a factory reset begins from (the scenario's) */
  firstCar: () => CarSettings;
  /** the name the car shows phones (the running car's setting) */
  vehicleName: () => string;
  /** the car's language (the running car's setting) */
  language: () => Language;
  /** aborted when the car stops: background work (an address book's lists) ends at its next turn */
  stopped: AbortSignal;
}

/**
 * The composition of the head unit: the repositories over the store's areas, the BMW ID client
 * and its token keeper, and every actor and action the machines leave to be provided (SGP.22
 * downloads, Bluetooth, calls, the store, the meaning of an input). Returns the machine ready to
 * run. The one place where the layers meet.
 */
export function wireHeadUnit(parts: Parts) {
  const { store, modem, bluetooth, now } = parts;
  const millis = () => now().getTime();
  const vault = new ProfileVault(store, millis);
  const paired = new PairedDevices(store.devices, store.phones);
  const downloads = new DownloadSessions(store.sessions);
  const client = new BmwIdClient(parts.cloudUrl, parts.cloudTimeoutMs, parts.entitlementUrl);
  const keeper = new TokenKeeper(vault, client, millis);
  return headUnitMachine.provide({
    actors: {
      loadSettings: fromStore(async () => {
        // A first start takes the scenario's car (its language, theme, name).
        const { tokens, pins, sessions, ...loaded } = await store.load(parts.firstCar());
        vault.load(loaded.profiles, tokens, pins);
        const books = await paired.load();
        // (the lists of the address books on disk, worked out in the background: none is opened yet;
        // a car stopped meanwhile stops this too)
        void warm(
          Object.values(books.profiles)
            .flat()
            .map((d) => d.contacts),
          parts.stopped,
        ).catch(() => undefined);
        downloads.load(sessions);
        return loaded;
      }),
      saveSettings: fromStore((settings: CarSettings) => store.settings.save(settings)),
      factoryReset: fromStore(async ({ settings }: { settings: CarSettings | undefined }) => {
        // The eSIMs first: the modem must not keep a previous owner's profile; nor the adapter its phones.
        const esimErased = await eraseEsims(modem);
        await unpairAll(bluetooth);
        const fresh = await store.factoryReset(settings ?? parts.firstCar());
        vault.clear();
        paired.clear();
        downloads.load({ sessions: [] });
        return { settings: fresh, esimErased };
      }),
      // A BMW ID leaving the car takes its Personal eSIM and its phones' data with it.
      ...bmwIdActors(
        client,
        vault,
        millis,
        async (id) => {
          await deleteEsimOf(id, modem, client, keeper);
          await paired.removeProfile(id);
        },
        waitingStepMs * parts.timeScale,
      ),
      esim: esimMachine.provide({ actors: esimActors(modem, client, keeper, downloads, parts.timeScale) }),
      bluetooth: bluetoothMachine.provide({
        actors: bluetoothActors(bluetooth, paired, parts.vehicleName, (contacts) => prepareContacts(contacts, parts.language(), parts.stopped)),
        actions: { persist: ({ context }) => void paired.set(context.profileId, context.devices).catch(reported) },
      }),
      telephone: telephoneMachine.provide({ actors: telephoneActors(modem, bluetooth) }),
    },
    actions: {
      interpretInput,
      saveSwitches: ({ context }) => {
        if (context.profiles.active) void vault.setEsimSwitches(context.profiles.active, switchesOf(context)).catch(reported);
      },
    },
  });
}

async function warm(books: Contact[][], signal: AbortSignal): Promise<void> {
  for (const contacts of books) await prepareContacts(contacts, undefined, signal);
}

/** How long guide step ④ ("Wait for completion of BMW ID login") stays on screen at least, at a real car's pace. */
const waitingStepMs = 1500;

/** Removes every phone paired with the adapter (a factory reset forgets them on the radio too). */
async function unpairAll(bluetooth: Bluetooth): Promise<void> {
  const devices = await bluetooth.devices().catch(() => []);
  for (const device of devices) if (device.paired) await bluetooth.remove(device.address).catch(() => undefined);
}
