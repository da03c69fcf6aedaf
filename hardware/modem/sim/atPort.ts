import { ModemError, type Call, type ModemErrorCode, type Registration } from '../contract';
import type { SimModem } from './simModem';
import type { SimCard } from './card';
import { hex, toHex } from '../../../shared/es10/es10c';

/**
 * The longest command line the port takes (a +CGLA carries one APDU of 261 bytes as 522 hex
 * digits; +CSIM the same): longer ones are answered ERROR, as a module's line buffer does.
 */
export const maxLineLength = 2048;

/** 27.007 §9.2 error numbers the module answers with after AT+CMEE=1 (their texts after AT+CMEE=2). */
const cme = {
  notAllowed: [3, 'operation not allowed'],
  notSupported: [4, 'operation not supported'],
  simNotInserted: [10, 'SIM not inserted'],
  simFailure: [13, 'SIM failure'],
  notFound: [22, 'not found'],
  invalidParameter: [50, 'incorrect parameters'],
  noNetwork: [30, 'no network service'],
  unknown: [100, 'unknown'],
} as const;
type Cme = keyof typeof cme;

const fromModem: Partial<Record<ModemErrorCode, Cme>> = { off: 'notAllowed', notRegistered: 'noNetwork', voiceOff: 'notAllowed', noSuchCall: 'notAllowed' };

/** +CEREG/+CREG <stat> (27.007 §10.1.22): 0 not registered, 1 home, 2 searching, 3 denied, 5 roaming. */
const stat: Record<Registration['state'], number> = { notRegistered: 0, registered: 1, searching: 2, denied: 3, roaming: 5 };
/** <AcT>: 2 UTRAN, 7 E-UTRAN, 13 NR. */
const act: Record<NonNullable<Registration['technology']>, number> = { WCDMA: 2, LTE: 7, NR: 13 };
/** +CLCC <stat>: 0 active, 1 held, 2 dialing, 3 alerting, 4 incoming, 5 waiting. */
const callStat: Partial<Record<Call['state'], number>> = { active: 0, held: 1, dialing: 2, alerting: 3, incoming: 4, waiting: 5 };
/** Bars as +CSQ <rssi> (0–31; 99 not known). */
const rssiOf = [99, 6, 12, 18, 25] as const;

/**
 * How real modules' AT ports differ from 27.007 in reaching the eUICC, as seen in the field: no
 * logical channels at all, +CSIM only (Dell DW5821e); a <sessionid> that is a long hex number, not
 * the channel (Sierra Wireless MC7455, EM7590); +CCHO answered with the bare number, without
 * "+CCHO: " (Fibocom FM350-GL); no +CCHC, so a channel cannot be closed (Sierra EM9191).
 */
export interface AtQuirks {
  logicalChannels?: boolean;
  sessionIds?: 'number' | 'hex';
  bareCcho?: boolean;
  noCchc?: boolean;
  /** false: no +CSIM either (with `logicalChannels: false`, a module whose eUICC cannot be reached) */
  csim?: boolean;
  /**
   * How long a logical channel this port opened may sit unused before a +CCHO that finds none free
   * takes it back (a client that went away without +CCHC: a module releases them on the port's
   * close, which a pseudo-terminal does not tell); default 30 s.
   */
  staleChannelMs?: number;
}

/**
 * The simulated module's AT port: the dialect of a real LTE module (ETSI TS 127 007 and V.250)
 * over the simulated radio, for anything that talks to a modem over a serial line (the car's AT
 * backend, lpac, minicom, a team's scripts). Echo on at start (ATE0 turns it off), ERROR until
 * AT+CMEE=1 (numbers) or 2 (words), and the unsolicited RING, +CLIP, +CEREG and NO CARRIER.
 * Commands run one after another, as a module's command interpreter does. The eUICC answers on
 * logical channels (+CCHO with the ISD-R's AID, +CGLA with APDUs in hex, +CCHC), several open at
 * once, and through +CSIM (MANAGE CHANNEL, SELECT, APDUs on their channel): ES10a/b/c whole.
 */
export class SimAtPort {
  private buffer = '';
  /** the line under way passed `maxLineLength`: it is dropped, and answered ERROR when it ends */
  private overlong = false;
  private echo = true;
  private cmee = 0;
  private cereg = 0;
  private clip = false;
  private copsFormat = 0;
  private readonly contexts = new Map<number, string>();
  private queue: Promise<void> = Promise.resolve();
  private readonly stop: () => void;

  private readonly card: SimCard;

  /** the open +CCHO sessions: <sessionid> → the card's logical channel */
  private readonly sessions = new Map<string, number>();
  /** when each session was last used (ms) */
  private readonly lastUse = new Map<string, number>();

  /** `quirks` play what real modules' firmware does differently (see {@link AtQuirks}). */
  constructor(
    private readonly modem: SimModem,
    private readonly send: (data: string) => void,
    private readonly quirks: AtQuirks = {},
  ) {
    this.card = modem.card;
    this.stop = modem.on((event) => {
      if (event.type === 'call' && event.call.state === 'incoming') {
        this.urc('RING');
        if (this.clip) this.urc(`+CLIP: "${event.call.number}",${event.call.number.startsWith('+') ? 145 : 129}`);
      }
      if (event.type === 'call' && event.call.state === 'disconnected' && event.call.endReason !== 'local') this.urc('NO CARRIER');
      if (event.type === 'registration' && this.cereg > 0) this.urc(`+CEREG: ${this.ceregFields(event.registration)}`);
    });
  }

  /**
   * Bytes from the terminal (the car, or a tool on the pseudo-terminal). Only what is new is searched for line ends; a line longer than a
   * module takes (`maxLineLength`) is dropped as it grows and answered ERROR at its end, as 27.007
   * modules do, so no terminal can make the port hold more than one line's worth.
   */
  receive(data: string | Buffer): void {
    const text = data.toString();
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x0d && c !== 0x0a) continue;
      this.take(text.slice(start, i));
      start = i + 1;
    }
    this.append(text.slice(start));
  }

  /** The rest of a line that has not ended yet, kept only up to the longest line a module takes. */
  private append(part: string): void {
    if (this.overlong) return;
    if (this.buffer.length + part.length > maxLineLength) {
      this.buffer = '';
      this.overlong = true;
      return;
    }
    this.buffer += part;
  }

  /** A line has ended: run it (or answer ERROR for one that was too long). */
  private take(last: string): void {
    this.append(last);
    const overlong = this.overlong;
    const line = this.buffer.trim();
    this.buffer = '';
    this.overlong = false;
    if (overlong) {
      this.queue = this.queue.then(() => this.send('\r\nERROR\r\n')).catch(() => undefined);
      return;
    }
    if (line === '') return;
    this.queue = this.queue.then(() => this.run(line)).catch(() => undefined);
  }

  /** The port is closed: the channels it opened are released, as a module releases them on a port's close. */
  close(): void {
    this.stop();
    for (const channel of this.sessions.values()) this.card.closeChannel(channel);
    this.sessions.clear();
    this.lastUse.clear();
  }

  /** The channel of this port's session unused the longest, if unused for `staleChannelMs`: closed, so that a new session can have it. */
  private reclaimStale(): boolean {
    const limit = Date.now() - (this.quirks.staleChannelMs ?? 30_000);
    const [stale] = [...this.lastUse.entries()].filter(([, at]) => at <= limit).sort((a, b) => a[1] - b[1]);
    if (!stale) return false;
    this.card.closeChannel(this.sessions.get(stale[0])!);
    this.sessions.delete(stale[0]);
    this.lastUse.delete(stale[0]);
    return true;
  }

  /** One command: its echo, then its answer in one burst, as a module's UART sends it. */
  private async run(line: string): Promise<void> {
    if (this.echo) this.send(`${line}\r`);
    try {
      const info = await this.answer(line);
      this.send(`${info.map((l) => `\r\n${l}\r\n`).join('')}\r\nOK\r\n`);
    } catch (error) {
      this.send(`\r\n${this.errorText(error)}\r\n`);
    }
  }

  private errorText(error: unknown): string {
    if (error instanceof ModemError && error.code === 'noSuchCall' && /not a number/.test(error.message)) return 'ERROR';
    const kind: Cme = error instanceof CmeError ? error.kind : error instanceof ModemError ? (fromModem[error.code] ?? 'unknown') : 'unknown';
    if (error instanceof SyntaxError || this.cmee === 0) return 'ERROR';
    return this.cmee === 1 ? `+CME ERROR: ${cme[kind][0]}` : `+CME ERROR: ${cme[kind][1]}`;
  }

  /** One command's information lines; throws for its error result. */
  private async answer(line: string): Promise<string[]> {
    const upper = line.toUpperCase();
    if (upper === 'AT') return [];
    if (/^ATE[01]$/.test(upper)) {
      this.echo = upper.endsWith('1');
      return [];
    }
    // V.250 §6.1.1: restore the stored profile (echo on, +CME ERROR off, no unsolicited reports)
    if (upper === 'ATZ' || upper === 'ATZ0') return done(() => Object.assign(this, { echo: true, cmee: 0, cereg: 0, clip: false, copsFormat: 0 }));
    if (upper === 'ATI') return ['iDrive emulator', 'Simulated LTE module', 'Revision: 1.0'];
    if (upper === 'AT+CGSN' || upper === 'AT+GSN') return [this.modem.imei()];
    // (a profile whose package gave no IMSI cannot say one)
    if (upper === 'AT+CIMI') return [this.subscription().imsi ?? fail('simFailure')];
    // (+CCID as Quectel and u-blox answer it, +ICCID as SIMCom and Sierra do)
    if (upper === 'AT+CCID' || upper === 'AT+QCCID') return [`+${upper.slice(3)}: ${this.subscription().iccid}`];
    if (upper === 'AT+ICCID' || upper === 'AT+CICCID') return [`+ICCID: ${this.subscription().iccid}`];
    if (upper === 'AT+CGMI') return ['iDrive emulator'];
    if (upper === 'AT+CGMM') return ['Simulated LTE module'];
    if (upper === 'AT+CGMR') return ['1.0'];
    let m: RegExpExecArray | null;
    if ((m = /^AT\+CMEE=([012])$/.exec(upper))) return done(() => (this.cmee = Number(m![1])));
    if (upper === 'AT+CFUN?') return [`+CFUN: ${this.modem.powered() ? 1 : 4}`];
    if ((m = /^AT\+CFUN=([014])(,[01])?$/.exec(upper))) {
      await this.modem.power(m[1] === '1');
      return [];
    }
    if (upper === 'AT+CPIN?') {
      this.isOnOrFail();
      return ['+CPIN: READY'];
    }
    if ((m = /^AT\+CEREG=([012])$/.exec(upper))) return done(() => (this.cereg = Number(m![1])));
    if (upper === 'AT+CEREG?') return [`+CEREG: ${this.cereg},${this.ceregFields(await this.modem.registration())}`];
    if (upper === 'AT+CREG?') return [`+CREG: 0,${stat[(await this.modem.registration()).state]}`];
    if ((m = /^AT\+COPS=3,([02])$/.exec(upper))) return done(() => (this.copsFormat = Number(m![1])));
    if (upper === 'AT+COPS=0') return [];
    if (upper === 'AT+COPS?') {
      const r = await this.modem.registration();
      if (!r.operator) return ['+COPS: 0'];
      const name = this.copsFormat === 2 ? r.operator.plmn.replace(' ', '') : r.operator.name;
      return [`+COPS: 0,${this.copsFormat},"${name}",${r.technology ? act[r.technology] : 7}`];
    }
    if (upper === 'AT+CSQ') return [`+CSQ: ${rssiOf[(await this.modem.registration()).signal]},99`];
    if (upper === 'AT+CAVIMS?') return [`+CAVIMS: ${(await this.modem.registration()).voice ? 1 : 0}`];
    if ((m = /^AT\+CEVDP=([1-4])$/.exec(upper))) {
      // Voice domain preference: IMS (3, 4) is voice over the eSIM's LTE; CS only (1) turns it off.
      await this.modem.setVoice(m[1] === '3' || m[1] === '4');
      return [];
    }
    if ((m = /^AT\+CGDCONT=(\d+),"IPV?4?V?6?","([^"]{1,100})"$/i.exec(line))) {
      this.contexts.set(Number(m[1]), m[2]!);
      return [];
    }
    if (upper === 'AT+CGDCONT?') return [...this.contexts].map(([cid, apn]) => `+CGDCONT: ${cid},"IP","${apn}"`);
    if ((m = /^AT\+CGACT=([01]),(\d+)$/.exec(upper))) {
      const apn = this.contexts.get(Number(m[2]));
      if (!apn) throw new CmeError('notAllowed');
      if (m[1] === '1') await this.modem.startData(apn);
      else await this.modem.stopData();
      return [];
    }
    if (upper === 'AT+CGACT?') {
      const session = await this.modem.dataSession();
      return [...this.contexts.keys()].map((cid) => `+CGACT: ${cid},${session.state === 'up' && session.apn === this.contexts.get(cid) ? 1 : 0}`);
    }
    if ((m = /^AT\+CGPADDR=(\d+)$/.exec(upper))) {
      const session = await this.modem.dataSession();
      return [`+CGPADDR: ${m[1]}${session.state === 'up' && session.address ? `,"${session.address}"` : ''}`];
    }
    if ((m = /^AT\+CLIP=([01])$/.exec(upper))) return done(() => (this.clip = m![1] === '1'));
    if ((m = /^ATD([+0-9*#]+);$/.exec(upper))) {
      await this.modem.dial(m[1]!);
      return [];
    }
    if (upper === 'ATA') {
      const ringing = (await this.modem.calls()).find((c) => c.state === 'incoming' || c.state === 'waiting');
      if (!ringing) throw new CmeError('notAllowed');
      await this.modem.answer(ringing.id);
      return [];
    }
    if (upper === 'ATH' || upper === 'AT+CHUP') {
      for (const call of await this.modem.calls()) await this.modem.hangUp(call.id);
      return [];
    }
    if ((m = /^AT\+CHLD=1(\d+)$/.exec(upper))) {
      await this.modem.hangUp(Number(m[1]));
      return [];
    }
    if (upper === 'AT+CLCC') {
      return (await this.modem.calls())
        .filter((c) => callStat[c.state] !== undefined)
        .map((c) => `+CLCC: ${c.id},${c.direction === 'outgoing' ? 0 : 1},${callStat[c.state]},0,0,"${c.number}",${c.number.startsWith('+') ? 145 : 129}`);
    }
    // The eUICC through logical channels (27.007 §8.45–8.47): open on an AID, APDUs in hex, close.
    const quirks = this.quirks;
    if (/^AT\+(CCHO|CGLA|CCHC)/.test(upper) && quirks.logicalChannels === false) throw new SyntaxError(line);
    if (/^AT\+CCHC/.test(upper) && quirks.noCchc) throw new SyntaxError(line);
    if (/^AT\+(CCHO|CGLA|CCHC|CSIM)=\?$/.test(upper)) return [];
    if ((m = /^AT\+CCHO="([0-9A-F]{10,32})"$/.exec(upper))) {
      this.isOnOrFail();
      let channel = this.card.openChannel(m[1]!);
      if (channel === null && this.reclaimStale()) channel = this.card.openChannel(m[1]!);
      if (channel === null) throw new CmeError('notFound');
      const session = quirks.sessionIds === 'hex' ? `00000000038AA3${channel.toString(16).padStart(2, '0')}` : String(channel);
      this.sessions.set(session, channel);
      this.lastUse.set(session, Date.now());
      return [quirks.bareCcho ? session : `+CCHO: ${session}`];
    }
    if ((m = /^AT\+CGLA=([0-9A-F]+),(\d+),"([0-9A-F]*)"$/.exec(upper))) {
      this.isOnOrFail();
      if (Number(m[2]) !== m[3]!.length || m[3]!.length % 2 !== 0) throw new CmeError('invalidParameter');
      // <sessionid> names the channel: the module puts its number into the CLA byte, whatever the
      // terminal wrote there (lpac numbers its channels itself, from 1), as modules do.
      const channel = this.sessions.get(m[1]!);
      if (channel === undefined) throw new CmeError('invalidParameter');
      this.lastUse.set(m[1]!, Date.now());
      const apdu = hex(m[3]!);
      if (apdu.length > 0) apdu[0] = (apdu[0]! & 0xfc) | channel;
      const response = toHex(await this.card.transmit(channel, apdu));
      return [`+CGLA: ${response.length},"${response}"`];
    }
    if ((m = /^AT\+CCHC=([0-9A-F]+)$/.exec(upper))) {
      const channel = this.sessions.get(m[1]!);
      if (channel === undefined || !this.card.closeChannel(channel)) throw new CmeError('invalidParameter');
      this.sessions.delete(m[1]!);
      this.lastUse.delete(m[1]!);
      return [];
    }
    if (/^AT\+CSIM/.test(upper) && quirks.csim === false) throw new SyntaxError(line);
    if ((m = /^AT\+CSIM=(\d+),"([0-9A-F]*)"$/.exec(upper))) {
      this.isOnOrFail();
      if (Number(m[1]) !== m[2]!.length || m[2]!.length % 2 !== 0) throw new CmeError('invalidParameter');
      const response = toHex(await this.card.command(hex(m[2]!)));
      return [`+CSIM: ${response.length},"${response}"`];
    }
    throw new SyntaxError(line);
  }

  /** The enabled profile, which the module's +CIMI and +CCID read; none is "SIM not inserted" (27.007 error 10). */
  private subscription(): { iccid: string; imsi: string | null } {
    this.isOnOrFail();
    return this.modem.subscription() ?? fail('simNotInserted');
  }

  private isOnOrFail(): void {
    if (!this.modem.powered()) throw new CmeError('notAllowed');
  }

  /** `<stat>[,"<tac>","<ci>",<AcT>]` (the location only with +CEREG=2 and a network). */
  private ceregFields(r: Registration): string {
    const located = this.cereg === 2 && r.technology !== null && (r.state === 'registered' || r.state === 'roaming');
    return `${stat[r.state]}${located ? `,"1A2B","01A2B3C4",${act[r.technology!]}` : ''}`;
  }

  private urc(line: string): void {
    this.send(`\r\n${line}\r\n`);
  }
}

/** A setting command: changes the port's state, answers OK with no lines. */
function done(change: () => unknown): string[] {
  change();
  return [];
}

function fail(kind: Cme): never {
  throw new CmeError(kind);
}

class CmeError extends Error {
  constructor(readonly kind: Cme) {
    super(kind);
  }
}
