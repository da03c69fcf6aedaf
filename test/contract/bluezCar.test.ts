import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultScenario } from '../../shared/scenario';
import { bluezWorld } from '../support/bluezWorld';
import { carWithCloud, untilView as until, type CarWithCloud } from '../support/carWithCloud';
import { startDBusMock, type DBusMock } from '../support/dbusMock';
import { useTempDirs } from '../support/tempDir';
import { addByEmail } from '../support/driver';
import { within } from '../support/within';

/**
 * Guide step 13 on a car whose Bluetooth is BlueZ (python3-dbusmock on a private bus): the same
 * screens, the agent asking the driver, the phonebook through obexd.
 */
const tempDir = useTempDirs();
let mock: DBusMock;
let car: CarWithCloud | undefined;
beforeAll(async () => {
  mock = await startDBusMock();
}, 20_000);
afterAll(async () => {
  await car?.stop();
  await mock?.stop();
});

describe('the car on BlueZ', () => {
  it('pairs a phone through its agent, connects it and syncs its address book over PBAP', async () => {
    const { bt, world, close } = await within(bluezWorld(mock), 15_000, 'BlueZ and obexd mocks reset');
    const address = '5C:F9:38:A1:B2:C9';
    const phone = world.addPhone({
      name: 'Bench iPhone',
      address,
      rssi: -45,
      pairing: 'confirm',
      vcards: readFileSync(new URL('../fixtures/vcards/iphone-vcard30.vcf', import.meta.url), 'utf8'),
    });
    await within(phone, 15_000, 'phone added to the BlueZ mock');
    car = await within(carWithCloud(await tempDir(), defaultScenario, undefined, { bluetooth: bt }), 30_000, 'car booted on BlueZ');
    const core = car.core;
    await addByEmail(core, 'hanako@example.com', 'onenumber-demo', null);
    core.input({ kind: 'touch', itemId: 'mobileDevices' });
    core.input({ kind: 'touch', itemId: 'connectNew' });
    await until(core, 'the phone in the list', () => core.snapshot().items.some((i) => i.id === `found.${address}`));
    expect(await bt.adapter()).toMatchObject({ name: 'BMW 12345', discoverable: true, pairable: true, discovering: true });
    core.input({ kind: 'touch', itemId: `found.${address}` });
    await until(core, 'the pairing pop-up', () => core.snapshot().popup?.id === 'bt.pairing');
    expect(core.snapshot().popup).toMatchObject({
      highlight: world.phonePasskey(address),
      text: 'Bench iPhone\nConfirm that this code is shown on your phone.',
    });
    let seen: unknown = null;
    const closed = new Promise<void>((resolve) => {
      const off = bt.on(async () => {
        const adapter = await bt.adapter();
        seen = adapter;
        if (!adapter.discoverable && !adapter.pairable && !adapter.discovering) {
          off();
          resolve();
        }
      });
    });
    core.input({ kind: 'press' });
    await until(core, 'back on Mobile devices', () => core.snapshot().screen === 'mobileDevices');
    // Leaving the search screen closes the car to pairing.
    await within(closed, 10_000, 'adapter closed to pairing', () => seen);
    core.input({ kind: 'touch', itemId: `device.${address}` });
    await until(core, 'the contacts synced', () => core.snapshot().items.find((i) => i.id === 'contacts')?.label === '4 contacts');
    expect((await bt.devices()).find((d) => d.address === address)).toMatchObject({ paired: true, trusted: true, connected: true });
    await within(car.stop(), 15_000, 'car stopped');
    car = undefined;
    await within(close(), 10_000, 'BlueZ backend closed');
  });
});
