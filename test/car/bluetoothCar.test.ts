import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core';
import { defaultScenario, Scenario, type ScenarioInput } from '../../shared/scenario';
import { carWithCloud, untilView as until, type CarWithCloud } from '../support/carWithCloud';
import { useTempDirs } from '../support/tempDir';
import { automationHandlers, fixedCar } from '../../main/hosts/handlers';
import { pairingAnswerMs } from '../../main/wiring/bluetooth';
import { addressBook } from '../support/addressBook';
import { BleBluetooth } from '../../hardware/bluetooth/ble/ble';
import { FakeNobleBindings } from '../support/fakeNoble';
import { addByEmail } from '../support/driver';

/**
 * Guide step 13 on the car, in-process with the simulated phones: pairing by numeric comparison,
 * the address book synced, the paired devices per profile, their removal, the cap, and calls.
 */
const tempDir = useTempDirs();
const iphone = '5C:F9:38:A1:B2:C3';
let car: CarWithCloud | undefined;
afterEach(async () => {
  await car?.stop();
  car = undefined;
});

const items = (core: Core) => core.snapshot().items;
/** The names in the contacts list as shown (its rows, without the search and the list's other items). */
const contactNames = (core: Core) =>
  items(core)
    .filter((i) => i.id.startsWith('c.'))
    .map((i) => i.label);
const labelOf = (core: Core, id: string) => items(core).find((i) => i.id === id)?.label;

/**
 * A car with Hanako's BMW ID. Her Personal eSIM sets up by itself and then offers telephony in a
 * pop-up; unless the test wants that pop-up, the driver answers "Not now" first.
 */
async function start(scenario: ScenarioInput = defaultScenario, offer: 'notNow' | 'keep' = 'notNow'): Promise<Core> {
  car = await carWithCloud(await tempDir(), Scenario.parse(scenario));
  const core = car.core;
  await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
  if (offer === 'notNow') {
    await until(core, 'the telephony offer', () => core.snapshot().popup?.id === 'esim.telephony');
    core.input({ kind: 'touch', itemId: 'notNow' });
  }
  return core;
}

/** Guide steps 10–13: Mobile devices, "Also activate telephone functions", the iPhone paired; ends on Contacts, synced. */
async function telephonyAndPhone(core: Core): Promise<void> {
  core.input({ kind: 'touch', itemId: 'mobileDevices' });
  await core.waitForEvent('popup', 10_000);
  core.input({ kind: 'touch', itemId: 'activate' });
  await until(core, 'the search', () => items(core).some((i) => i.id === `found.${iphone}`));
  await pair(core);
  await core.waitForScreen('mobileDevices', 5000);
  core.input({ kind: 'button', button: 'MENU' });
  core.input({ kind: 'touch', itemId: 'contacts' });
  await until(core, 'the contacts', () => items(core).some((i) => i.id.startsWith('c.')));
}

/** "Also activate telephone functions" in the Personal eSIM's offer, then the Telephone screen with its line. */
async function telephonyOn(core: Core): Promise<void> {
  await until(core, 'the telephony offer', () => core.snapshot().popup?.id === 'esim.telephony');
  core.input({ kind: 'touch', itemId: 'activate' });
  core.input({ kind: 'button', button: 'MENU' });
  core.input({ kind: 'touch', itemId: 'telephone' });
  await until(core, 'the eSIM line', () => (labelOf(core, 'line') ?? '').startsWith('Calls via Personal eSIM'));
}

async function openSearch(core: Core): Promise<void> {
  core.input({ kind: 'touch', itemId: 'mobileDevices' });
  core.input({ kind: 'touch', itemId: 'connectNew' });
  await until(core, 'the iPhone in the list', () => items(core).some((i) => i.id === `found.${iphone}`));
}

async function pair(core: Core, address = iphone): Promise<string> {
  core.input({ kind: 'touch', itemId: `found.${address}` });
  await core.waitForEvent('popup', 5000);
  const code = core.snapshot().popup!.highlight!;
  expect(car!.core.phones()!.phoneScreen(address).passkey).toBe(code);
  core.input({ kind: 'touch', itemId: 'confirm' });
  return code;
}

describe('Bluetooth on the car', () => {
  it('goes on in Mobile devices after a pairing started from the telephony offer on the menu (guide step 13 → 14)', async () => {
    const core = await start(defaultScenario, 'keep');
    await until(core, 'the telephony offer', () => core.snapshot().popup?.id === 'esim.telephony');
    expect(core.snapshot().screen).toBe('menu');
    core.input({ kind: 'touch', itemId: 'activate' });
    await until(core, 'the iPhone in the list', () => items(core).some((i) => i.id === `found.${iphone}`));
    await pair(core);
    await core.waitForScreen('mobileDevices', 5000);
    expect(core.snapshot().notice?.title).toBe("Hanako's iPhone connected");
    core.input({ kind: 'button', button: 'BACK' });
    expect(core.snapshot().screen).toBe('menu');
  });

  it('is pairable only while the search is open, and lists phones strongest first', async () => {
    const core = await start();
    const bt = core.bluetooth;
    expect((await bt.adapter()).pairable).toBe(false);
    await openSearch(core);
    expect(await bt.adapter()).toMatchObject({ pairable: true, discoverable: true, discovering: true, name: 'BMW 12345' });
    await until(core, 'three phones', () => items(core).filter((i) => i.id.startsWith('found.')).length === 3);
    expect(
      items(core)
        .filter((i) => i.id.startsWith('found.'))
        .map((i) => i.label),
    ).toEqual(["Hanako's iPhone", 'Pixel 8', 'Galaxy S24']);
    expect(labelOf(core, 'visible')).toContain('“BMW 12345”');
    core.input({ kind: 'button', button: 'BACK' });
    expect(core.snapshot().screen).toBe('mobileDevices');
    expect(await bt.adapter()).toMatchObject({ pairable: false, discoverable: false, discovering: false });
    // MENU (or TEL) from the search leaves it just the same.
    const pairable = new Promise<void>((resolve) => {
      const off = bt.on((e) => e.type === 'adapter' && e.adapter.pairable && (off(), resolve()));
    });
    core.input({ kind: 'touch', itemId: 'connectNew' });
    await pairable;
    core.input({ kind: 'button', button: 'MENU' });
    expect(await bt.adapter()).toMatchObject({ pairable: false, discoverable: false, discovering: false });
    core.input({ kind: 'touch', itemId: 'mobileDevices' });
    // (at once: the adapter is still being opened when the driver leaves)
    core.input({ kind: 'touch', itemId: 'connectNew' });
    core.input({ kind: 'button', button: 'TEL' });
    expect(core.snapshot().screen).toBe('telephone');
    await new Promise((resolve) => setImmediate(resolve)); // one turn of the event loop: the opening runs to its end
    expect(await bt.adapter()).toMatchObject({ pairable: false, discoverable: false, discovering: false });
  });

  it('pairs with the code both sides show, connects, and syncs the address book', async () => {
    const core = await start();
    await openSearch(core);
    const details: string[] = [];
    const notices: string[] = [];
    const off = core.onView(() => {
      details.push(items(core).find((i) => i.id === `device.${iphone}`)?.detail ?? '');
      const notice = core.snapshot().notice;
      if (notice) notices.push(`${notice.title}: ${notice.text}`);
    });
    await pair(core);
    await core.waitForScreen('mobileDevices', 5000);
    // Back on Mobile devices right after the pairing, the phone's row shows the sync's progress,
    // and beside it the phone is shown connected with the same progress.
    await until(core, 'the sync over', () => (items(core).find((i) => i.id === `device.${iphone}`)?.detail ?? '').startsWith('Telephone'));
    expect(
      details.some((d) => /^Syncing contacts: \d+ of 9/.test(d)),
      details.join(' | '),
    ).toBe(true);
    expect(
      notices.some((n) => /^Hanako's iPhone connected: Syncing contacts: \d+ of 9/.test(n)),
      notices.join(' | '),
    ).toBe(true);
    expect(core.snapshot().notice).toEqual({ title: "Hanako's iPhone connected", text: '9 contacts' });
    // A moment after the sync, the notice goes by itself; it never took the controller's cursor.
    expect(core.snapshot().focused).toBe('connectNew');
    await until(core, 'the notice gone', () => core.snapshot().notice === undefined, 10_000);
    off();
    await until(
      core,
      'the contacts synced',
      () => labelOf(core, 'contacts') === undefined && (items(core).find((i) => i.id === `device.${iphone}`)?.detail ?? '').includes('Personal eSIM'),
    );
    core.input({ kind: 'touch', itemId: `device.${iphone}` });
    await until(core, 'nine contacts', () => labelOf(core, 'contacts') === '9 contacts');
    expect(items(core).find((i) => i.id === 'esim')?.checked).toBe(true);
    expect(labelOf(core, 'functions')).toBe('Telephone · Audio · Contacts');
    core.input({ kind: 'button', button: 'MENU' });
    core.input({ kind: 'touch', itemId: 'contacts' });
    expect(contactNames(core).slice(0, 3)).toEqual(['Anna Smith', 'BMW Customer Interaction Center', 'Jürgen Müller']);
    core.input({ kind: 'touch', itemId: 'search' });
    core.input({ kind: 'type', text: 'すずき' });
    core.input({ kind: 'touch', itemId: 'key.ok' });
    expect(contactNames(core)).toEqual(['鈴木 一郎']);
    core.input({ kind: 'touch', itemId: items(core).find((i) => i.id.startsWith('c.'))!.id });
    expect(core.snapshot().screen).toBe('contact');
    expect(items(core).map((i) => i.label)).toEqual(['鈴木 一郎 (すずき いちろう)', '090-5555-6666']);
  });

  it('answers the controller while a 50,000-contact address book syncs: every input sent meanwhile is applied, in order', async () => {
    const big = '02:11:22:33:44:55';
    const core = await start({ ...defaultScenario, phones: [{ name: 'Big book', address: big, vcards: addressBook(50_000), confirmAfterMs: 0 }] });
    core.input({ kind: 'touch', itemId: 'mobileDevices' });
    core.input({ kind: 'touch', itemId: 'connectNew' });
    await until(core, 'the phone in the list', () => items(core).some((i) => i.id === `found.${big}`));
    await pair(core, big);
    await core.waitForScreen('mobileDevices', 5000);
    core.input({ kind: 'touch', itemId: `device.${big}` });
    const syncing = () => (labelOf(core, 'contacts') ?? '').startsWith('Syncing contacts');
    await until(core, 'the sync under way', syncing);
    const [first, second] = items(core)
      .filter((i) => i.kind !== 'info' && !i.disabled)
      .map((i) => i.id);
    core.input({ kind: 'touch', itemId: first! });
    // The driver turns the controller back and forth, one detent per turn of the event loop, as
    // long as the sync lasts: each detent must land at once, in the order it was made, also once
    // the whole book has arrived and the car reads, sorts and lists it.
    const during: Array<string | null> = [];
    let whileRead = 0;
    for (let n = 0; syncing(); n++) {
      core.input({ kind: 'rotate', detents: n % 2 === 0 ? 1 : -1 });
      during.push(core.snapshot().focused);
      if (labelOf(core, 'contacts') === 'Syncing contacts: 50000 of 50000') whileRead += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
    // (read, sorted and listed in slices, the book gives the loop a few hundred turns here; read in
    // one go, about 40 are left, from the rest of the sync)
    expect(whileRead, 'detents answered while the book was read, sorted and listed').toBeGreaterThanOrEqual(80);
    expect(during).toEqual(during.map((_, n) => (n % 2 === 0 ? second : first)));
    await until(core, 'the book synced', () => labelOf(core, 'contacts') === '50,000 contacts', 30_000);
  }, 60_000);

  it('searches contacts on the kana keyboard, with ゛ for voiced sounds, and by romaji on the Latin one', async () => {
    const core = await start();
    await openSearch(core);
    await pair(core);
    await core.waitForScreen('mobileDevices', 5000);
    core.input({ kind: 'button', button: 'MENU' });
    core.input({ kind: 'touch', itemId: 'contacts' });
    await until(core, 'the contacts', () => items(core).some((i) => i.id.startsWith('c.')));
    core.input({ kind: 'touch', itemId: 'search' });
    core.input({ kind: 'touch', itemId: 'key.kana' });
    const key = (label: string) => items(core).find((i) => i.label === label)!.id;
    for (const step of ['す', 'す', '゛゜小', 'き']) core.input({ kind: 'touch', itemId: key(step) });
    // (the matches follow the typing, under the field)
    expect(core.view().screen).toMatchObject({ shown: 'すずき', note: '1 contact: 鈴木 一郎' });
    core.input({ kind: 'touch', itemId: 'key.ok' });
    expect(contactNames(core)).toEqual(['鈴木 一郎']);
    core.input({ kind: 'touch', itemId: 'search' });
    for (let i = 0; i < 3; i++) core.input({ kind: 'touch', itemId: 'key.delete' });
    core.input({ kind: 'touch', itemId: 'key.kana' });
    core.input({ kind: 'type', text: 'mull' });
    core.input({ kind: 'touch', itemId: 'key.ok' });
    expect(contactNames(core)).toEqual(['Jürgen Müller']);
  });

  it('says why a pairing failed: the phone declines, nobody answers, the phone walks away', async () => {
    const core = await start({
      ...defaultScenario,
      phones: [
        { name: 'Declines', address: '00:00:00:00:00:01', pairing: 'reject' },
        { name: 'Walks', address: '00:00:00:00:00:02', pairing: 'ignore', walksAwayAfterMs: 0 },
      ],
    });
    core.input({ kind: 'touch', itemId: 'mobileDevices' });
    core.input({ kind: 'touch', itemId: 'connectNew' });
    await until(core, 'both phones', () => items(core).filter((i) => i.id.startsWith('found.')).length === 2);
    core.input({ kind: 'touch', itemId: 'found.00:00:00:00:00:01' });
    await until(core, 'declined', () => (labelOf(core, 'status') ?? '').includes('was declined'));
    expect(core.snapshot().popup).toBeNull();
    core.input({ kind: 'touch', itemId: 'found.00:00:00:00:00:02' });
    await until(core, 'out of range', () => (labelOf(core, 'status') ?? '').includes('Walks is out of range'));
    expect(core.snapshot().popup).toBeNull();
  });

  it("follows the bench: a phone's signal moves it up the list, and its owner walking away mid-pairing ends the pairing", async () => {
    const core = await start({
      ...defaultScenario,
      phones: [
        { name: 'Near', address: '00:00:00:00:00:04', rssi: -60, pairing: 'ignore' },
        { name: 'Far', address: '00:00:00:00:00:05', rssi: -80 },
      ],
    });
    const bench = automationHandlers(fixedCar(core), () => Promise.reject(new Error('no display')));
    core.input({ kind: 'touch', itemId: 'mobileDevices' });
    core.input({ kind: 'touch', itemId: 'connectNew' });
    const found = () =>
      items(core)
        .filter((i) => i.id.startsWith('found.'))
        .map((i) => i.label);
    await until(core, 'both phones', () => found().length === 2);
    expect(found()).toEqual(['Near', 'Far']);
    await bench['world.bluetooth']({ action: 'signal', address: '00:00:00:00:00:05', rssi: -45 });
    expect(core.phones()!.phoneScreen('00:00:00:00:00:05').rssi).toBe(-45);
    await until(core, 'Far first', () => found()[0] === 'Far');
    expect((await bench['world.read']({})).phones?.find((p) => p.name === 'Far')?.rssi).toBe(-45);
    core.input({ kind: 'touch', itemId: 'found.00:00:00:00:00:04' });
    await core.waitForEvent('popup', 5000);
    await bench['world.bluetooth']({ action: 'walkAway', address: '00:00:00:00:00:04', afterSeconds: 0.05 });
    // (still in range the moment it is asked: the owner goes a moment later)
    expect(core.phones()!.phoneScreen('00:00:00:00:00:04').inRange).toBe(true);
    await until(core, 'out of range', () => (labelOf(core, 'status') ?? '').includes('Near is out of range'));
    expect(core.snapshot().popup).toBeNull();
  });

  it('keeps the code and the time left in sight while the phone decides, after the driver confirmed', async () => {
    const core = await start({ ...defaultScenario, phones: [{ name: 'Slow', address: '00:00:00:00:00:06', pairing: 'ignore' }] });
    core.input({ kind: 'touch', itemId: 'mobileDevices' });
    core.input({ kind: 'touch', itemId: 'connectNew' });
    await until(core, 'the phone', () => items(core).some((i) => i.id === 'found.00:00:00:00:00:06'));
    const asked = Date.now();
    core.input({ kind: 'touch', itemId: 'found.00:00:00:00:00:06' });
    await core.waitForEvent('popup', 5000);
    const code = core.snapshot().popup!.highlight!;
    core.input({ kind: 'touch', itemId: 'confirm' });
    expect(core.snapshot().popup).toBeNull();
    const status = core.view().screen.items.find((i) => i.id === 'status')!;
    expect(status.label).toBe(`Confirm the pairing on Slow. The code is ${code}.`);
    // (the car waits 30 s from the code for the phone's answer, and the display counts it down)
    expect(status.until! - asked).toBeGreaterThanOrEqual(pairingAnswerMs - 1000);
    expect(status.until! - Date.now()).toBeLessThanOrEqual(pairingAnswerMs);
  });

  it('cancels the pairing when the driver refuses the code', async () => {
    const core = await start({ ...defaultScenario, phones: [{ name: 'Slow', address: '00:00:00:00:00:03', pairing: 'ignore' }] });
    core.input({ kind: 'touch', itemId: 'mobileDevices' });
    core.input({ kind: 'touch', itemId: 'connectNew' });
    await until(core, 'the phone', () => items(core).some((i) => i.id === 'found.00:00:00:00:00:03'));
    core.input({ kind: 'touch', itemId: 'found.00:00:00:00:00:03' });
    await core.waitForEvent('popup', 5000);
    core.input({ kind: 'button', button: 'BACK' });
    await until(core, 'refused', () => (labelOf(core, 'status') ?? '').includes('was declined'));
    expect(core.phones()!.phoneScreen('00:00:00:00:00:03')).toMatchObject({ passkey: null, paired: false });
  });

  it('keeps paired devices per BMW ID across a restart, and removing one deletes its data', async () => {
    let core = await start();
    await openSearch(core);
    await pair(core);
    await core.waitForScreen('mobileDevices', 5000);
    core.input({ kind: 'touch', itemId: `device.${iphone}` });
    await until(core, 'synced', () => labelOf(core, 'contacts') === '9 contacts');
    // "Sync contacts now" says when it last ran, so a sync that keeps the count is seen to have run
    const minute = (date: Date) => `Last synced ${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
    // (this minute, or the one before when the sync ended just before the minute turned)
    expect([minute(new Date()), minute(new Date(Date.now() - 60_000))]).toContain(items(core).find((i) => i.id === 'sync')?.detail);
    core = await car!.restart();
    core.input({ kind: 'touch', itemId: 'mobileDevices' });
    await until(core, 'the iPhone listed', () => items(core).some((i) => i.id === `device.${iphone}`));
    // Guest sees none of Hanako's phones.
    core.input({ kind: 'button', button: 'MENU' });
    core.input({ kind: 'touch', itemId: 'bmwId' });
    core.input({ kind: 'touch', itemId: 'profile.guest' });
    await core.waitForScreen('menu', 5000);
    core.input({ kind: 'touch', itemId: 'contacts' });
    expect(labelOf(core, 'none')).toContain('No contacts');
    core.input({ kind: 'button', button: 'MENU' });
    core.input({ kind: 'touch', itemId: 'bmwId' });
    core.input({ kind: 'touch', itemId: items(core).find((i) => i.id.startsWith('profile.') && i.id !== 'profile.guest')!.id });
    await core.waitForScreen('menu', 5000);
    core.input({ kind: 'touch', itemId: 'mobileDevices' });
    await until(core, 'the iPhone again', () => items(core).some((i) => i.id === `device.${iphone}`));
    core.input({ kind: 'touch', itemId: `device.${iphone}` });
    core.input({ kind: 'touch', itemId: 'remove' });
    expect(core.snapshot().popup?.focused).toBe('cancel');
    core.input({ kind: 'touch', itemId: 'confirm' });
    await until(core, 'removed', () => core.snapshot().screen === 'mobileDevices' && !items(core).some((i) => i.id === `device.${iphone}`));
    core = await car!.restart();
    core.input({ kind: 'touch', itemId: 'contacts' });
    expect(labelOf(core, 'none')).toContain('No contacts');
  });

  it('asks before it evicts the oldest device when the cap is reached', async () => {
    const phones = [1, 2, 3, 4, 5].map((n) => ({ name: `Phone ${n}`, address: `00:00:00:00:00:0${n}`, rssi: -40 - n, confirmAfterMs: 0 }));
    const core = await start({ ...defaultScenario, phones });
    for (const n of [1, 2, 3, 4]) {
      core.input({ kind: 'button', button: 'MENU' });
      await openSearchFor(core, `00:00:00:00:00:0${n}`);
      await pair(core, `00:00:00:00:00:0${n}`);
      await core.waitForScreen('mobileDevices', 5000);
    }
    core.input({ kind: 'touch', itemId: 'connectNew' });
    expect(core.snapshot().popup).toMatchObject({ id: 'bt.evict', focused: 'cancel' });
    expect(core.snapshot().popup!.text).toContain('Phone 1');
    core.input({ kind: 'touch', itemId: 'confirm' });
    await until(core, 'phone 5 listed', () => items(core).some((i) => i.id === 'found.00:00:00:00:00:05'));
    await pair(core, '00:00:00:00:00:05');
    await core.waitForScreen('mobileDevices', 5000);
    await until(
      core,
      'four devices',
      () =>
        items(core)
          .filter((i) => i.id.startsWith('device.'))
          .map((i) => i.label)
          .join() === 'Phone 2,Phone 3,Phone 4,Phone 5',
    );
  });

  it('calls out through the Personal eSIM, logs the call, and answers One Number ringing the car', async () => {
    const core = await start(defaultScenario, 'keep');
    await telephonyAndPhone(core);
    core.input({ kind: 'button', button: 'MENU' });
    core.input({ kind: 'touch', itemId: 'telephone' });
    expect(labelOf(core, 'line')).toBe('Calls via Personal eSIM (+81 90-1234-5678)');
    core.input({ kind: 'touch', itemId: 'dial' });
    core.input({ kind: 'type', text: '0312345678' });
    core.input({ kind: 'touch', itemId: 'key.ok' });
    await core.waitForScreen('call', 5000);
    await until(core, 'ringing', () => labelOf(core, 'state') === 'Ringing…' || labelOf(core, 'state') === 'Dialling…');
    core.world()!.apply({ action: 'remoteAnswer' });
    await until(core, 'connected', () => labelOf(core, 'state') === 'Connected');
    // (the display counts the call's time from when it connected)
    const since = core.view().screen.items.find((i) => i.id === 'state')?.since;
    expect(since).toBeGreaterThan(Date.now() - 10_000);
    expect(since).toBeLessThanOrEqual(Date.now());
    core.input({ kind: 'touch', itemId: 'hangUp' });
    await until(core, 'ended', () => labelOf(core, 'state') === 'Call ended');
    core.world()!.apply({ action: 'ring', number: '090-5555-6666' });
    await until(core, 'the incoming call', () => core.snapshot().popup?.id === 'call.incoming');
    expect(core.snapshot().popup!.text).toBe('鈴木 一郎\nvia Personal eSIM');
    core.input({ kind: 'touch', itemId: 'answer' });
    await until(core, 'answered', () => labelOf(core, 'state') === 'Connected' && labelOf(core, 'party') === '鈴木 一郎');
    core.world()!.apply({ action: 'remoteHangUp' });
    await until(core, 'ended', () => labelOf(core, 'state') === 'Call ended');
    expect(newestCalls(core)).toEqual([
      ['鈴木 一郎', 'Received'],
      ['03-1234-5678', 'Dialled'],
    ]);
  });
});

/** The call list's two newest rows, opened from the menu: who, and how (Received, Dialled, Missed). */
function newestCalls(core: Core): [string, string | undefined][] {
  core.input({ kind: 'button', button: 'MENU' });
  core.input({ kind: 'touch', itemId: 'telephone' });
  core.input({ kind: 'touch', itemId: 'calls' });
  return items(core)
    .slice(0, 2)
    .map((i) => [i.label, i.detail?.split(' · ')[0]]);
}

async function openSearchFor(core: Core, address: string): Promise<void> {
  core.input({ kind: 'touch', itemId: 'mobileDevices' });
  core.input({ kind: 'touch', itemId: 'connectNew' });
  await until(core, address, () => items(core).some((i) => i.id === `found.${address}`));
}

describe('the telephone without the eSIM box ticked', () => {
  it('calls through the phone over HFP, and hears the phone ring', async () => {
    const core = await start();
    await openSearch(core);
    await pair(core);
    await core.waitForScreen('mobileDevices', 5000);
    core.input({ kind: 'button', button: 'MENU' });
    core.input({ kind: 'touch', itemId: 'telephone' });
    expect(labelOf(core, 'line')).toBe("Calls via Hanako's iPhone");
    core.input({ kind: 'touch', itemId: 'contacts' });
    await until(core, 'the contacts', () => items(core).some((i) => i.label === '鈴木 一郎'));
    core.input({ kind: 'touch', itemId: items(core).find((i) => i.label === '鈴木 一郎')!.id });
    core.input({ kind: 'touch', itemId: 'n.0' });
    await core.waitForScreen('call', 5000);
    expect(labelOf(core, 'via')).toBe('via the phone');
    await until(core, 'ringing', () => labelOf(core, 'state') === 'Ringing…' || labelOf(core, 'state') === 'Dialling…');
    core.input({ kind: 'touch', itemId: 'hangUp' });
    await until(core, 'ended', () => labelOf(core, 'state') === 'Call ended');
    core.phones()!.ringPhone(iphone, '080-2222-3333');
    await until(core, 'the phone ringing', () => core.snapshot().popup?.id === 'call.incoming');
    expect(core.snapshot().popup!.text).toBe('佐藤 花子\nvia the phone');
    core.input({ kind: 'touch', itemId: 'decline' });
    await until(core, 'declined', () => core.snapshot().popup === null);
    expect(newestCalls(core)).toEqual([
      ['佐藤 花子', 'Missed'],
      ['鈴木 一郎', 'Dialled'],
    ]);
  });

  it('calls numbers as people write them, and knows a caller by the whole number (field cases c06, c07)', async () => {
    const vcards = [
      readFileSync('test/fixtures/field-cases/c06-formatted-numbers.vcf', 'utf8'),
      readFileSync('test/fixtures/field-cases/c07-callerid-contact.vcf', 'utf8'),
    ].join('');
    const phones = defaultScenario.phones.map((p) => (p.address === iphone ? { ...p, vcards } : p));
    const core = await start({ ...defaultScenario, phones }, 'keep');
    await telephonyAndPhone(core);
    const contacts = items(core).filter((i) => i.id.startsWith('c.'));
    for (const name of ['鈴木 一郎', '佐藤 花子', 'Digits Control']) {
      core.input({ kind: 'touch', itemId: contacts.find((c) => c.label === name)!.id });
      const written = labelOf(core, 'n.0')!;
      core.input({ kind: 'touch', itemId: 'n.0' });
      await core.waitForScreen('call', 5000);
      await until(core, `${name} ringing`, () => labelOf(core, 'state') === 'Ringing…');
      expect(labelOf(core, 'party')).toBe(name);
      core.input({ kind: 'touch', itemId: 'hangUp' });
      await until(core, 'ended', () => labelOf(core, 'state') === 'Call ended');
      // the contact still shows the number as written
      core.input({ kind: 'button', button: 'MENU' });
      core.input({ kind: 'touch', itemId: 'contacts' });
      core.input({ kind: 'touch', itemId: contacts.find((c) => c.label === name)!.id });
      expect(labelOf(core, 'n.0')).toBe(written);
      core.input({ kind: 'button', button: 'MENU' });
      core.input({ kind: 'touch', itemId: 'contacts' });
    }
    // 佐藤 花子 is at 080-2222-3333; a call from 090-2222-3333 is someone else.
    core.world()!.apply({ action: 'ring', number: '090-2222-3333' });
    await until(core, 'the incoming call', () => core.snapshot().popup?.id === 'call.incoming');
    expect(core.snapshot().popup!.text).toBe('090-2222-3333\nvia Personal eSIM');
    core.input({ kind: 'touch', itemId: 'decline' });
    core.input({ kind: 'button', button: 'MENU' });
    core.input({ kind: 'touch', itemId: 'telephone' });
    await until(core, 'the call declined', () => core.snapshot().popup === null && labelOf(core, 'current') === undefined);
    core.world()!.apply({ action: 'ring', number: '+81 80 2222 3333' });
    await until(core, 'the second call', () => core.snapshot().popup?.id === 'call.incoming');
    expect(core.snapshot().popup!.text).toBe('佐藤 花子\nvia Personal eSIM');
  });

  it('gives an unanswered call an end, and takes the driver back where they were after "Call ended"', async () => {
    const core = await start({ ...defaultScenario, calls: { answerAfterMs: null, noAnswerAfterMs: 1000 } }, 'keep');
    await telephonyOn(core);
    core.input({ kind: 'touch', itemId: 'dial' });
    core.input({ kind: 'type', text: '0312345678' });
    core.input({ kind: 'touch', itemId: 'key.ok' });
    await core.waitForScreen('call', 5000);
    await until(core, 'ringing', () => labelOf(core, 'state') === 'Ringing…');
    await until(core, 'no answer', () => labelOf(core, 'state') === 'No answer');
    expect(labelOf(core, 'party')).toBe('03-1234-5678');
    await core.waitForScreen('telephone', 5000);
  });

  it('lets the other party answer by itself, for demos', async () => {
    const core = await start({ ...defaultScenario, calls: { answerAfterMs: 0, noAnswerAfterMs: 60_000 } }, 'keep');
    await telephonyOn(core);
    core.input({ kind: 'touch', itemId: 'dial' });
    core.input({ kind: 'type', text: '0312345678' });
    core.input({ kind: 'touch', itemId: 'key.ok' });
    await until(core, 'connected', () => labelOf(core, 'state') === 'Connected');
  });

  it('says the telephone is off when no line can carry a call', async () => {
    const core = await start({ ...defaultScenario, phones: [{ name: 'Tablet', address: '00:00:00:00:00:07', hfp: false }] });
    core.input({ kind: 'touch', itemId: 'mobileDevices' });
    core.input({ kind: 'touch', itemId: 'connectNew' });
    await until(core, 'the tablet', () => items(core).some((i) => i.id === 'found.00:00:00:00:00:07'));
    await pair(core, '00:00:00:00:00:07');
    await core.waitForScreen('mobileDevices', 5000);
    await until(core, 'the tablet synced', () => items(core).find((i) => i.id === 'device.00:00:00:00:00:07')?.detail === 'Audio · Contacts · Personal eSIM');
    core.input({ kind: 'button', button: 'MENU' });
    core.input({ kind: 'touch', itemId: 'telephone' });
    expect(items(core).map((i) => i.id)).toEqual(['line', 'esim']);
    expect(labelOf(core, 'line')).toMatch(/^The telephone is off\. Tick “Telephone functions via eSIM”/);
  });

  it('offers Guest, who has no Personal eSIM, to connect a phone right there', async () => {
    car = await carWithCloud(await tempDir());
    const core = car.core;
    core.input({ kind: 'button', button: 'MENU' });
    core.input({ kind: 'touch', itemId: 'telephone' });
    expect(labelOf(core, 'line')).toBe('The telephone is off. Connect your phone to make and take calls through it.');
    expect(labelOf(core, 'line')).not.toContain('eSIM');
    core.input({ kind: 'touch', itemId: 'connectNew' });
    await until(core, 'the search', () => items(core).some((i) => i.id === `found.${iphone}`));
  });
});

describe('a phone that walks away', () => {
  it('during the address-book sync: the car says so, keeps the pairing, and syncs again on request', async () => {
    const core = await start();
    await openSearch(core);
    // The owner leaves as soon as the device page shows the first part of the address book arrived.
    let left = false;
    const off = core.onView(() => {
      if (labelOf(core, 'contacts') === 'Syncing contacts: 1 of 9') {
        off();
        left = true;
        core.phones()!.setInRange(iphone, false);
      }
    });
    core.input({ kind: 'touch', itemId: `found.${iphone}` });
    await core.waitForEvent('popup', 5000);
    core.input({ kind: 'touch', itemId: 'confirm' });
    await core.waitForScreen('mobileDevices', 5000);
    core.input({ kind: 'touch', itemId: `device.${iphone}` });
    await until(core, 'the failed sync', () => labelOf(core, 'contacts') === 'Contacts could not be synced. Keep the phone near the car and try again.');
    expect(left).toBe(true);
    expect(items(core).some((i) => i.id === 'remove')).toBe(true);
    core.phones()!.setInRange(iphone, true);
    core.input({ kind: 'touch', itemId: 'sync' });
    await until(core, 'synced', () => labelOf(core, 'contacts') === '9 contacts');
  });
});

describe('the car on the BLE backend', () => {
  it('tells a phone that refuses contact sharing from one out of reach, and how to allow it (field case c09)', async () => {
    const phones = defaultScenario.phones.map((p) => (p.address === iphone ? { ...p, contactSharing: 'refuse' as const } : p));
    const core = await start({ ...defaultScenario, phones });
    await openSearch(core);
    await pair(core);
    await core.waitForScreen('mobileDevices', 5000);
    core.input({ kind: 'touch', itemId: `device.${iphone}` });
    await until(core, 'the refusal', () => (labelOf(core, 'contacts') ?? '').startsWith("Hanako's iPhone refused access to its contacts."));
    expect(labelOf(core, 'contacts')).toContain('iPhone: Settings > Bluetooth > (i) next to this car > Sync Contacts');
    expect(labelOf(core, 'contacts')).not.toContain('Keep the phone near the car');
    core.phones()!.setContactSharing(iphone, true);
    core.input({ kind: 'touch', itemId: 'sync' });
    await until(core, 'synced', () => labelOf(core, 'contacts') === '9 contacts');
  });

  it('lists advertising devices with their signal, and says it cannot pair them as phones', async () => {
    const radio = new FakeNobleBindings();
    radio.add({ id: 'c0ffee000001', address: 'c0:ff:ee:00:00:01', localName: "Hanako's Pixel", rssi: -60, gatt: {} });
    const bluetooth = await BleBluetooth.open({ bindings: radio });
    car = await carWithCloud(await tempDir(), defaultScenario, undefined, { bluetooth });
    const core = car.core;
    core.input({ kind: 'touch', itemId: 'mobileDevices' });
    core.input({ kind: 'touch', itemId: 'connectNew' });
    await until(core, 'the Pixel', () => items(core).some((i) => i.id === 'found.C0:FF:EE:00:00:01'));
    expect(items(core).find((i) => i.id === 'found.C0:FF:EE:00:00:01')).toMatchObject({ label: "Hanako's Pixel", detail: 'Signal 3 of 4' });
    core.input({ kind: 'touch', itemId: 'found.C0:FF:EE:00:00:01' });
    await until(core, 'the explanation', () => (labelOf(core, 'status') ?? '').includes("Hanako's Pixel cannot be paired as a phone"));
    expect(core.snapshot().popup).toBeNull();
  });
});

describe('a phone that starts the pairing from its own settings', () => {
  it('gets the same pop-up while Connect new device is open, and is refused while it is not', async () => {
    const core = await start();
    core.phones()!.phoneStartsPairing(iphone);
    expect(core.snapshot().popup).toBeNull();
    expect(core.phones()!.phoneScreen(iphone).passkey).toBeNull();
    await openSearch(core);
    core.phones()!.phoneStartsPairing(iphone);
    await until(core, 'the pairing pop-up', () => core.snapshot().popup?.id === 'bt.pairing');
    expect(core.snapshot().popup).toMatchObject({
      highlight: core.phones()!.phoneScreen(iphone).passkey,
      text: "Hanako's iPhone\nConfirm that this code is shown on your phone.",
    });
    core.input({ kind: 'touch', itemId: 'confirm' });
    await core.waitForScreen('mobileDevices', 5000);
    core.input({ kind: 'touch', itemId: `device.${iphone}` });
    await until(core, 'synced', () => labelOf(core, 'contacts') === '9 contacts');
  });
});

describe('a paired phone that comes back', () => {
  it('is connected again by the car, and its address book synced, without the driver doing anything', async () => {
    const core = await start();
    await openSearch(core);
    await pair(core);
    await core.waitForScreen('mobileDevices', 5000);
    core.input({ kind: 'touch', itemId: `device.${iphone}` });
    await until(core, 'synced', () => labelOf(core, 'contacts') === '9 contacts');
    core.phones()!.setInRange(iphone, false);
    await until(core, 'no phone in the status bar', () => core.view().status.phone === null);
    const resyncing = until(core, 'the sync again', () => (labelOf(core, 'contacts') ?? '').startsWith('Syncing contacts'));
    core.phones()!.setInRange(iphone, true);
    await until(core, 'the phone in the status bar again', () => core.view().status.phone === "Hanako's iPhone");
    expect(core.phones()!.phoneScreen(iphone)).toMatchObject({ connected: true, paired: true });
    await resyncing;
    await until(core, 'synced again', () => labelOf(core, 'contacts') === '9 contacts');
  });
});

describe('an adapter that cannot open for the search', () => {
  it('says Bluetooth is not available, instead of searching forever', async () => {
    const core = await start();
    await core.bluetooth.setPowered(false);
    core.input({ kind: 'touch', itemId: 'mobileDevices' });
    core.input({ kind: 'touch', itemId: 'connectNew' });
    await until(core, 'the explanation', () => labelOf(core, 'status') === 'Bluetooth is not available in this car right now.');
    expect(labelOf(core, 'searching')).toBeUndefined();
  });
});

describe('a factory reset', () => {
  it('unpairs the phones on the radio too: the phone no longer lists the car', async () => {
    const core = await start();
    await openSearch(core);
    await pair(core);
    await until(core, 'the phone connected', () => core.phones()!.phoneScreen(iphone).connected);
    const done = await core.reset();
    expect(done.popup?.id).toBe('reset.done');
    expect(core.phones()!.phoneScreen(iphone)).toMatchObject({ paired: false, connected: false });
    expect((await core.bluetooth.devices()).filter((d) => d.paired)).toEqual([]);
  });
});

describe('the status bar', () => {
  it("shows the active BMW ID's connected phone, nothing while pairing, and lets it go when another BMW ID drives", async () => {
    const core = await start();
    expect(core.view().status.phone).toBeNull();
    await openSearch(core);
    expect(core.view().status.phone).toBeNull(); // visible and pairable, no phone yet: nothing to claim
    await pair(core);
    await until(core, 'the phone in the status bar', () => core.view().status.phone === "Hanako's iPhone");
    // Another BMW ID, without phones: the status bar claims none, and Hanako's phone is let go.
    await addByEmail(core, 'taro@example.com', 'bmw-id-demo', null);
    expect(core.view().status.profile).toBe('Taro Yamada');
    await until(core, 'no phone for Taro', () => core.view().status.phone === null);
    await until(core, 'the iPhone let go', () => !core.phones()!.phoneScreen(iphone).connected);
  });
});

describe('a large address book', () => {
  /** Whether the car is still reading the phone's book (the Bluetooth machine's sync progress). */
  const syncing = (core: Core): boolean => {
    const bluetooth = (
      core as unknown as { actor: { getSnapshot(): { children: { bluetooth?: { getSnapshot(): { context: { sync: unknown } } } } } } }
    ).actor.getSnapshot().children.bluetooth;
    return Boolean(bluetooth?.getSnapshot().context.sync);
  };

  it('syncs without freezing the car: inputs sent while it is read are all applied, in order', async () => {
    const cards = Array.from(
      { length: 30_000 },
      (_, i) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person ${i}\r\nN:${i};Person;;;\r\nTEL;TYPE=CELL:090${String(i).padStart(8, '0')}\r\nEND:VCARD\r\n`,
    ).join('');
    const core = await start({ ...defaultScenario, phones: [{ name: "Hanako's iPhone", address: iphone, vcards: cards, confirmAfterMs: 0 }] });
    await openSearch(core);
    await pair(core);
    await until(core, 'the sync under way', () => syncing(core));
    core.input({ kind: 'button', button: 'MENU' });
    const menu = ['bmwId', 'mobileDevices', 'telephone', 'contacts', 'settings'];
    let expected = menu.indexOf(core.view().screen.focus ?? '');
    // While the book is read, the driver keeps turning the controller, a detent per turn of the loop.
    let duringSync = 0;
    for (let detent = 0; syncing(core); detent++) {
      const step = detent % 8 < 4 ? 1 : -1;
      core.input({ kind: 'rotate', detents: step });
      expected = Math.min(menu.length - 1, Math.max(0, expected + step));
      // each detent is answered at once, where the ones before it left the cursor
      expect(core.view().screen.focus).toBe(menu[expected]);
      duringSync += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Answered all along: many detents landed while the book was still being read.
    expect(duringSync).toBeGreaterThan(10);
    core.input({ kind: 'touch', itemId: 'contacts' });
    await until(core, 'the contacts', () => items(core).some((i) => i.id.startsWith('c.')));
  }, 60_000);
});

describe('a phone that does not answer the pairing', () => {
  it('can be given up on from the screen: Cancel stops the pairing at the adapter and says so', async () => {
    const pixel = 'F4:F5:E8:12:34:56'; // (never answers, in the demo world)
    const core = await start();
    core.input({ kind: 'touch', itemId: 'mobileDevices' });
    core.input({ kind: 'touch', itemId: 'connectNew' });
    await until(core, 'the Pixel in the list', () => items(core).some((i) => i.id === `found.${pixel}`));
    core.input({ kind: 'touch', itemId: `found.${pixel}` });
    await core.waitForEvent('popup', 5000);
    const code = core.snapshot().popup!.highlight;
    core.input({ kind: 'touch', itemId: 'confirm' }); // the car confirms; the phone never does
    // The code stays in sight while the phone is asked.
    await until(core, 'waiting for the phone', () => labelOf(core, 'status') === `Confirm the pairing on Pixel 8. The code is ${code}.`);
    expect(items(core).find((i) => i.id === `found.${pixel}`)?.disabled).toBe(true);
    core.input({ kind: 'touch', itemId: 'cancelPairing' });
    expect(labelOf(core, 'status')).toBe('The pairing was cancelled.');
    expect(items(core).some((i) => i.id === 'cancelPairing')).toBe(false);
    await until(core, 'the phone no longer asked', () => core.phones()!.phoneScreen(pixel).passkey === null);
    expect(core.phones()!.phoneScreen(pixel).paired).toBe(false);
  });
});
