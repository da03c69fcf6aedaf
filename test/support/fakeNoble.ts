import { EventEmitter } from 'node:events';

/** A BLE peripheral as the fake radio advertises it, with the GATT values it serves. */
export interface FakePeripheral {
  id: string;
  address: string;
  localName: string;
  rssi: number;
  /** characteristic values by service UUID, then characteristic UUID */
  gatt: Record<string, Record<string, Buffer>>;
}

/**
 * HCI bindings for noble's `with-bindings` entry: a radio in memory. It powers on, advertises the
 * peripherals it is given while scanning, connects, and serves their GATT services.
 */
export class FakeNobleBindings extends EventEmitter {
  readonly peripherals = new Map<string, FakePeripheral>();
  constructor(private readonly state: 'poweredOn' | 'unauthorized' = 'poweredOn') {
    super();
  }
  add(peripheral: FakePeripheral): void {
    this.peripherals.set(peripheral.id, peripheral);
  }
  init(): void {
    setImmediate(() => this.emit('stateChange', this.state));
  }
  startScanning(): void {
    setImmediate(() => {
      this.emit('scanStart', false);
      for (const p of this.peripherals.values()) {
        this.emit('discover', p.id, p.address, 'public', true, { localName: p.localName, serviceUuids: Object.keys(p.gatt) }, p.rssi, true);
      }
    });
  }
  stopScanning(): void {
    setImmediate(() => this.emit('scanStop'));
  }
  connect(id: string): void {
    setImmediate(() => this.emit('connect', id, null));
  }
  disconnect(id: string): void {
    setImmediate(() => this.emit('disconnect', id));
  }
  discoverServices(id: string, uuids: string[]): void {
    const services = Object.keys(this.peripherals.get(id)?.gatt ?? {}).filter((s) => uuids.length === 0 || uuids.includes(s));
    setImmediate(() => this.emit('servicesDiscover', id, services));
  }
  discoverCharacteristics(id: string, service: string, uuids: string[]): void {
    const characteristics = Object.keys(this.peripherals.get(id)?.gatt[service] ?? {})
      .filter((c) => uuids.length === 0 || uuids.includes(c))
      .map((uuid) => ({ uuid, properties: ['read'] }));
    setImmediate(() => this.emit('characteristicsDiscover', id, service, characteristics));
  }
  read(id: string, service: string, characteristic: string): void {
    const value = this.peripherals.get(id)?.gatt[service]?.[characteristic] ?? Buffer.alloc(0);
    setImmediate(() => this.emit('read', id, service, characteristic, value, false));
  }
  reset(): void {}
  setScanParameters(): void {}
  updateRssi(): void {}
}
