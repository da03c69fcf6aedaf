import { readFile } from 'node:fs/promises';
import dbus from 'dbus-next';
import type { Call } from '../../modem/contract';
import {
  BluetoothError,
  formatPasskey,
  normaliseAddress,
  type AdapterState,
  type Bluetooth,
  type BluetoothDevice,
  type BluetoothEvent,
  type BluetoothProfile,
  type PhonebookBook,
} from '../contract';
import { Listeners } from '../../listeners';
import { serveAgent } from './agent';
import { addMatch, call, DBusCallError, managedObjects, nameOwner, setProperty, Variant, type Bus } from './dbus';

const bluez = 'org.bluez';
const obex = 'org.bluez.obex';
const adapterIface = 'org.bluez.Adapter1';
const deviceIface = 'org.bluez.Device1';
const agentPath = '/com/bmw/idrive/agent';

export interface BluezOptions {
  /** the system bus (bluetoothd) and the session bus (obexd); default: the process's own */
  system?: Bus;
  session?: Bus;
  /** the adapter to use, e.g. "hci0"; default: the first */
  adapter?: string;
}

/** A 16-bit service UUID in BlueZ's long form. */
const uuid16 = (uuid: string) => (/^0000([0-9a-f]{4})-0000-1000-8000-00805f9b34fb$/i.exec(uuid)?.[1] ?? '').toLowerCase();
function profilesOf(uuids: string[]): BluetoothProfile[] {
  const short = new Set(uuids.map(uuid16));
  const profiles: BluetoothProfile[] = [];
  if (short.has('111f') || short.has('111e')) profiles.push('hfp');
  if (short.has('112f') || short.has('1130')) profiles.push('pbap');
  if (short.has('110a') || short.has('110d')) profiles.push('a2dp');
  return profiles;
}

/** BlueZ's error names, in the contract's words. */
function pairingError(error: unknown): BluetoothError {
  const name = error instanceof DBusCallError ? error.errorName : '';
  const message = error instanceof Error ? error.message : String(error);
  if (/AuthenticationRejected|Rejected$/.test(name)) return new BluetoothError('rejected', message);
  if (/AuthenticationCanceled|Canceled$/.test(name)) return new BluetoothError('canceled', message);
  if (/AuthenticationTimeout|NoReply|Timeout/.test(name)) return new BluetoothError('timeout', message);
  if (/ConnectionAttemptFailed|PageTimeout|HostDown/.test(name + message)) return new BluetoothError('gone', message);
  if (/DoesNotExist|UnknownObject/.test(name)) return new BluetoothError('notFound', message);
  // A bond the phone dropped: the link key is refused ("PIN or Key Missing").
  if (/AuthenticationFailed|Key Missing/i.test(name + message)) return new BluetoothError('notPaired', message);
  return new BluetoothError('failed', message);
}

/**
 * A real adapter through BlueZ over D-Bus: Adapter1 discovery, Device1 pairing through our own
 * Agent1, Trusted, Connect, RemoveDevice; the phonebook through obexd's PBAP client. BlueZ alone
 * does no hands-free calls (that is oFono's or PipeWire's job), so `calls` is not supported.
 */
export class BluezBluetooth implements Bluetooth {
  readonly backend = 'bluez' as const;
  readonly supports = { pairing: true, phonebook: true, calls: false, deviceInfo: false };
  private readonly listeners = new Listeners<BluetoothEvent>();
  /** Device1 properties by object path, kept from GetManagedObjects and the signals */
  private readonly devicesByPath = new Map<string, Record<string, unknown>>();
  private adapterProps: Record<string, unknown> = {};
  private pairableNow = false;
  /** the driver's answer to the confirmation in progress */
  private pending: { path: string; answer(accept: boolean): void } | null = null;
  /** devices the driver confirmed: trusted once BlueZ says they are paired (a phone may have started the pairing) */
  private readonly trustWhenPaired = new Set<string>();
  private stopAgent = () => {};
  private readonly onMessage = (msg: dbus.Message) => this.handleSignal(msg);
  private bluezOwner: string | null = null;
  private obexOwner: string | null = null;

  private session_: Bus | undefined;

  private constructor(
    private readonly system: Bus,
    session: Bus | undefined,
    private readonly adapterPath: string,
  ) {
    this.session_ = session;
  }

  /** obexd's bus, connected when first needed: a bench without a session bus can still pair. */
  private get session(): Bus {
    if (!this.session_) {
      this.session_ = dbus.sessionBus();
      this.session_.on('error', () => undefined);
      this.session_.on('message', this.onMessage);
    }
    return this.session_;
  }

  /** Finds the adapter, registers the agent and starts following BlueZ. Rejects with `noAdapter` when there is none. */
  static async open(options: BluezOptions = {}): Promise<BluezBluetooth> {
    const system = options.system ?? dbus.systemBus();
    // A lost connection shows up as failed calls; an unhandled 'error' event would end the process.
    system.on('error', () => undefined);
    let objects;
    try {
      objects = await reachable(system, managedObjects(system, bluez));
    } catch (error) {
      throw new BluetoothError(
        'noAdapter',
        `BlueZ is not reachable on the system bus (${(error as Error).message}). Start dbus and bluetoothd, and allow this user to use org.bluez (see docs/hardware.md).`,
      );
    }
    const adapters = Object.keys(objects)
      .filter((path) => objects[path]![adapterIface])
      .sort();
    const path = options.adapter ? `/org/bluez/${options.adapter}` : adapters[0];
    if (!path || !objects[path]?.[adapterIface])
      throw new BluetoothError('noAdapter', `no Bluetooth adapter${options.adapter ? ` ${options.adapter}` : ''} found`);
    const bt = new BluezBluetooth(system, options.session, path);
    bt.adapterProps = { ...objects[path]![adapterIface] };
    for (const [objectPath, ifaces] of Object.entries(objects)) {
      if (ifaces[deviceIface] && objectPath.startsWith(`${path}/`)) bt.devicesByPath.set(objectPath, { ...ifaces[deviceIface] });
    }
    await bt.start();
    return bt;
  }

  private async start(): Promise<void> {
    this.bluezOwner = await nameOwner(this.system, bluez);
    await addMatch(this.system, `type='signal',sender='${bluez}'`);
    this.system.on('message', this.onMessage);
    if (this.session_ && this.session_ !== this.system) this.session_.on('message', this.onMessage);
    this.stopAgent = serveAgent(this.system, agentPath, {
      pairable: () => this.pairableNow,
      trusted: (path) => Boolean(this.devicesByPath.get(path)?.Trusted) && Boolean(this.devicesByPath.get(path)?.Paired),
      confirm: (path, passkey) =>
        new Promise<boolean>((resolve) => {
          this.pending?.answer(false);
          this.pending = { path, answer: resolve };
          this.emit({ type: 'confirm', address: this.addressOf(path), passkey: formatPasskey(passkey) });
        }),
      cancelled: () => {
        const pending = this.pending;
        this.pending = null;
        if (pending) {
          pending.answer(false);
          this.emit({ type: 'pairingCancelled', address: this.addressOf(pending.path) });
        }
      },
    });
    await call(this.system, bluez, '/org/bluez', 'org.bluez.AgentManager1', 'RegisterAgent', 'os', [agentPath, 'DisplayYesNo']);
    await call(this.system, bluez, '/org/bluez', 'org.bluez.AgentManager1', 'RequestDefaultAgent', 'o', [agentPath]);
  }

  async adapter(): Promise<AdapterState> {
    const p = this.adapterProps;
    return {
      powered: Boolean(p.Powered),
      name: String(p.Alias ?? p.Name ?? ''),
      address: String(p.Address ?? ''),
      discoverable: Boolean(p.Discoverable),
      pairable: this.pairableNow && Boolean(p.Pairable),
      discovering: Boolean(p.Discovering),
    };
  }

  async setPowered(on: boolean): Promise<void> {
    await this.setAdapter('Powered', 'b', on);
  }

  async setName(name: string): Promise<void> {
    await this.setAdapter('Alias', 's', name);
  }

  async setPairable(on: boolean, timeoutSeconds = 180): Promise<void> {
    this.pairableNow = on;
    if (on) {
      await this.setAdapter('DiscoverableTimeout', 'u', timeoutSeconds);
      await this.setAdapter('PairableTimeout', 'u', timeoutSeconds);
    } else {
      this.pending?.answer(false);
      this.pending = null;
    }
    await this.setAdapter('Pairable', 'b', on);
    await this.setAdapter('Discoverable', 'b', on);
  }

  async startDiscovery(): Promise<void> {
    await this.adapterCall('SetDiscoveryFilter', 'a{sv}', [{ Transport: new Variant('s', 'bredr') }]);
    await this.adapterCall('StartDiscovery');
  }

  async stopDiscovery(): Promise<void> {
    if (!this.adapterProps.Discovering) return;
    await this.adapterCall('StopDiscovery').catch((error: unknown) => {
      if (!(error instanceof BluetoothError) || !/NotReady|Failed/.test(error.message)) throw error;
    });
  }

  async devices(): Promise<BluetoothDevice[]> {
    return [...this.devicesByPath.entries()].map(([path, props]) => this.deviceOf(path, props));
  }

  async pair(address: string): Promise<void> {
    const path = this.pathOf(address);
    try {
      await call(this.system, bluez, path, deviceIface, 'Pair');
    } catch (error) {
      if (!(error instanceof DBusCallError && /AlreadyExists/.test(error.errorName))) throw pairingError(error);
    } finally {
      this.pending = null;
    }
    await setProperty(this.system, bluez, path, deviceIface, 'Trusted', 'b', true).catch((error: unknown) => {
      throw pairingError(error);
    });
    this.update(path, { Paired: true, Trusted: true });
  }

  async confirm(address: string, accept: boolean): Promise<void> {
    const pending = this.pending;
    if (!pending || pending.path !== this.pathOf(address)) throw new BluetoothError('notFound', 'no pairing in progress');
    this.pending = null;
    if (accept) this.trustWhenPaired.add(pending.path);
    pending.answer(accept);
  }

  async cancelPairing(address: string): Promise<void> {
    const path = this.pathOf(address);
    if (this.pending?.path === path) this.pending.answer(false);
    this.pending = null;
    await call(this.system, bluez, path, deviceIface, 'CancelPairing').catch(() => undefined);
  }

  async connect(address: string): Promise<void> {
    await this.deviceCall(address, 'Connect').catch((error: unknown) => {
      if (!(error instanceof BluetoothError && /AlreadyConnected/.test(error.message))) throw error;
    });
  }

  async disconnect(address: string): Promise<void> {
    await this.deviceCall(address, 'Disconnect').catch((error: unknown) => {
      if (!(error instanceof BluetoothError && /NotConnected/.test(error.message))) throw error;
    });
  }

  async remove(address: string): Promise<void> {
    await this.adapterCall('RemoveDevice', 'o', [this.pathOf(address)]);
  }

  async pullPhonebook(address: string, book: PhonebookBook, onProgress?: (loaded: number, total: number | null) => void): Promise<Uint8Array> {
    const client = '/org/bluez/obex';
    let session: string;
    try {
      if (!this.obexOwner) this.obexOwner = await nameOwner(this.session, obex);
    } catch {
      this.obexOwner = null;
    }
    // The bench's fault, not the driver's: said in the bench log, and the car says contacts are unavailable.
    if (!this.obexOwner)
      throw new BluetoothError(
        'notSupported',
        'obexd is not running on the session bus: install bluez-obex and start obexd (systemctl --user start obex) to sync contacts',
      );
    try {
      [session] = (await call(this.session, obex, client, 'org.bluez.obex.Client1', 'CreateSession', 'sa{sv}', [
        normaliseAddress(address),
        { Target: new Variant('s', 'PBAP') },
      ])) as [string];
    } catch (error) {
      throw pbapFailure(error, `no PBAP session with ${address}`);
    }
    await addMatch(this.session, `type='signal',sender='${obex}'`);
    try {
      const pbap = 'org.bluez.obex.PhonebookAccess1';
      await call(this.session, obex, session, pbap, 'Select', 'ss', ['int', book]);
      const [size] = await call(this.session, obex, session, pbap, 'GetSize').catch(() => [null]);
      const total = typeof size === 'number' && size > 0 ? size : null;
      const [transfer, props] = (await call(this.session, obex, session, pbap, 'PullAll', 'sa{sv}', [
        '',
        {
          Format: new Variant('s', 'vcard30'),
          MaxCount: new Variant('q', 65535),
        },
      ])) as [string, Record<string, unknown>];
      const file = String(props.Filename ?? '');
      await this.followTransfer(transfer, file, total, onProgress);
      return new Uint8Array(await readFile(file));
    } catch (error) {
      if (error instanceof BluetoothError) throw error;
      throw pbapFailure(error, `the phonebook of ${address} could not be pulled`);
    } finally {
      await call(this.session, obex, client, 'org.bluez.obex.Client1', 'RemoveSession', 'o', [session]).catch(() => undefined);
    }
  }

  /** Waits for an obexd transfer to complete, reporting how many vCards have arrived. */
  private followTransfer(path: string, file: string, total: number | null, onProgress?: (loaded: number, total: number | null) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      // Reports go out in order, the last one (the whole book) before the pull is done: reads
      // racing each other once ended a sync on an earlier, smaller count.
      let reports = Promise.resolve();
      const report = () =>
        (reports = reports.then(() =>
          readFile(file).then(
            (bytes) => onProgress?.(countCards(bytes), total),
            () => undefined,
          ),
        ));
      const listener = (msg: dbus.Message) => {
        if (msg.path !== path || msg.member !== 'PropertiesChanged') return;
        const changed = (msg.body[1] ?? {}) as Record<string, { value: unknown }>;
        const status = changed.Status?.value;
        if (status === 'active') void report();
        if (status === 'complete') void report().then(() => done(null));
        if (status === 'error') done(new BluetoothError('gone', 'the phone stopped sending its phonebook'));
      };
      const done = (error: BluetoothError | null) => {
        this.session.off('message', listener);
        if (error) reject(error);
        else resolve();
      };
      this.session.on('message', listener);
    });
  }

  async dial(): Promise<Call> {
    throw new BluetoothError('notSupported', 'hands-free calls need oFono or PipeWire beside BlueZ');
  }

  async answer(): Promise<void> {
    throw new BluetoothError('notSupported', 'hands-free calls need oFono or PipeWire beside BlueZ');
  }

  async hangUp(): Promise<void> {
    throw new BluetoothError('notSupported', 'hands-free calls need oFono or PipeWire beside BlueZ');
  }

  async deviceInfo(): Promise<never> {
    throw new BluetoothError('notSupported', 'device information is a BLE service');
  }

  on(listener: (event: BluetoothEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.pending?.answer(false);
    this.stopAgent();
    await call(this.system, bluez, '/org/bluez', 'org.bluez.AgentManager1', 'UnregisterAgent', 'o', [agentPath]).catch(() => undefined);
    this.system.off('message', this.onMessage);
    this.session_?.off('message', this.onMessage);
    this.listeners.clear();
  }

  // --- inside ---

  private handleSignal(msg: dbus.Message): void {
    if (msg.type !== dbus.MessageType.SIGNAL || (msg.sender !== this.bluezOwner && msg.sender !== bluez)) return;
    if (msg.member === 'PropertiesChanged' && msg.interface === 'org.freedesktop.DBus.Properties') {
      const [iface, changed, invalidated] = msg.body as [string, Record<string, unknown>, string[]];
      const props = Object.fromEntries(Object.entries(changed).map(([k, v]) => [k, (v as { value: unknown }).value]));
      if (iface === adapterIface && msg.path === this.adapterPath) {
        this.adapterProps = { ...this.adapterProps, ...props };
        void this.adapter().then((adapter) => this.emit({ type: 'adapter', adapter }));
      }
      if (iface === deviceIface && this.devicesByPath.has(msg.path)) {
        // A device that is no longer heard has its RSSI invalidated.
        const next = { ...this.devicesByPath.get(msg.path), ...props };
        for (const name of invalidated ?? []) delete next[name];
        this.devicesByPath.set(msg.path, next);
        if (next.Paired && !next.Trusted && this.trustWhenPaired.delete(msg.path)) {
          // Reported once trusted: the pairing is finished only then, for the car.
          void setProperty(this.system, bluez, msg.path, deviceIface, 'Trusted', 'b', true).then(
            () => this.update(msg.path, { Trusted: true }),
            () => undefined,
          );
          return;
        }
        this.emit({ type: 'device', device: this.deviceOf(msg.path, next) });
      }
    }
    if (msg.member === 'InterfacesAdded' && msg.path === '/') {
      const [path, ifaces] = msg.body as [string, Record<string, Record<string, { value: unknown }>>];
      const device = ifaces[deviceIface];
      if (device && path.startsWith(`${this.adapterPath}/`)) {
        const props = Object.fromEntries(Object.entries(device).map(([k, v]) => [k, v.value]));
        this.devicesByPath.set(path, props);
        this.emit({ type: 'device', device: this.deviceOf(path, props) });
      }
    }
    if (msg.member === 'InterfacesRemoved' && msg.path === '/') {
      const [path, ifaces] = msg.body as [string, string[]];
      const known = this.devicesByPath.get(path);
      if (known && ifaces.includes(deviceIface)) {
        this.devicesByPath.delete(path);
        this.emit({ type: 'deviceRemoved', address: normaliseAddress(String(known.Address)) });
      }
    }
  }

  private update(path: string, patch: Record<string, unknown>): void {
    const next = { ...this.devicesByPath.get(path), ...patch };
    this.devicesByPath.set(path, next);
    this.emit({ type: 'device', device: this.deviceOf(path, next) });
  }

  private deviceOf(_path: string, p: Record<string, unknown>): BluetoothDevice {
    return {
      address: normaliseAddress(String(p.Address ?? '')),
      name: typeof p.Alias === 'string' ? p.Alias : typeof p.Name === 'string' ? p.Name : null,
      deviceClass: Number(p.Class ?? 0),
      rssi: typeof p.RSSI === 'number' ? p.RSSI : null,
      paired: Boolean(p.Paired),
      trusted: Boolean(p.Trusted),
      connected: Boolean(p.Connected),
      profiles: profilesOf((p.UUIDs as string[] | undefined) ?? []),
    };
  }

  private pathOf(address: string): string {
    return `${this.adapterPath}/dev_${normaliseAddress(address).replace(/:/g, '_')}`;
  }

  private addressOf(path: string): string {
    const known = this.devicesByPath.get(path)?.Address;
    return normaliseAddress(typeof known === 'string' ? known : (path.split('/dev_')[1] ?? '').replace(/_/g, ':'));
  }

  private async setAdapter(name: string, signature: string, value: unknown): Promise<void> {
    try {
      await setProperty(this.system, bluez, this.adapterPath, adapterIface, name, signature, value);
      this.adapterProps = { ...this.adapterProps, [name]: value };
    } catch (error) {
      throw new BluetoothError('failed', `${name}: ${(error as Error).message}`);
    }
  }

  private async adapterCall(member: string, signature = '', body: unknown[] = []): Promise<unknown[]> {
    try {
      return await call(this.system, bluez, this.adapterPath, adapterIface, member, signature, body);
    } catch (error) {
      throw new BluetoothError(
        /DoesNotExist/.test((error as DBusCallError).errorName ?? '') ? 'notFound' : 'failed',
        `${member}: ${(error as DBusCallError).errorName ?? ''} ${(error as Error).message}`,
      );
    }
  }

  private async deviceCall(address: string, member: string): Promise<void> {
    try {
      await call(this.system, bluez, this.pathOf(address), deviceIface, member);
    } catch (error) {
      const name = (error as DBusCallError).errorName ?? '';
      const code = /UnknownObject|DoesNotExist/.test(name) ? 'notFound' : /NotConnected|ConnectionAttemptFailed|HostDown/.test(name) ? 'gone' : 'failed';
      throw new BluetoothError(code, `${member}: ${name} ${(error as Error).message}`);
    }
  }

  private emit(event: BluetoothEvent): void {
    this.listeners.emit(event);
  }
}

/** A call on a bus that may not be there: dbus-next waits for a connection forever, so this does not. */
function reachable<T>(bus: Bus, work: Promise<T>, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    const onError = (error: Error) => finish(error);
    const finish = (error: Error | null, value?: T) => {
      clearTimeout(timer);
      bus.off('error', onError);
      if (error) reject(error);
      else resolve(value as T);
    };
    bus.on('error', onError);
    work.then(
      (value) => finish(null, value),
      (error: Error) => finish(error),
    );
  });
}

function countCards(bytes: Uint8Array): number {
  let count = 0;
  const text = Buffer.from(bytes).toString('latin1');
  for (let i = text.indexOf('END:VCARD'); i >= 0; i = text.indexOf('END:VCARD', i + 9)) count++;
  return count;
}

/**
 * What obexd's error for a PBAP session or pull means. A phone that does not allow contact sharing
 * answers OBEX Forbidden (0xC3; "Forbidden" from obexd), Not Acceptable (0xC6, Android 10),
 * Unauthorized (0xC1) or Service Unavailable (0xD3, iOS 12): `refused`, for the driver to allow on
 * the phone. Anything else is a link that failed: `notConnected` (the phone out of reach).
 */
export function pbapFailure(error: unknown, what: string): BluetoothError {
  const message = (error as Error | undefined)?.message ?? String(error);
  if (/forbidden|not acceptable|unauthori[sz]ed|service unavailable|0x(c1|c3|c6|d3)\b/i.test(message))
    return new BluetoothError('refused', `${what}: the phone refused (${message})`);
  return new BluetoothError('notConnected', `${what}: ${message}`);
}
