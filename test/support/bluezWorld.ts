import { randomInt } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import dbus from 'dbus-next';
import { formatPasskey, type Bluetooth } from '../../hardware/bluetooth/contract';
import { BluezBluetooth } from '../../hardware/bluetooth/bluez/bluez';
import { call, uniqueName, Variant } from '../../hardware/bluetooth/bluez/dbus';
import type { DBusMock } from './dbusMock';

/** A phone the test adds to the world, and how its owner answers a pairing. */
export interface PhoneSpec {
  name: string;
  address: string;
  rssi: number;
  vcards: string;
  pairing: 'confirm' | 'reject';
}
export interface World {
  addPhone(spec: PhoneSpec): Promise<void>;
  /** the phone's owner pairs from the phone (BlueZ asks the car's agent); resolves when BlueZ is done */
  phoneStartsPairing?(address: string): Promise<void>;
  /** the code the phone shows when it is asked to pair */
  phonePasskey(address: string): string | null;
}

/**
 * The BlueZ backend on the private bus, with its world: the mock reset to one adapter, phones
 * that ask the car's agent to confirm as bluetoothd would, and the phone's side of PBAP played
 * on obexd's mock (the vCards written in two parts).
 */
export async function bluezWorld(mock: DBusMock): Promise<{ bt: Bluetooth; world: World; close(): Promise<void> }> {
  const mockCall = (path: string, iface: string, member: string, signature = '', body: unknown[] = [], destination = 'org.bluez') =>
    call(mock.bus, destination, path, iface, member, signature, body);

  await mockCall('/', 'org.freedesktop.DBus.Mock', 'Reset');
  await mockCall('/', 'org.freedesktop.DBus.Mock', 'Reset', '', [], 'org.bluez.obex');
  await mockCall('/', 'org.bluez.Mock', 'AddAdapter', 'ss', ['hci0', 'BMW 12345']);
  const carBus = dbus.sessionBus({ busAddress: mock.address });
  const bt = await BluezBluetooth.open({ system: carBus, session: carBus });
  const passkeys = new Map<string, string>();
  const books = new Map<string, string>();
  // The test plays the phone's side of PBAP: obexd's mock announces each transfer, the phone fills it in two parts.
  const onTransfer = (msg: dbus.Message) => {
    if (msg.member !== 'TransferCreated') return;
    const [path, , file] = msg.body as [string, unknown, string];
    void (async () => {
      const session = path.replace(/\/transfer\d+$/, '');
      const [destination] = await mockCall(
        session,
        'org.freedesktop.DBus.Properties',
        'Get',
        'ss',
        ['org.bluez.obex.Session1', 'Destination'],
        'org.bluez.obex',
      );
      const text = books.get(String(destination).toUpperCase()) ?? '';
      const half = text.indexOf('END:VCARD', text.length / 2);
      const cut = half < 0 ? text.length : half + 'END:VCARD\n'.length;
      await appendFile(file, text.slice(0, cut));
      await mockCall(path, 'org.bluez.obex.transfer1.Mock', 'UpdateStatus', 'b', [false], 'org.bluez.obex');
      await appendFile(file, text.slice(cut));
      await mockCall(path, 'org.bluez.obex.transfer1.Mock', 'UpdateStatus', 'b', [true], 'org.bluez.obex');
    })();
  };
  await call(mock.bus, 'org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 's', [
    "type='signal',interface='org.bluez.obex.Mock'",
  ]);
  mock.bus.on('message', onTransfer);
  return {
    bt,
    world: {
      addPhone: async (spec) => {
        const [path] = (await mockCall('/', 'org.bluez.Mock', 'AddDevice', 'sss', ['hci0', spec.address, spec.name])) as [string];
        await mockCall(path, 'org.freedesktop.DBus.Mock', 'UpdateProperties', 'sa{sv}', ['org.bluez.Device1', { RSSI: new Variant('n', spec.rssi) }]);
        const passkey = randomInt(0, 1_000_000);
        passkeys.set(spec.address, formatPasskey(passkey));
        books.set(spec.address, spec.vcards);
        // The template's Pair asks no agent: this one asks ours, as bluetoothd does, then the phone answers.
        const code = [
          `agent = self.connection.get_object('${uniqueName(carBus)}', '/com/bmw/idrive/agent')`,
          'try:',
          `    agent.RequestConfirmation(dbus.ObjectPath('${path}'), dbus.UInt32(${passkey}), dbus_interface='org.bluez.Agent1', timeout=60)`,
          'except dbus.exceptions.DBusException as error:',
          "    raise dbus.exceptions.DBusException(str(error), name='org.bluez.Error.AuthenticationRejected')",
          spec.pairing === 'reject' ? "raise dbus.exceptions.DBusException('declined on the phone', name='org.bluez.Error.AuthenticationRejected')" : '',
          `self.PairDevice('hci0', '${spec.address}', 5898764)`,
        ].join('\n');
        await mockCall(path, 'org.freedesktop.DBus.Mock', 'AddMethod', 'sssss', ['org.bluez.Device1', 'Pair', '', '', code]);
        // The same exchange started by the phone: the mock's own method plays the inbound pairing.
        await mockCall(path, 'org.freedesktop.DBus.Mock', 'AddMethod', 'sssss', ['org.bluez.Mock', 'PhoneStartsPairing', '', '', code]);
      },
      phonePasskey: (address) => passkeys.get(address) ?? null,
      phoneStartsPairing: async (address) => {
        await mockCall(`/org/bluez/hci0/dev_${address.replace(/:/g, '_')}`, 'org.bluez.Mock', 'PhoneStartsPairing').catch(() => undefined);
      },
    },
    close: async () => {
      mock.bus.off('message', onTransfer);
      await bt.close();
      carBus.disconnect();
    },
  };
}
