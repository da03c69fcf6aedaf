import type { EuiccIdentity } from '../../../shared/rsp/euiccIdentity';
import { ModemError, type Call, type DataSession, type Modem, type ModemEvent, type Registration } from '../contract';
import { Listeners } from '../../listeners';
import { Es10Client } from '../es10Client';
import { SimCard } from './card';
import { SimEuicc, type DownloadFault, type EuiccFlash } from './simEuicc';
import { SimUicc } from './simUicc';
import type { ProfileMetadata } from '../../../shared/esim';
import { instantTiming, wait, type Timing } from './timing';

/** Operators the simulated radio knows by PLMN (MCC+MNC as the profile owner carries it). */
const operators: Record<string, string> = { '44010': 'NTT DOCOMO', '44020': 'SoftBank', '44051': 'KDDI' };
/** The network a car abroad registers on (a roaming partner, Germany's Vodafone). */
const visited = { name: 'Vodafone.de', plmn: '262 02' };

/** The network where the car is, as the bench sets it: the profile's own, a roaming partner's, or one that refuses registration. */
export type SimNetwork = 'home' | 'roaming' | 'denied';

/**
 * The PLMN a profile registers on: its IMSI's MCC and MNC (three digits of MNC where the radio
 * knows such an operator, else two), or its profile owner's; null when it names neither.
 */
function homeNetwork(profile: ProfileMetadata): string | null {
  const imsi = profile.imsi;
  if (imsi) return operators[imsi.slice(0, 6)] ? imsi.slice(0, 6) : imsi.slice(0, 5);
  return profile.profileOwner?.mccMnc ?? null;
}

export interface SimModemOptions {
  /** the EID (default: a test EID); with `identity`, the one its certificate names */
  eid?: string;
  /** who the eUICC is (`--euicc-identity`); default: the project's test PKI */
  identity?: EuiccIdentity;
  /** bytes for profiles; a consumer eUICC has room for a handful */
  memory?: number;
  timing?: Timing;
  /** bars of signal where the car is; 0 means no coverage */
  signal?: Registration['signal'];
  /** the eUICC's flash from the last run, and where to keep it */
  flash?: EuiccFlash;
  onFlash?: (flash: EuiccFlash) => void;
  /** whether the bench can keep this flash (see SimEuiccOptions.keeps) */
  keeps?: (flash: EuiccFlash) => boolean;
  /**
   * The other party of outgoing calls: answers by itself after `answerAfterMs` of ringing (null:
   * only when told, `remoteAnswer`); the network gives up after `noAnswerAfterMs` (null: never).
   * Real milliseconds, not scaled by `timing`.
   */
  calls?: { answerAfterMs: number | null; noAnswerAfterMs: number | null };
}

const down: DataSession = { state: 'down', apn: null, address: null };

/**
 * The default modem: a full implementation of the contract, with a faithful eUICC, a radio that
 * registers the enabled profile on its operator's network (440 10 for NTT DOCOMO), a data session,
 * voice calls, and test controls for every fault a bench sees.
 */
export class SimModem implements Modem {
  readonly uicc: SimUicc;
  readonly euicc: Es10Client;
  /** the card, shared with whatever else talks to the module (the AT port) */
  readonly card: SimCard;
  /** the ISD-R behind the card, for the test controls */
  private readonly isdR: SimEuicc;
  private readonly eid: string;
  private readonly listeners = new Listeners<ModemEvent>();
  private readonly timing: Timing;
  private on_ = true;
  private gone = false;
  private signal: Registration['signal'];
  /** where the car is: on the profile's home network, abroad on a partner's, or refused by the network */
  private network: SimNetwork = 'home';
  private voiceEnabled = false;
  private roamingAllowed = false;
  private registration_: Registration = { state: 'notRegistered', operator: null, technology: null, signal: 0, voice: false };
  private data: DataSession = down;
  private readonly calls_ = new Map<number, Call>();
  private nextCall = 1;
  /** bumped whenever the radio must start over (power, reset, profile change): stale work stops */
  private radioEpoch = 0;
  /** the ICCID the radio is registering or registered with */
  private serving: string | null = null;

  private readonly callWorld: { answerAfterMs: number | null; noAnswerAfterMs: number | null };

  constructor(options: SimModemOptions = {}) {
    // (a copy: the bench changes its pace live)
    this.timing = { ...(options.timing ?? instantTiming) };
    this.callWorld = options.calls ?? { answerAfterMs: null, noAnswerAfterMs: null };
    this.signal = options.signal ?? 4;
    this.eid = options.identity?.eid ?? options.eid ?? '89049032123451234512345678901235';
    this.isdR = new SimEuicc({
      eid: this.eid,
      ...(options.identity ? { identity: options.identity } : {}),
      memory: options.memory ?? 512 * 1024,
      timing: this.timing,
      assertReady: () => this.assertReady(),
      onProfilesChanged: (profiles) => {
        this.emit({ type: 'profiles', profiles });
        // Only a change of the enabled profile means a new registration (a nickname does not).
        const enabled = profiles.find((p) => p.state === 'enabled')?.iccid ?? null;
        if (enabled !== this.serving) void this.register();
      },
      onHardFault: (kind) => (kind === 'gone' ? this.unplug() : this.reset()),
      ...(options.flash ? { flash: options.flash } : {}),
      ...(options.onFlash ? { onFlash: options.onFlash } : {}),
      ...(options.keeps ? { keeps: options.keeps } : {}),
    });
    this.card = new SimCard(this.isdR);
    this.uicc = new SimUicc(this.card, () => this.assertReady());
    this.euicc = new Es10Client(this.uicc);
    // An enabled profile from the last run registers again when the module starts.
    if (this.isdR.enabledProfile()) queueMicrotask(() => void this.register());
  }

  // ——— contract ———
  async power(on: boolean): Promise<void> {
    if (this.gone) throw new ModemError('gone');
    await wait(this.timing, 'command');
    if (this.on_ === on) return;
    this.on_ = on;
    if (!on) {
      this.interruptCard();
      this.dropEverything('network');
    }
    this.emit({ type: 'power', on });
    if (on) void this.register();
  }

  async registration(): Promise<Registration> {
    await this.command();
    return { ...this.registration_ };
  }

  async setVoice(enabled: boolean): Promise<void> {
    await this.command();
    this.voiceEnabled = enabled;
    this.update({ voice: enabled && this.isRegistered() });
    if (!enabled) for (const call of this.calls_.values()) this.endCall(call, 'local');
  }

  async startData(apn: string): Promise<DataSession> {
    await this.command();
    if (!this.isRegistered()) throw new ModemError('notRegistered', 'no network for a data session');
    if (this.data.state === 'up' && this.data.apn === apn) return this.data;
    const epoch = this.radioEpoch;
    await wait(this.timing, 'dataUp');
    if (epoch !== this.radioEpoch || !this.isRegistered()) throw new ModemError('notRegistered', 'the network went away');
    this.setData({
      state: 'up',
      apn,
      address: `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`,
    });
    return this.data;
  }

  async stopData(): Promise<DataSession> {
    await this.command();
    this.setData(down);
    return this.data;
  }

  async dataSession(): Promise<DataSession> {
    await this.command();
    return this.data;
  }

  async setRoaming(allowed: boolean): Promise<void> {
    await this.command();
    // The simulated car is always at home: the flag is kept and reported, and changes nothing.
    this.roamingAllowed = allowed;
  }

  async roaming(): Promise<boolean> {
    await this.command();
    return this.roamingAllowed;
  }

  async dial(number: string): Promise<Call> {
    await this.command();
    if (!/^\+?[0-9*#]{2,20}$/.test(number)) throw new ModemError('noSuchCall', `not a number: ${number}`);
    if (!this.registration_.voice) throw new ModemError(this.voiceEnabled ? 'notRegistered' : 'voiceOff');
    const call: Call = { id: this.nextCall++, number, direction: 'outgoing', state: 'dialing' };
    this.calls_.set(call.id, call);
    this.emit({ type: 'call', call: { ...call } });
    void wait(this.timing, 'callAlerting').then(() => {
      if (call.state !== 'dialing') return;
      this.setCall(call, 'alerting');
      const { answerAfterMs, noAnswerAfterMs } = this.callWorld;
      const ringing = () => this.calls_.get(call.id) === call && (call.state === 'dialing' || call.state === 'alerting');
      if (answerAfterMs !== null) setTimeout(() => ringing() && this.setCall(call, 'active'), answerAfterMs).unref();
      if (noAnswerAfterMs !== null) setTimeout(() => ringing() && this.endCall(call, 'noAnswer'), noAnswerAfterMs).unref();
    });
    return { ...call };
  }

  async answer(callId: number): Promise<void> {
    await this.command();
    const call = this.call(callId);
    if (call.state !== 'incoming' && call.state !== 'waiting') throw new ModemError('noSuchCall', `call ${callId} is not ringing`);
    for (const other of this.calls_.values()) if (other !== call && other.state === 'active') this.setCall(other, 'held');
    this.setCall(call, 'active');
  }

  async hangUp(callId: number): Promise<void> {
    await this.command();
    this.endCall(this.call(callId), 'local');
  }

  async calls(): Promise<Call[]> {
    await this.command();
    return [...this.calls_.values()].map((c) => ({ ...c }));
  }

  on(listener: (event: ModemEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  // ——— test controls (the world around the module) ———
  injectDownloadFault(fault: DownloadFault): void {
    this.isdR.injectFault(fault);
  }
  /** The faults stop: downloads go through again. */
  clearDownloadFaults(): void {
    this.isdR.clearFaults();
  }
  /** The download faults waiting, in the order they will apply. */
  downloadFaults(): DownloadFault[] {
    return this.isdR.pendingFaults();
  }
  /** The registration as the radio has it now (for the bench's view of the world). */
  currentRegistration(): Registration {
    return { ...this.registration_ };
  }
  /** The calls as the module has them now. */
  currentCalls(): Call[] {
    return [...this.calls_.values()].map((c) => ({ ...c }));
  }

  /** The eUICC and its channels start over (a reset or power loss): every terminal opens its channel again. */
  private interruptCard(): void {
    this.isdR.interrupt();
    this.card.reset();
    this.euicc.reset();
  }

  /** The flash as the eUICC keeps it (for a bench's restart). */
  flash(): EuiccFlash {
    return this.isdR.flash();
  }

  /** The enabled profile's ICCID and IMSI (what +CCID and +CIMI answer); null when none is enabled. */
  subscription(): { iccid: string; imsi: string | null } | null {
    const profile = this.isdR.enabledProfile();
    return profile ? { iccid: profile.iccid, imsi: profile.imsi ?? null } : null;
  }

  /**
   * The module's IMEI (3GPP TS 23.003: a TAC, a serial, a Luhn check digit): the test TAC 35999900
   * and six digits of the EID, so that each simulated module has its own.
   */
  imei(): string {
    const body = `35999900${this.eid.slice(-6)}`;
    const sum = [...body].reverse().reduce((acc, digit, i) => {
      const d = Number(digit) * (i % 2 === 0 ? 2 : 1);
      return acc + (d > 9 ? d - 9 : d);
    }, 0);
    return `${body}${(10 - (sum % 10)) % 10}`;
  }

  /** The module resets: sessions, calls and data are dropped; it registers again by itself. */
  reset(): void {
    if (this.gone) return;
    this.interruptCard();
    this.dropEverything('network');
    void this.register();
  }

  /** The module is unplugged: everything fails with `gone` from now on. */
  unplug(): void {
    if (this.gone) return;
    this.interruptCard();
    this.dropEverything('network');
    this.gone = true;
    this.emit({ type: 'gone' });
  }

  /** The module is plugged back in: it powers up, and registers again with what its eUICC holds. */
  plugIn(): void {
    if (!this.gone) return;
    this.gone = false;
    this.on_ = true;
    this.emit({ type: 'power', on: true });
    void this.register();
  }

  /** How fast the module and its eUICC work from now on (`Timing.scale`: 1 a real module's pace, 0 at once). */
  setPace(scale: number): void {
    this.timing.scale = scale;
  }

  /** The module's pace now (see setPace). */
  pace(): number {
    return this.timing.scale;
  }

  /** The network where the bench put the car (see setNetwork). */
  currentNetwork(): SimNetwork {
    return this.network;
  }

  /** The network where the car is (home, roaming abroad, or denied): the module registers again on it. */
  setNetwork(network: SimNetwork): void {
    if (network === this.network) return;
    this.network = network;
    void this.register();
  }

  /** Signal where the car is; 0 is no coverage (registration and data are lost until it returns). */
  setSignal(signal: Registration['signal']): void {
    this.signal = signal;
    if (signal === 0) {
      this.dropEverything('network');
      this.update({ state: this.isdR.enabledProfile() ? 'searching' : 'notRegistered', operator: null, technology: null, signal: 0, voice: false });
    } else if (this.isRegistered()) {
      this.update({ signal });
    } else {
      void this.register();
    }
  }

  /** A call arrives from the network (One Number rings the car too). */
  ring(number: string): Call {
    if (!this.registration_.voice) throw new ModemError('voiceOff', 'the car cannot be called without voice over the eSIM');
    const busy = [...this.calls_.values()].some((c) => c.state === 'active' || c.state === 'held');
    const call: Call = { id: this.nextCall++, number, direction: 'incoming', state: busy ? 'waiting' : 'incoming' };
    this.calls_.set(call.id, call);
    this.emit({ type: 'call', call: { ...call } });
    return { ...call };
  }

  /** The call that started last, if any is still going. */
  newestCall(): Call | undefined {
    return [...this.calls_.values()].at(-1);
  }

  /** The other party answers an outgoing call, or hangs up. */
  remoteAnswer(callId: number): void {
    this.setCall(this.call(callId), 'active');
  }
  remoteHangUp(callId: number): void {
    this.endCall(this.call(callId), 'remote');
  }

  // ——— internals ———
  /** Registers the enabled profile on its operator's network, after the time a real module takes. */
  private async register(): Promise<void> {
    // Starting over drops data and calls, and makes any registration still in flight stale.
    this.dropEverything('network');
    const epoch = this.radioEpoch;
    const profile = this.isdR.enabledProfile();
    this.serving = profile?.iccid ?? null;
    if (!this.on_ || this.gone || !profile) {
      this.update({ state: 'notRegistered', operator: null, technology: null, signal: this.on_ ? this.signal : 0, voice: false });
      return;
    }
    this.update({ state: 'searching', operator: null, technology: null, signal: this.signal, voice: false });
    if (this.signal === 0) return;
    await wait(this.timing, 'registration');
    // (read afresh: the world may have changed while the module searched)
    if (epoch !== this.radioEpoch || this.coverage() === 0 || this.gone || !this.on_) return;
    const plmn = homeNetwork(profile);
    // (a profile that names no network, by IMSI or owner, has none to register on)
    if (!plmn) return this.update({ state: 'denied', operator: null, technology: null, signal: this.signal, voice: false });
    if (this.network === 'denied') return this.update({ state: 'denied', operator: null, technology: null, signal: this.signal, voice: false });
    if (this.network === 'roaming')
      return this.update({ state: 'roaming', operator: { ...visited }, technology: 'LTE', signal: this.signal, voice: this.voiceEnabled });
    const name = operators[plmn] ?? profile.serviceProviderName;
    this.update({
      state: 'registered',
      operator: { name, plmn: `${plmn.slice(0, 3)} ${plmn.slice(3)}` },
      technology: 'LTE',
      signal: this.signal,
      voice: this.voiceEnabled,
    });
  }

  private coverage(): Registration['signal'] {
    return this.signal;
  }

  private isRegistered(): boolean {
    return this.registration_.state === 'registered' || this.registration_.state === 'roaming';
  }

  private update(patch: Partial<Registration>): void {
    const next = { ...this.registration_, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.registration_)) return;
    this.registration_ = next;
    this.emit({ type: 'registration', registration: { ...next } });
  }

  private setData(session: DataSession): void {
    if (JSON.stringify(session) === JSON.stringify(this.data)) return;
    this.data = session;
    this.emit({ type: 'data', session: { ...session } });
  }

  private dropEverything(reason: Call['endReason'] & string): void {
    this.radioEpoch += 1;
    this.setData(down);
    for (const call of this.calls_.values()) this.endCall(call, reason);
  }

  private call(id: number): Call {
    const call = this.calls_.get(id);
    if (!call) throw new ModemError('noSuchCall', `no call ${id}`);
    return call;
  }

  private setCall(call: Call, state: Call['state']): void {
    call.state = state;
    this.emit({ type: 'call', call: { ...call } });
  }

  private endCall(call: Call, reason: NonNullable<Call['endReason']>): void {
    this.calls_.delete(call.id);
    call.endReason = reason;
    this.setCall(call, 'disconnected');
  }

  /** Whether the module is on (for its own AT port, which answers at once); throws `gone` once unplugged. */
  powered(): boolean {
    if (this.gone) throw new ModemError('gone', 'the modem went away');
    return this.on_;
  }

  private assertReady(): void {
    if (this.gone) throw new ModemError('gone', 'the modem went away');
    if (!this.on_) throw new ModemError('off', 'the modem is off');
  }

  private async command(): Promise<void> {
    this.assertReady();
    await wait(this.timing, 'command');
    this.assertReady();
  }

  private emit(event: ModemEvent): void {
    this.listeners.emit(event);
  }
}
