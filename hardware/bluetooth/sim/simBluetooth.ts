import { randomInt } from 'node:crypto';
import type { ScenarioPhone } from '../../../shared/scenario';
import type { Call } from '../../modem/contract';
import {
  BluetoothError,
  formatPasskey,
  normaliseAddress,
  smartphoneClass,
  type AdapterState,
  type Bluetooth,
  type BluetoothDevice,
  type BluetoothEvent,
  type PhonebookBook,
} from '../contract';
import { Listeners } from '../../listeners';

export interface SimBluetoothOptions {
  phones: ScenarioPhone[];
  name?: string;
  /** multiplies every simulated delay (tests: 0 or small) */
  timeScale?: number;
  /** how long a pairing waits for both sides (BlueZ's agent timeout is about 30 s) */
  pairingTimeoutMs?: number;
  /** the phones (by address) that remember being paired with this car, from a previous run */
  bonds?: string[];
  /** told whenever the set of phones paired with this car changes, so a bench can keep it */
  onBonds?: (bonds: string[]) => void;
}

interface Pairing {
  passkey: string;
  car: boolean | null;
  phone: boolean | null;
  timers: NodeJS.Timeout[];
  /** ends the pairing; `byCar`: the car gave up itself, so its dialog needs no telling */
  settle(error: BluetoothError | null, byCar?: boolean): void;
}

interface Phone {
  spec: ScenarioPhone;
  inRange: boolean;
  rssi: number;
  seen: boolean;
  paired: boolean;
  connected: boolean;
  pairing: Pairing | null;
  calls: Map<number, Call>;
}

/**
 * Phones in range of the car, as the scenario describes them and their owners behave. Pairing is
 * a numeric comparison that both sides must confirm; the phone shows the same code
 * ({@link phoneScreen}) so a test can check the two agree, as a driver would.
 */
export class SimBluetooth implements Bluetooth {
  readonly backend = 'simulated' as const;
  readonly supports = { pairing: true, phonebook: true, calls: true, deviceInfo: false };
  private readonly phones = new Map<string, Phone>();
  private readonly listeners = new Listeners<BluetoothEvent>();
  private state: AdapterState;
  private pairableTimer: NodeJS.Timeout | undefined;
  private discoveryTimer: NodeJS.Timeout | undefined;
  private nextCall = 1;
  private scale: number;
  /** the bench's "walk away in n s", each until it fires */
  private readonly walkAways = new Set<NodeJS.Timeout>();
  private readonly pairingTimeoutMs: number;

  constructor(options: SimBluetoothOptions) {
    this.scale = options.timeScale ?? 1;
    this.pairingTimeoutMs = options.pairingTimeoutMs ?? 30_000;
    this.state = { powered: true, name: options.name ?? 'BMW 12345', address: '00:1A:7D:DA:71:13', discoverable: false, pairable: false, discovering: false };
    this.onBonds = options.onBonds;
    for (const spec of options.phones) this.addPhone(spec);
    // A phone keeps its pairing across a restart of the car, as a real one does.
    for (const address of options.bonds ?? []) {
      const phone = this.phones.get(normaliseAddress(address));
      if (phone) phone.paired = true;
    }
  }

  private readonly onBonds: ((bonds: string[]) => void) | undefined;

  /** The addresses of the phones paired with this car now. */
  bonds(): string[] {
    return [...this.phones.values()].filter((p) => p.paired).map((p) => p.spec.address);
  }

  private bondsChanged(): void {
    this.onBonds?.(this.bonds());
  }

  async adapter(): Promise<AdapterState> {
    return { ...this.state };
  }

  async setPowered(on: boolean): Promise<void> {
    if (!on) {
      await this.stopDiscovery();
      await this.setPairable(false);
      for (const phone of this.phones.values()) if (phone.connected) this.setConnected(phone, false);
    }
    this.updateAdapter({ powered: on });
  }

  async setName(name: string): Promise<void> {
    this.updateAdapter({ name });
  }

  async setPairable(on: boolean, timeoutSeconds = 180): Promise<void> {
    clearTimeout(this.pairableTimer);
    if (on) {
      this.requirePowered();
      this.pairableTimer = setTimeout(() => this.updateAdapter({ discoverable: false, pairable: false }), timeoutSeconds * 1000);
      this.pairableTimer.unref();
    }
    this.updateAdapter({ discoverable: on, pairable: on });
  }

  async startDiscovery(): Promise<void> {
    this.requirePowered();
    if (this.state.discovering) return;
    this.updateAdapter({ discovering: true });
    // Inquiry results trickle in; while discovering, the signal of each phone keeps moving a little.
    const sweep = () => {
      for (const phone of this.phones.values()) {
        if (!phone.inRange) continue;
        phone.seen = true;
        phone.rssi = Math.max(-100, Math.min(-20, phone.spec.rssi + (this.scale > 0 ? randomInt(-3, 4) : 0)));
        this.emit({ type: 'device', device: this.deviceOf(phone) });
      }
    };
    sweep();
    if (this.scale > 0) {
      this.discoveryTimer = setInterval(sweep, 2000 * this.scale);
      this.discoveryTimer.unref();
    }
  }

  /** How fast the phones work from now on: discovery sweeps, pairing, an address book's transfer (1 a real phone's pace, 0 at once). */
  setPace(scale: number): void {
    this.scale = scale;
  }

  /** The phones' pace now (see setPace). */
  pace(): number {
    return this.scale;
  }

  async stopDiscovery(): Promise<void> {
    clearInterval(this.discoveryTimer);
    if (this.state.discovering) this.updateAdapter({ discovering: false });
  }

  async devices(): Promise<BluetoothDevice[]> {
    return [...this.phones.values()].filter((p) => p.seen || p.paired).map((p) => this.deviceOf(p));
  }

  pair(address: string): Promise<void> {
    const phone = this.phone(address);
    this.requirePowered();
    if (!phone.inRange) return Promise.reject(new BluetoothError('gone', `${phone.spec.name} is out of range`));
    if (phone.pairing) return Promise.reject(new BluetoothError('failed', 'a pairing is already in progress'));
    return new Promise<void>((resolve, reject) => {
      const pairing = this.openPairing(phone, false, (error) => (error ? reject(error) : resolve()));
      const later = (ms: number, fn: () => void) => pairing.timers.push(setTimeout(fn, ms * this.scale));
      const { pairing: behaviour, confirmAfterMs, walksAwayAfterMs } = phone.spec;
      // Both sides show the code at once; only then can the phone's owner answer (with no delay at
      // all, a timer could otherwise fire before the car had even been asked).
      setImmediate(() => {
        if (phone.pairing !== pairing) return;
        this.emit({ type: 'confirm', address: phone.spec.address, passkey: pairing.passkey });
        if (behaviour !== 'ignore') later(confirmAfterMs, () => this.phoneAnswer(phone.spec.address, behaviour === 'confirm'));
        if (walksAwayAfterMs !== null) later(walksAwayAfterMs, () => this.setInRange(phone.spec.address, false));
      });
    });
  }

  async confirm(address: string, accept: boolean): Promise<void> {
    const pairing = this.phone(address).pairing;
    if (!pairing) throw new BluetoothError('notFound', 'no pairing in progress');
    if (!accept) return pairing.settle(new BluetoothError('rejected', 'the car refused the code'), true);
    pairing.car = true;
    if (pairing.phone) pairing.settle(null);
  }

  async cancelPairing(address: string): Promise<void> {
    this.phone(address).pairing?.settle(new BluetoothError('canceled', 'pairing cancelled'), true);
  }

  async connect(address: string): Promise<void> {
    const phone = this.reachable(address);
    if (!phone.paired) throw new BluetoothError('notPaired', `${phone.spec.name} no longer has its pairing with this car`);
    this.setConnected(phone, true);
  }

  async disconnect(address: string): Promise<void> {
    const phone = this.phone(address);
    if (phone.connected) this.setConnected(phone, false);
  }

  async remove(address: string): Promise<void> {
    const phone = this.phone(address);
    phone.pairing?.settle(new BluetoothError('canceled'), true);
    phone.paired = false;
    phone.connected = false;
    phone.seen = false;
    this.bondsChanged();
    this.emit({ type: 'deviceRemoved', address: phone.spec.address });
  }

  async pullPhonebook(address: string, book: PhonebookBook, onProgress?: (loaded: number, total: number | null) => void): Promise<Uint8Array> {
    const phone = this.connectedPhone(address);
    // (as obexd reports a phone that does not allow contact sharing: the session is Forbidden)
    if (phone.spec.contactSharing === 'refuse') throw new BluetoothError('refused', `${phone.spec.name} refused the phonebook session (Forbidden)`);
    const text = book === 'pb' ? phone.spec.vcards : phone.spec.callHistory;
    let cards = 0;
    for (let at = text.indexOf('END:VCARD'); at >= 0; at = text.indexOf('END:VCARD', at + 9)) cards++;
    // A phone sends its address book in parts (about 2,000 cards a second); the owner may walk away
    // during any of them. Each part is encoded as it arrives, at a card's end (encoding a 50,000-card
    // book at once held the car's loop for 50 ms).
    const parts = 10;
    const encoder = new TextEncoder();
    const encoded: Uint8Array[] = [];
    // (part i ends with the card that ends after i tenths of the text)
    const cut = (i: number) => {
      const card = i === parts ? -1 : text.indexOf('END:VCARD', Math.floor((text.length * i) / parts));
      const end = card < 0 ? -1 : text.indexOf('\n', card);
      return end < 0 ? text.length : end + 1;
    };
    let from = 0;
    for (let i = 1; i <= parts; i++) {
      await new Promise((resolve) => setTimeout(resolve, (cards / 2000 / parts) * 1000 * this.scale));
      if (!phone.inRange || !phone.connected) throw new BluetoothError('gone', `${phone.spec.name} went away during the transfer`);
      const end = Math.max(from, cut(i));
      encoded.push(encoder.encode(text.slice(from, end)));
      from = end;
      onProgress?.(Math.round((cards * i) / parts), cards);
    }
    return Buffer.concat(encoded);
  }

  async dial(address: string, number: string): Promise<Call> {
    const phone = this.hfpPhone(address);
    const call: Call = { id: this.nextCall++, number, direction: 'outgoing', state: 'dialing' };
    this.setCall(phone, call);
    setTimeout(() => call.state === 'dialing' && this.setCall(phone, { ...call, state: 'alerting' }), 800 * this.scale).unref();
    return { ...call };
  }

  async answer(address: string, callId: number): Promise<void> {
    const phone = this.hfpPhone(address);
    const call = phone.calls.get(callId);
    if (!call || (call.state !== 'incoming' && call.state !== 'waiting')) throw new BluetoothError('notFound', `call ${callId} is not ringing`);
    this.setCall(phone, { ...call, state: 'active' });
  }

  async hangUp(address: string, callId: number): Promise<void> {
    const phone = this.hfpPhone(address);
    const call = phone.calls.get(callId);
    if (!call) throw new BluetoothError('notFound', `no call ${callId}`);
    this.setCall(phone, { ...call, state: 'disconnected', endReason: 'local' });
  }

  async deviceInfo(): Promise<never> {
    throw new BluetoothError('notSupported', 'device information is a BLE service');
  }

  on(listener: (event: BluetoothEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    for (const timer of this.walkAways) clearTimeout(timer);
    clearTimeout(this.pairableTimer);
    clearInterval(this.discoveryTimer);
    for (const phone of this.phones.values()) phone.pairing?.settle(new BluetoothError('canceled'));
    this.listeners.clear();
  }

  // --- the world's controls (tests, the bench, the automation API) ---

  /** Another world: these phones replace the ones before (pairings included). */
  replacePhones(phones: ScenarioPhone[]): void {
    for (const timer of this.walkAways) clearTimeout(timer);
    this.walkAways.clear();
    for (const phone of this.phones.values()) phone.pairing?.settle(new BluetoothError('canceled'), true);
    this.phones.clear();
    for (const spec of phones) this.addPhone(spec);
    this.bondsChanged();
  }

  /** A phone comes into the scenario (or is replaced). */
  addPhone(spec: ScenarioPhone): void {
    const address = normaliseAddress(spec.address);
    this.phones.set(address, {
      spec: { ...spec, address },
      inRange: spec.inRange,
      rssi: spec.rssi,
      seen: false,
      paired: false,
      connected: false,
      pairing: null,
      calls: new Map(),
    });
  }

  /**
   * The phone's owner pairs from the phone's Bluetooth settings. The car must be pairable (its
   * pairing screen open), or the phone is simply refused; the owner confirms the code on the phone.
   */
  phoneStartsPairing(address: string): void {
    const phone = this.phone(address);
    if (!this.state.pairable || !phone.inRange || phone.pairing) return;
    // (the owner started it on the phone: the phone's side is already given)
    const pairing = this.openPairing(phone, true, () => {});
    this.emit({ type: 'confirm', address: phone.spec.address, passkey: pairing.passkey });
  }

  /** Every simulated phone's own screen, with its address (the bench console's phone cards). */
  phoneScreens(): ({ address: string } & ReturnType<SimBluetooth['phoneScreen']>)[] {
    return [...this.phones.keys()].map((address) => ({ address, ...this.phoneScreen(address) }));
  }

  /** What the phone's own screen shows: the pairing code while it asks, and whether it is paired. */
  phoneScreen(address: string): { name: string; passkey: string | null; paired: boolean; connected: boolean; inRange: boolean; rssi: number } {
    const phone = this.phone(address);
    return {
      name: phone.spec.name,
      passkey: phone.pairing?.passkey ?? null,
      paired: phone.paired,
      connected: phone.connected,
      inRange: phone.inRange,
      rssi: phone.spec.rssi,
    };
  }

  /** The phone's address book as it sends it over PBAP (vCards). */
  addressBook(address: string): string {
    return this.phone(address).spec.vcards;
  }

  /** The phone's owner taps "Pair" or "Cancel". */
  phoneAnswer(address: string, accept: boolean): void {
    const pairing = this.phone(address).pairing;
    if (!pairing) return;
    if (!accept) return pairing.settle(new BluetoothError('rejected', 'the phone refused the pairing'));
    pairing.phone = true;
    if (pairing.car) pairing.settle(null);
  }

  /** The owner walks out of range (or back). Out of range, a pairing, transfer or connection fails. */
  /** The owner removes the car from the phone's Bluetooth settings; the car is not told. */
  phoneForgets(address: string): void {
    const phone = this.phone(address);
    // (unpaired first: the car, told of the disconnection, may try to connect again at once)
    phone.paired = false;
    if (phone.connected) this.setConnected(phone, false);
    this.bondsChanged();
  }

  /** The owner allows (or stops) contact sharing for the car in the phone's Bluetooth settings. */
  setContactSharing(address: string, allowed: boolean): void {
    const phone = this.phone(address);
    phone.spec = { ...phone.spec, contactSharing: allowed ? 'allow' : 'refuse' };
  }

  /** The owner walks away with the phone in `afterMs` real milliseconds (to leave mid-pairing or mid-call, say). */
  walkAwayIn(address: string, afterMs: number): void {
    const phone = this.phone(address);
    const timer = setTimeout(() => {
      this.walkAways.delete(timer);
      if (this.phones.get(address) === phone) this.setInRange(address, false);
    }, afterMs);
    this.walkAways.add(timer);
  }

  /** The phone's signal where the car is (RSSI, dBm, -100 to -20): the car lists the strongest first, with its bars. */
  setSignal(address: string, rssi: number): void {
    const phone = this.phone(address);
    phone.spec = { ...phone.spec, rssi };
    phone.rssi = rssi;
    if (phone.inRange && phone.seen) this.emit({ type: 'device', device: this.deviceOf(phone) });
  }

  setInRange(address: string, inRange: boolean): void {
    const phone = this.phone(address);
    phone.inRange = inRange;
    if (!inRange) {
      phone.pairing?.settle(new BluetoothError('gone', `${phone.spec.name} went out of range`));
      for (const call of phone.calls.values()) this.setCall(phone, { ...call, state: 'disconnected', endReason: 'network' });
      if (phone.connected) this.setConnected(phone, false);
    }
    this.emit({ type: 'device', device: this.deviceOf(phone) });
  }

  /** A call arrives on the phone (the car hears it over HFP while connected). */
  ringPhone(address: string, number: string): Call {
    const phone = this.hfpPhone(address);
    const busy = [...phone.calls.values()].some((c) => c.state === 'active' || c.state === 'held');
    const call: Call = { id: this.nextCall++, number, direction: 'incoming', state: busy ? 'waiting' : 'incoming' };
    this.setCall(phone, call);
    return { ...call };
  }

  remoteAnswer(address: string, callId: number): void {
    const phone = this.hfpPhone(address);
    const call = phone.calls.get(callId);
    if (call) this.setCall(phone, { ...call, state: 'active' });
  }

  remoteHangUp(address: string, callId: number): void {
    const phone = this.hfpPhone(address);
    const call = phone.calls.get(callId);
    if (call) this.setCall(phone, { ...call, state: 'disconnected', endReason: 'remote' });
  }

  // --- inside ---

  /** A numeric comparison with a phone: a fresh code, a timeout, and what ending it does. */
  private openPairing(phone: Phone, phoneAccepted: boolean, done: (error: BluetoothError | null) => void): Pairing {
    const timers: NodeJS.Timeout[] = [];
    const pairing: Pairing = {
      passkey: formatPasskey(randomInt(0, 1_000_000)),
      car: null,
      phone: phoneAccepted ? true : null,
      timers,
      settle: (error, byCar = false) => {
        for (const timer of timers) clearTimeout(timer);
        phone.pairing = null;
        if (error) {
          if (!byCar) this.emit({ type: 'pairingCancelled', address: phone.spec.address });
        } else {
          phone.paired = true;
          this.bondsChanged();
          this.emit({ type: 'device', device: this.deviceOf(phone) });
        }
        done(error);
      },
    };
    phone.pairing = pairing;
    // (not scaled: a test that wants a timeout asks for a short one)
    timers.push(setTimeout(() => pairing.settle(new BluetoothError('timeout', 'the pairing timed out')), this.pairingTimeoutMs));
    return pairing;
  }

  private phone(address: string): Phone {
    const phone = this.phones.get(normaliseAddress(address));
    if (!phone) throw new BluetoothError('notFound', `no device ${address}`);
    return phone;
  }

  private reachable(address: string): Phone {
    const phone = this.phone(address);
    this.requirePowered();
    if (!phone.inRange) throw new BluetoothError('gone', `${phone.spec.name} is out of range`);
    return phone;
  }

  private connectedPhone(address: string): Phone {
    const phone = this.reachable(address);
    if (!phone.connected) throw new BluetoothError('notConnected', `${phone.spec.name} is not connected`);
    return phone;
  }

  private hfpPhone(address: string): Phone {
    const phone = this.connectedPhone(address);
    if (!phone.spec.hfp) throw new BluetoothError('notSupported', `${phone.spec.name} offers no hands-free profile`);
    return phone;
  }

  private requirePowered(): void {
    if (!this.state.powered) throw new BluetoothError('noAdapter', 'Bluetooth is off');
  }

  private setConnected(phone: Phone, connected: boolean): void {
    phone.connected = connected;
    this.emit({ type: 'device', device: this.deviceOf(phone) });
  }

  private setCall(phone: Phone, call: Call): void {
    if (call.state === 'disconnected') phone.calls.delete(call.id);
    else phone.calls.set(call.id, call);
    this.emit({ type: 'call', address: phone.spec.address, call: { ...call } });
  }

  private deviceOf(phone: Phone): BluetoothDevice {
    return {
      address: phone.spec.address,
      name: phone.spec.name,
      deviceClass: smartphoneClass,
      rssi: phone.inRange ? phone.rssi : null,
      paired: phone.paired,
      trusted: phone.paired,
      connected: phone.connected,
      profiles: phone.spec.hfp ? ['hfp', 'pbap', 'a2dp'] : ['pbap', 'a2dp'],
    };
  }

  private updateAdapter(patch: Partial<AdapterState>): void {
    this.state = { ...this.state, ...patch };
    this.emit({ type: 'adapter', adapter: { ...this.state } });
  }

  private emit(event: BluetoothEvent): void {
    this.listeners.emit(event);
  }
}
