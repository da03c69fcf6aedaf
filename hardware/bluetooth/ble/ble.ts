import type { EventEmitter } from 'node:events';
import type { Call } from '../../modem/contract';
import { BluetoothError, normaliseAddress, type AdapterState, type Bluetooth, type BluetoothDevice, type BluetoothEvent } from '../contract';
import { Listeners } from '../../listeners';

/** The part of noble this backend uses (noble's own typings are not loaded: it is optional). */
interface Characteristic {
  uuid: string;
  readAsync(): Promise<Buffer>;
}
interface Peripheral extends EventEmitter {
  id: string;
  address: string;
  rssi: number;
  state: string;
  advertisement: { localName?: string };
  connectAsync(): Promise<void>;
  disconnectAsync(): Promise<void>;
  discoverSomeServicesAndCharacteristicsAsync(services: string[], characteristics: string[]): Promise<{ characteristics: Characteristic[] }>;
}
interface Noble extends EventEmitter {
  state: string;
  address?: string;
  startScanningAsync(services: string[], allowDuplicates: boolean): Promise<void>;
  stopScanningAsync(): Promise<void>;
}

const unsupported = (what: string) => new BluetoothError('notSupported', `${what} is Bluetooth Classic; the BLE backend only scans and reads GATT services`);

export interface BleOptions {
  /** noble's HCI bindings to use instead of the machine's adapter (tests pass fakes) */
  bindings?: unknown;
  /** how long to wait for the adapter to power on */
  timeoutMs?: number;
}

/**
 * Bluetooth LE through noble: discovers advertising devices (a phone running a BLE peripheral
 * app, say) with their signal, connects, and reads the Device Information (0x180A) and Battery
 * (0x180F) services. Pairing, phonebooks and calls are Classic and not offered. noble is loaded
 * only here and only when chosen: on a machine without an adapter it fails at load time.
 */
export class BleBluetooth implements Bluetooth {
  readonly backend = 'ble' as const;
  readonly supports = { pairing: false, phonebook: false, calls: false, deviceInfo: true };
  private readonly listeners = new Listeners<BluetoothEvent>();
  private readonly peripherals = new Map<string, Peripheral>();
  private discovering = false;
  private name = '';

  private constructor(private readonly noble: Noble) {
    noble.on('discover', (peripheral: Peripheral) => {
      const address = this.addressOf(peripheral);
      const known = this.peripherals.has(address);
      this.peripherals.set(address, peripheral);
      if (!known) {
        peripheral.on('connect', () => this.emit({ type: 'device', device: this.deviceOf(peripheral) }));
        peripheral.on('disconnect', () => this.emit({ type: 'device', device: this.deviceOf(peripheral) }));
      }
      this.emit({ type: 'device', device: this.deviceOf(peripheral) });
    });
    noble.on('stateChange', () => void this.adapter().then((adapter) => this.emit({ type: 'adapter', adapter })));
  }

  /** Loads noble and waits for the adapter; rejects with `noAdapter` and what to do when there is none. */
  static async open(options: BleOptions = {}): Promise<BleBluetooth> {
    let noble: Noble;
    try {
      noble =
        options.bindings !== undefined
          ? ((await import('@abandonware/noble/with-bindings')).default as (bindings: unknown) => Noble)(options.bindings)
          : ((await import('@abandonware/noble')).default as unknown as Noble);
    } catch (error) {
      throw new BluetoothError(
        'noAdapter',
        `No Bluetooth LE adapter could be opened (${(error as Error).message.split('\n')[0]}). Plug in a Bluetooth dongle and give this user access to it, or use --bluetooth sim.`,
      );
    }
    await poweredOn(noble, options.timeoutMs ?? 10_000);
    return new BleBluetooth(noble);
  }

  async adapter(): Promise<AdapterState> {
    return {
      powered: this.noble.state === 'poweredOn',
      name: this.name,
      address: normaliseAddress(this.noble.address ?? ''),
      discoverable: false,
      pairable: false,
      discovering: this.discovering,
    };
  }

  async setPowered(on: boolean): Promise<void> {
    if (on !== (this.noble.state === 'poweredOn')) throw new BluetoothError('notSupported', 'noble cannot switch the adapter on or off');
  }

  /** Kept for the adapter's state: a BLE central does not advertise the car's name. */
  async setName(name: string): Promise<void> {
    this.name = name;
  }

  /** Nothing to do: the car is never pairable over BLE (the adapter says so). */
  async setPairable(): Promise<void> {}

  async startDiscovery(): Promise<void> {
    // Duplicates keep the RSSI of each device current while the list is open.
    await this.noble.startScanningAsync([], true).catch((error: unknown) => {
      throw new BluetoothError('noAdapter', (error as Error).message);
    });
    this.discovering = true;
  }

  async stopDiscovery(): Promise<void> {
    await this.noble.stopScanningAsync().catch(() => undefined);
    this.discovering = false;
  }

  async devices(): Promise<BluetoothDevice[]> {
    return [...this.peripherals.values()].map((p) => this.deviceOf(p));
  }

  async pair(): Promise<void> {
    throw unsupported('Pairing');
  }

  async confirm(): Promise<void> {
    throw unsupported('Pairing');
  }

  async cancelPairing(): Promise<void> {}

  async connect(address: string): Promise<void> {
    const peripheral = this.peripheral(address);
    if (peripheral.state === 'connected') return;
    await peripheral.connectAsync().catch((error: unknown) => {
      throw new BluetoothError('gone', `could not connect to ${address}: ${(error as Error).message}`);
    });
  }

  async disconnect(address: string): Promise<void> {
    const peripheral = this.peripheral(address);
    if (peripheral.state === 'connected') await peripheral.disconnectAsync().catch(() => undefined);
  }

  async remove(address: string): Promise<void> {
    await this.disconnect(address).catch(() => undefined);
    if (this.peripherals.delete(normaliseAddress(address))) this.emit({ type: 'deviceRemoved', address: normaliseAddress(address) });
  }

  async pullPhonebook(): Promise<Uint8Array> {
    throw unsupported('The phonebook (PBAP)');
  }

  async dial(): Promise<Call> {
    throw unsupported('Hands-free calling');
  }

  async answer(): Promise<void> {
    throw unsupported('Hands-free calling');
  }

  async hangUp(): Promise<void> {
    throw unsupported('Hands-free calling');
  }

  async deviceInfo(address: string) {
    await this.connect(address);
    const { characteristics } = await this.peripheral(address)
      .discoverSomeServicesAndCharacteristicsAsync(['180a', '180f'], ['2a29', '2a24', '2a19'])
      .catch((error: unknown) => {
        throw new BluetoothError('failed', `could not read the services of ${address}: ${(error as Error).message}`);
      });
    const read = async (uuid: string) => {
      const characteristic = characteristics.find((c) => c.uuid === uuid);
      return characteristic ? characteristic.readAsync().catch(() => null) : null;
    };
    const [manufacturer, model, battery] = await Promise.all([read('2a29'), read('2a24'), read('2a19')]);
    return {
      manufacturer: manufacturer ? manufacturer.toString('utf8').replace(/\0+$/, '') : null,
      model: model ? model.toString('utf8').replace(/\0+$/, '') : null,
      battery: battery && battery.length > 0 ? Math.min(100, battery[0]!) : null,
    };
  }

  on(listener: (event: BluetoothEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    await this.stopDiscovery();
    for (const peripheral of this.peripherals.values()) if (peripheral.state === 'connected') await peripheral.disconnectAsync().catch(() => undefined);
    this.noble.removeAllListeners('discover');
    this.noble.removeAllListeners('stateChange');
    this.listeners.clear();
  }

  private peripheral(address: string): Peripheral {
    const peripheral = this.peripherals.get(normaliseAddress(address));
    if (!peripheral) throw new BluetoothError('notFound', `no device ${address} has been seen`);
    return peripheral;
  }

  /** Random BLE addresses can be hidden by the platform (noble gives ""): the peripheral id stands in. */
  private addressOf(peripheral: Peripheral): string {
    return normaliseAddress(peripheral.address && peripheral.address !== 'unknown' ? peripheral.address : peripheral.id);
  }

  private deviceOf(peripheral: Peripheral): BluetoothDevice {
    return {
      address: this.addressOf(peripheral),
      name: peripheral.advertisement.localName ?? null,
      deviceClass: 0,
      rssi: peripheral.rssi,
      paired: false,
      trusted: false,
      connected: peripheral.state === 'connected',
      profiles: [],
    };
  }

  private emit(event: BluetoothEvent): void {
    this.listeners.emit(event);
  }
}

function poweredOn(noble: Noble, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (state: string) => {
      if (state === 'poweredOn') finish(null);
      else if (state === 'unsupported' || state === 'unauthorized' || state === 'poweredOff') {
        finish(
          new BluetoothError(
            'noAdapter',
            `The Bluetooth LE adapter is ${state}. ${state === 'unauthorized' ? 'Give this user access to Bluetooth (or run with the capability cap_net_raw).' : state === 'poweredOff' ? 'Switch Bluetooth on.' : 'This machine has no BLE adapter.'}`,
          ),
        );
      }
    };
    const timer = setTimeout(
      () => finish(new BluetoothError('noAdapter', `The Bluetooth LE adapter did not power on within ${timeoutMs / 1000} s.`)),
      timeoutMs,
    );
    const finish = (error: BluetoothError | null) => {
      clearTimeout(timer);
      noble.off('stateChange', check);
      if (error) reject(error);
      else resolve();
    };
    noble.on('stateChange', check);
    // Reading the state initialises the bindings (noble does so lazily).
    check(noble.state);
  });
}
