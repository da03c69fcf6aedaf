import { ModemError, type Call, type DataSession, type Modem, type ModemEvent, type Registration } from '../contract';
import { Es10Client } from '../es10Client';
import { AtUicc } from './atUicc';
import { AtError, type AtChannel } from './channel';

const states: Record<number, Registration['state']> = { 0: 'notRegistered', 1: 'registered', 2: 'searching', 3: 'denied', 4: 'notRegistered', 5: 'roaming' };
const technologies: Record<number, Registration['technology']> = { 2: 'WCDMA', 7: 'LTE', 13: 'NR' };
const callStates: Record<number, Call['state']> = { 0: 'active', 1: 'held', 2: 'dialing', 3: 'alerting', 4: 'incoming', 5: 'waiting' };

/** +CSQ <rssi> (0–31, 99 unknown) as bars, 0–4. */
function bars(rssi: number): Registration['signal'] {
  if (rssi === 99 || rssi < 2) return 0;
  return rssi >= 23 ? 4 : rssi >= 16 ? 3 : rssi >= 10 ? 2 : 1;
}

export interface AtModemOptions {
  /** how often the calls are read (+CLCC) while there are any, in ms: modules do not all report call progress */
  callPollMs?: number;
  /** how long a command may take, in ms */
  timeoutMs?: number;
  /** how long one APDU may take, in ms: the last segment of a profile load is slow on some cards */
  apduTimeoutMs?: number;
}

/**
 * The modem contract over a real module's AT commands (ETSI TS 127 007), through an AtChannel:
 * power (+CFUN), registration (+CEREG, +COPS, +CSQ, IMS voice by +CAVIMS and +CEVDP), the data
 * session (+CGDCONT, +CGACT, +CGPADDR), calls (ATD, ATA, +CHLD, +CLCC, with RING, +CLIP and NO
 * CARRIER, and +CLCC read while calls last). +CME ERROR numbers become ModemErrors with the number
 * kept (30 no network service → notRegistered). Roaming has no standard command: the flag is kept
 * here. The eUICC is reached over logical channels or +CSIM (AtUicc), its ES10 functions through
 * the one codec every backend uses (Es10Client).
 */
export class AtModem implements Modem {
  readonly uicc: AtUicc;
  readonly euicc: Es10Client;
  private readonly listeners = new Set<(event: ModemEvent) => void>();
  private known = new Map<number, Call>();
  private poll: NodeJS.Timeout | undefined;
  private roamingAllowed = false;
  private lastRegistration: Registration | null = null;
  private apn: string | null = null;
  private isGone = false;

  private constructor(
    private readonly at: AtChannel,
    private readonly options: Required<AtModemOptions>,
  ) {
    this.uicc = new AtUicc((command, timeoutMs) => this.run(command, timeoutMs), options.apduTimeoutMs);
    this.euicc = new Es10Client(this.uicc);
    at.onUrc((line) => void this.urc(line));
  }

  /** Sets the module up for the car: no echo, numbered errors, registration and caller-id reports. */
  static async open(at: AtChannel, options: AtModemOptions = {}): Promise<AtModem> {
    const modem = new AtModem(at, {
      callPollMs: options.callPollMs ?? 500,
      timeoutMs: options.timeoutMs ?? 10_000,
      apduTimeoutMs: options.apduTimeoutMs ?? 60_000,
    });
    for (const command of ['ATE0', 'AT+CMEE=1', 'AT+CEREG=2', 'AT+CLIP=1']) await modem.run(command);
    return modem;
  }

  async power(on: boolean): Promise<void> {
    await this.run(on ? 'AT+CFUN=1' : 'AT+CFUN=4', 30_000);
    this.emit({ type: 'power', on });
    if (!on) this.dropCalls('network');
  }

  async registration(): Promise<Registration> {
    await this.assertOn();
    const [cereg] = await this.run('AT+CEREG?');
    const state = states[Number(/^\+CEREG: \d,(\d)/.exec(cereg ?? '')?.[1] ?? 0)] ?? 'notRegistered';
    await this.run('AT+COPS=3,0');
    const named = /^\+COPS: \d,\d,"([^"]*)",(\d+)/.exec((await this.run('AT+COPS?'))[0] ?? '');
    await this.run('AT+COPS=3,2');
    const numeric = /^\+COPS: \d,\d,"(\d{5,6})"/.exec((await this.run('AT+COPS?'))[0] ?? '');
    const rssi = Number(/^\+CSQ: (\d+)/.exec((await this.run('AT+CSQ'))[0] ?? '')?.[1] ?? 99);
    const voice = /^\+CAVIMS: 1/.test((await this.run('AT+CAVIMS?'))[0] ?? '');
    const registered = state === 'registered' || state === 'roaming';
    const registration: Registration = {
      state,
      operator: registered && named && numeric ? { name: named[1]!, plmn: `${numeric[1]!.slice(0, 3)} ${numeric[1]!.slice(3)}` } : null,
      technology: registered && named ? (technologies[Number(named[2])] ?? null) : null,
      signal: bars(rssi),
      voice: registered && voice,
    };
    this.lastRegistration = registration;
    return registration;
  }

  async setVoice(enabled: boolean): Promise<void> {
    // Voice domain preference: IMS PS voice preferred (3), or CS voice only (1), which on an
    // LTE-only line means no voice.
    await this.run(`AT+CEVDP=${enabled ? 3 : 1}`);
  }

  async startData(apn: string): Promise<DataSession> {
    await this.run(`AT+CGDCONT=1,"IP","${apn.replace(/"/g, '')}"`);
    await this.run('AT+CGACT=1,1', 60_000);
    this.apn = apn;
    const session = await this.dataSession();
    this.emit({ type: 'data', session });
    return session;
  }

  async stopData(): Promise<DataSession> {
    await this.run('AT+CGACT=0,1', 30_000);
    const session: DataSession = { state: 'down', apn: null, address: null };
    this.emit({ type: 'data', session });
    return session;
  }

  async dataSession(): Promise<DataSession> {
    const active = (await this.run('AT+CGACT?')).some((line) => /^\+CGACT: 1,1/.test(line));
    if (!active) return { state: 'down', apn: null, address: null };
    const address = /^\+CGPADDR: 1,"([^"]+)"/.exec((await this.run('AT+CGPADDR=1'))[0] ?? '')?.[1] ?? null;
    return { state: 'up', apn: this.apn, address };
  }

  async setRoaming(allowed: boolean): Promise<void> {
    await this.assertOn();
    this.roamingAllowed = allowed;
  }

  async roaming(): Promise<boolean> {
    await this.assertOn();
    return this.roamingAllowed;
  }

  async dial(number: string): Promise<Call> {
    if (!/^\+?[0-9*#]{2,20}$/.test(number)) throw new ModemError('noSuchCall', `not a number: ${number}`);
    if (this.lastRegistration === null || !this.lastRegistration.voice) {
      const registration = await this.registration();
      if (!registration.voice) throw new ModemError(registration.state === 'registered' || registration.state === 'roaming' ? 'voiceOff' : 'notRegistered');
    }
    const before = new Set(this.known.keys());
    await this.run(`ATD${number};`, 30_000);
    const calls = await this.readCalls();
    const call = calls.find((c) => !before.has(c.id) && c.direction === 'outgoing') ?? calls.find((c) => c.number === number);
    if (!call) throw new ModemError('noSuchCall', 'the module shows no call after dialling');
    return call;
  }

  async answer(callId: number): Promise<void> {
    const call = (await this.readCalls()).find((c) => c.id === callId);
    if (!call || (call.state !== 'incoming' && call.state !== 'waiting')) throw new ModemError('noSuchCall', `call ${callId} is not ringing`);
    await this.run('ATA', 30_000);
    await this.readCalls();
  }

  async hangUp(callId: number): Promise<void> {
    if (!(await this.readCalls()).some((c) => c.id === callId)) throw new ModemError('noSuchCall', `no call ${callId}`);
    await this.run(`AT+CHLD=1${callId}`);
    await this.readCalls('local');
  }

  async calls(): Promise<Call[]> {
    return this.readCalls();
  }

  on(listener: (event: ModemEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The port closed or the module went away: everything in flight fails, the car hears `gone`. */
  gone(): void {
    if (this.isGone) return;
    this.isGone = true;
    clearTimeout(this.poll);
    this.euicc.reset();
    this.dropCalls('network');
    this.emit({ type: 'gone' });
  }

  private async urc(line: string): Promise<void> {
    try {
      if (line.startsWith('+CEREG:')) this.emit({ type: 'registration', registration: await this.registration() });
      else if (line === 'RING' || line.startsWith('+CLIP:') || line === 'NO CARRIER') await this.readCalls('remote');
    } catch {
      // (a URC read while the module is busy or off: the next one, or the next poll, catches up)
    }
  }

  /** +CLCC, and the call events for what changed since the last read (ended calls: `reason`). */
  private async readCalls(reason: NonNullable<Call['endReason']> = 'remote'): Promise<Call[]> {
    const calls = (await this.run('AT+CLCC')).flatMap((line): Call[] => {
      const m = /^\+CLCC: (\d+),([01]),(\d),\d,\d,"([^"]*)"/.exec(line);
      const state = m ? callStates[Number(m[3])] : undefined;
      return m && state ? [{ id: Number(m[1]), direction: m[2] === '0' ? 'outgoing' : 'incoming', state, number: m[4]! }] : [];
    });
    const next = new Map(calls.map((c) => [c.id, c]));
    for (const call of calls) if (this.known.get(call.id)?.state !== call.state) this.emit({ type: 'call', call: { ...call } });
    for (const [id, call] of this.known) if (!next.has(id)) this.emit({ type: 'call', call: { ...call, state: 'disconnected', endReason: reason } });
    this.known = next;
    clearTimeout(this.poll);
    if (calls.length > 0) this.poll = setTimeout(() => void this.readCalls('remote').catch(() => undefined), this.options.callPollMs).unref();
    return calls;
  }

  private dropCalls(reason: NonNullable<Call['endReason']>): void {
    for (const call of this.known.values()) this.emit({ type: 'call', call: { ...call, state: 'disconnected', endReason: reason } });
    this.known.clear();
  }

  private async assertOn(): Promise<void> {
    const [cfun] = await this.run('AT+CFUN?');
    if (!/^\+CFUN: 1/.test(cfun ?? '')) throw new ModemError('off', 'the modem is off');
  }

  private async run(command: string, timeoutMs = this.options.timeoutMs): Promise<string[]> {
    try {
      return await this.at.command(command, { timeoutMs });
    } catch (error) {
      if (!(error instanceof AtError)) throw error;
      if (error.result === 'closed') throw new ModemError('gone', 'the modem went away');
      if (error.result === 'timeout') throw new ModemError('gone', `the modem did not answer ${command}`);
      throw new ModemError(codeOf(error.cmeError), `${command}: ${error.result}`, error.cmeError ?? undefined);
    }
  }

  private emit(event: ModemEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}

/** 27.007 §9.2 numbers as the contract's errors: 30 no network service, 3 not allowed (the radio off), …. */
function codeOf(cme: number | null): ModemError['code'] {
  if (cme === 30 || cme === 31 || cme === 32) return 'notRegistered';
  if (cme === 3) return 'off';
  if (cme === 4) return 'unsupported';
  return 'interrupted';
}
