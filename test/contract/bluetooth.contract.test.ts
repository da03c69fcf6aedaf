import { readFileSync } from 'node:fs';
import dbus from 'dbus-next';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BluetoothError, type Bluetooth, type BluetoothEvent } from '../../hardware/bluetooth/contract';
import { BluezBluetooth } from '../../hardware/bluetooth/bluez/bluez';
import { call, uniqueName } from '../../hardware/bluetooth/bluez/dbus';
import { SimBluetooth } from '../../hardware/bluetooth/sim/simBluetooth';
import { BleBluetooth } from '../../hardware/bluetooth/ble/ble';
import { FakeNobleBindings } from '../support/fakeNoble';
import { ScenarioPhone } from '../../shared/scenario';
import { startDBusMock, type DBusMock } from '../support/dbusMock';
import { bluezWorld, type PhoneSpec, type World } from '../support/bluezWorld';

/**
 * One suite for the Bluetooth backends that pair phones: the simulated one, and BlueZ against
 * python3-dbusmock on a private bus. Each comes with its world: phones the test adds and plays.
 */
interface Backend {
  name: string;
  make(): Promise<{ bt: Bluetooth; world: World; close(): Promise<void> }>;
}

const vcards = readFileSync(new URL('../fixtures/vcards/iphone-vcard30.vcf', import.meta.url), 'utf8');

let mock: DBusMock | undefined;
const mockCall = (path: string, iface: string, member: string, signature = '', body: unknown[] = [], destination = 'org.bluez') =>
  call(mock!.bus, destination, path, iface, member, signature, body);

const simulated: Backend = {
  name: 'simulated',
  make: async () => {
    const bt = new SimBluetooth({ phones: [], timeScale: 0 });
    return {
      bt,
      world: {
        addPhone: async (spec) => bt.addPhone(ScenarioPhone.parse({ ...spec, confirmAfterMs: 0 })),
        phonePasskey: (address) => bt.phoneScreen(address).passkey,
      },
      close: () => bt.close(),
    };
  },
};

// One private bus with the BlueZ and obexd mocks for the whole file (about a second to start).
beforeAll(async () => {
  mock = await startDBusMock();
}, 20_000);
afterAll(async () => mock?.stop());

const ble: Backend = {
  name: 'BLE (noble, fake HCI)',
  make: async () => {
    const radio = new FakeNobleBindings();
    const bt = await BleBluetooth.open({ bindings: radio });
    return {
      bt,
      world: {
        addPhone: async (spec) =>
          radio.add({ id: spec.address.replace(/:/g, '').toLowerCase(), address: spec.address.toLowerCase(), localName: spec.name, rssi: spec.rssi, gatt: {} }),
        phonePasskey: () => null,
      },
      close: () => bt.close(),
    };
  },
};

const bluez: Backend = { name: 'BlueZ (dbusmock)', make: () => bluezWorld(mock!) };

function next(bt: Bluetooth, match: (event: BluetoothEvent) => boolean): Promise<BluetoothEvent> {
  return new Promise((resolve) => {
    const off = bt.on((event) => {
      if (match(event)) {
        off();
        resolve(event);
      }
    });
  });
}

async function rejectsWith(promise: Promise<unknown>, code: BluetoothError['code']) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BluetoothError);
  expect((error as BluetoothError).code).toBe(code);
}

const phone = (n: number, pairing: PhoneSpec['pairing'] = 'confirm'): PhoneSpec => ({
  name: `Phone ${n}`,
  address: `5C:F9:38:A1:B2:C${n}`,
  rssi: -50 - n,
  vcards,
  pairing,
});

function lifecycle() {
  let made: Awaited<ReturnType<Backend['make']>> | undefined;
  afterEach(async () => {
    await made?.close();
    made = undefined;
  });
  return async (backend: Backend) => (made = await backend.make());
}

describe.each([simulated, bluez, ble])('Bluetooth contract, discovery: $name', (backend) => {
  const make = lifecycle().bind(null, backend);

  it('finds phones in range with their name, address and signal', async () => {
    const { bt, world } = await make();
    const heard = next(bt, (e) => e.type === 'device' && e.device.address === '5C:F9:38:A1:B2:C2' && e.device.rssi === -52);
    await world.addPhone(phone(1));
    await world.addPhone(phone(2));
    await bt.startDiscovery();
    await heard;
    const found = await bt.devices();
    expect(found.map((d) => [d.name, d.address, d.rssi, d.paired]).sort()).toEqual([
      ['Phone 1', '5C:F9:38:A1:B2:C1', -51, false],
      ['Phone 2', '5C:F9:38:A1:B2:C2', -52, false],
    ]);
    expect((await bt.adapter()).discovering).toBe(true);
    await bt.stopDiscovery();
    expect((await bt.adapter()).discovering).toBe(false);
  });

  it('says what it cannot do with the one error type', async () => {
    const { bt } = await make();
    const unsupported = [
      !bt.supports.calls && bt.dial('5C:F9:38:A1:B2:C1', '0312345678'),
      !bt.supports.deviceInfo && bt.deviceInfo('5C:F9:38:A1:B2:C1'),
    ].filter((p) => p !== false);
    for (const call of unsupported) await rejectsWith(call, 'notSupported');
    await rejectsWith(bt.connect('00:00:00:00:00:00'), 'notFound');
  });
});

describe.each([simulated, bluez])('Bluetooth contract, pairing: $name', (backend) => {
  const make = lifecycle().bind(null, backend);

  it("takes the car's name, and is discoverable and pairable only when asked", async () => {
    const { bt } = await make();
    await bt.setName('BMW 54321');
    expect(await bt.adapter()).toMatchObject({ name: 'BMW 54321', powered: true, discoverable: false, pairable: false });
    await bt.setPairable(true, 120);
    expect(await bt.adapter()).toMatchObject({ discoverable: true, pairable: true });
    await bt.setPairable(false);
    expect(await bt.adapter()).toMatchObject({ discoverable: false, pairable: false });
  });

  it("pairs by numeric comparison: the code the car is asked to confirm is the phone's", async () => {
    const { bt, world } = await make();
    await world.addPhone(phone(1));
    await bt.setPairable(true);
    const asked = next(bt, (e) => e.type === 'confirm');
    const paired = bt.pair('5C:F9:38:A1:B2:C1');
    const request = await asked;
    expect(request).toMatchObject({ type: 'confirm', address: '5C:F9:38:A1:B2:C1' });
    const passkey = (request as { passkey: string }).passkey;
    expect(passkey).toMatch(/^\d{6}$/);
    expect(passkey).toBe(world.phonePasskey('5C:F9:38:A1:B2:C1'));
    await bt.confirm('5C:F9:38:A1:B2:C1', true);
    await paired;
    expect((await bt.devices()).find((d) => d.address === '5C:F9:38:A1:B2:C1')).toMatchObject({ paired: true, trusted: true });
  });

  it('does not pair when the driver refuses the code, or the phone declines', async () => {
    const { bt, world } = await make();
    await world.addPhone(phone(1));
    await world.addPhone(phone(2, 'reject'));
    await bt.setPairable(true);
    let asked = next(bt, (e) => e.type === 'confirm');
    let pairing = bt.pair('5C:F9:38:A1:B2:C1');
    await asked;
    await bt.confirm('5C:F9:38:A1:B2:C1', false);
    await rejectsWith(pairing, 'rejected');
    asked = next(bt, (e) => e.type === 'confirm');
    pairing = bt.pair('5C:F9:38:A1:B2:C2');
    await asked;
    await bt.confirm('5C:F9:38:A1:B2:C2', true);
    await rejectsWith(pairing, 'rejected');
    expect((await bt.devices()).filter((d) => d.paired)).toEqual([]);
  });

  it('connects a paired phone, pulls its phonebook with progress, and forgets it on removal', async () => {
    const { bt, world } = await make();
    await world.addPhone(phone(3));
    await bt.setPairable(true);
    const asked = next(bt, (e) => e.type === 'confirm');
    const paired = bt.pair('5C:F9:38:A1:B2:C3');
    await asked;
    await bt.confirm('5C:F9:38:A1:B2:C3', true);
    await paired;
    const connected = next(bt, (e) => e.type === 'device' && e.device.connected);
    await bt.connect('5C:F9:38:A1:B2:C3');
    await connected;
    const progress: number[] = [];
    const book = await bt.pullPhonebook('5C:F9:38:A1:B2:C3', 'pb', (loaded) => progress.push(loaded));
    expect(new TextDecoder().decode(book)).toBe(vcards);
    expect(progress.at(-1)).toBe(4);
    expect(progress.length).toBeGreaterThan(1);
    const removed = next(bt, (e) => e.type === 'deviceRemoved');
    await bt.remove('5C:F9:38:A1:B2:C3');
    expect(await removed).toEqual({ type: 'deviceRemoved', address: '5C:F9:38:A1:B2:C3' });
    expect((await bt.devices()).some((d) => d.address === '5C:F9:38:A1:B2:C3' && d.paired)).toBe(false);
  });
});

describe('the BlueZ backend beyond the contract', () => {
  let made: Awaited<ReturnType<Backend['make']>> | undefined;
  afterEach(async () => {
    await made?.close();
    made = undefined;
  });
  const agentCall = async (member: string, signature: string, body: unknown[]) => {
    const carName = uniqueName((made!.bt as unknown as { system: dbus.MessageBus }).system);
    return call(mock!.bus, carName, '/com/bmw/idrive/agent', 'org.bluez.Agent1', member, signature, body).then(
      () => 'ok',
      (e: { errorName: string }) => e.errorName,
    );
  };

  it('says there is no adapter, clearly', async () => {
    await mockCall('/', 'org.freedesktop.DBus.Mock', 'Reset');
    const bus = dbus.sessionBus({ busAddress: mock!.address });
    try {
      await rejectsWith(BluezBluetooth.open({ system: bus, session: bus }), 'noAdapter');
    } finally {
      bus.disconnect();
    }
  });

  it('refuses a confirmation while the pairing screen is closed', async () => {
    made = await bluez.make();
    await made.world.addPhone(phone(1));
    let asked = false;
    made.bt.on((e) => (asked ||= e.type === 'confirm'));
    await rejectsWith(made.bt.pair('5C:F9:38:A1:B2:C1'), 'rejected');
    expect(asked).toBe(false);
  });

  it('answers a pairing the phone starts while the car is pairable, and trusts the phone', async () => {
    made = await bluez.make();
    await made.world.addPhone(phone(4));
    await made.bt.setPairable(true);
    const asked = next(made.bt, (e) => e.type === 'confirm');
    const trusted = next(made.bt, (e) => e.type === 'device' && e.device.address === '5C:F9:38:A1:B2:C4' && e.device.paired && e.device.trusted);
    const done = made.world.phoneStartsPairing!('5C:F9:38:A1:B2:C4');
    expect(await asked).toEqual({ type: 'confirm', address: '5C:F9:38:A1:B2:C4', passkey: made.world.phonePasskey('5C:F9:38:A1:B2:C4') });
    await made.bt.confirm('5C:F9:38:A1:B2:C4', true);
    await done;
    await trusted;
  });

  it('refuses PIN, passkey and Just Works requests, and services for untrusted devices or other profiles', async () => {
    made = await bluez.make();
    await made.world.addPhone(phone(1));
    await made.bt.setPairable(true);
    const device = '/org/bluez/hci0/dev_5C_F9_38_A1_B2_C1';
    const hfp = '0000111f-0000-1000-8000-00805f9b34fb';
    const serial = '00001101-0000-1000-8000-00805f9b34fb';
    expect(await agentCall('RequestPinCode', 'o', [device])).toBe('org.bluez.Error.Rejected');
    expect(await agentCall('RequestPasskey', 'o', [device])).toBe('org.bluez.Error.Rejected');
    expect(await agentCall('RequestAuthorization', 'o', [device])).toBe('org.bluez.Error.Rejected');
    expect(await agentCall('AuthorizeService', 'os', [device, hfp])).toBe('org.bluez.Error.Rejected');
    const asked = next(made.bt, (e) => e.type === 'confirm');
    const paired = made.bt.pair('5C:F9:38:A1:B2:C1');
    await asked;
    await made.bt.confirm('5C:F9:38:A1:B2:C1', true);
    await paired;
    expect(await agentCall('AuthorizeService', 'os', [device, hfp])).toBe('ok');
    expect(await agentCall('AuthorizeService', 'os', [device, serial])).toBe('org.bluez.Error.Rejected');
  });
});

describe('the BLE backend beyond the contract', () => {
  it('connects and reads the Device Information and Battery services', async () => {
    const radio = new FakeNobleBindings();
    radio.add({
      id: 'c0ffee000001',
      address: 'c0:ff:ee:00:00:01',
      localName: "Hanako's Pixel",
      rssi: -60,
      gatt: { '180a': { '2a29': Buffer.from('Google'), '2a24': Buffer.from('Pixel 8\0') }, '180f': { '2a19': Buffer.from([87]) } },
    });
    const bt = await BleBluetooth.open({ bindings: radio });
    try {
      const heard = next(bt, (e) => e.type === 'device');
      await bt.startDiscovery();
      expect(await heard).toMatchObject({ device: { address: 'C0:FF:EE:00:00:01', name: "Hanako's Pixel", rssi: -60 } });
      expect(await bt.deviceInfo('C0:FF:EE:00:00:01')).toEqual({ manufacturer: 'Google', model: 'Pixel 8', battery: 87 });
      expect((await bt.devices())[0]?.connected).toBe(true);
      expect((await bt.adapter()).pairable).toBe(false);
    } finally {
      await bt.close();
    }
  });

  it('tells a machine without a usable adapter what to do', async () => {
    await rejectsWith(BleBluetooth.open({ bindings: new FakeNobleBindings('unauthorized') }), 'noAdapter');
    const error = await BleBluetooth.open({ bindings: new FakeNobleBindings('unauthorized') }).catch((e: Error) => e);
    expect((error as Error).message).toContain('Give this user access to Bluetooth');
  });
});
