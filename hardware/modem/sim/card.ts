import {
  decodeRequest,
  encodeAddresses,
  hex,
  matchesSearch,
  toHex,
  encodeChallenge,
  encodeEid,
  encodeNotifications,
  encodeProfiles,
  encodeResult,
  es10cTags,
  isdRAid,
  resultCodes,
  UnknownFunctionError,
  type Es10cRequest,
} from '../../../shared/es10/es10c';
import { concat, decodeTlv, encodeTlv, iccidToBytes, TlvError, wrap } from '../../../shared/es10/tlv';
import { ModemError } from '../contract';
import { SimEuicc } from './simEuicc';

/** Status words (ISO/IEC 7816-4 §5.6, and the GlobalPlatform ones an eUICC uses). */
const sw = {
  ok: [0x90, 0x00],
  wrongLength: [0x67, 0x00],
  channelNotSupported: [0x68, 0x81],
  conditionsNotSatisfied: [0x69, 0x85],
  wrongData: [0x6a, 0x80],
  notFound: [0x6a, 0x82],
  wrongP1P2: [0x6a, 0x86],
  referencedDataNotFound: [0x6a, 0x88],
  insNotSupported: [0x6d, 0x00],
  claNotSupported: [0x6e, 0x00],
  noPreciseDiagnosis: [0x6f, 0x00],
  recordNotFound: [0x6a, 0x83],
} as const;

interface ChannelState {
  blocks: Uint8Array[];
  pending: Uint8Array | null;
  /** the ISD-R is selected on it */
  selected: boolean;
}
const basicChannel = (): ChannelState => ({ blocks: [], pending: null, selected: false });

/** The basic channel's files (ETSI TS 102 221 §13): the MF, EF.ICCID and EF.DIR, with their FCPs' descriptors. */
type BasicFile = 'mf' | 'iccid' | 'dir';
const files = {
  mf: { id: '3F00', descriptor: [0x78, 0x21], arr: 0x01 },
  iccid: { id: '2FE2', descriptor: [0x41, 0x21], arr: 0x03 },
  dir: { id: '2F00', descriptor: [0x42, 0x21, 0x00, 0x21, 0x01], arr: 0x02 },
} as const;

/** A file's FCP template (TS 102 221 §11.1.1.3): descriptor, ID, life cycle (operational, activated), security attributes, size. */
function fcp(file: BasicFile): Uint8Array {
  const { id, descriptor, arr } = files[file];
  const size = file === 'iccid' ? [0x80, 0x02, 0x00, 0x0a] : file === 'dir' ? [0x80, 0x02, 0x00, 0x21] : [];
  return wrap(0x62, Uint8Array.from([0x82, descriptor.length, ...descriptor, 0x83, 0x02, ...hex(id), 0x8a, 0x01, 0x05, 0x8b, 0x03, 0x2f, 0x06, arr, ...size]));
}

/** The ISD-R's FCI as GlobalPlatform answers a SELECT: 6F { 84 its AID, A5 { 9F65 the largest command data, 255 } }. */
function isdRFci(): Uint8Array {
  return encodeTlv({
    tag: 0x6f,
    children: [
      { tag: 0x84, value: hex(isdRAid) },
      { tag: 0xa5, children: [{ tag: 0x9f65, value: Uint8Array.of(0xff) }] },
    ],
  });
}

/** EF.DIR's record: the ISD-R (an application template, 61 { 4F AID, 50 label }), padded to the record's 33 bytes. */
function dirRecord(): Uint8Array {
  const record = encodeTlv({
    tag: 0x61,
    children: [
      { tag: 0x4f, value: hex(isdRAid) },
      { tag: 0x50, value: Uint8Array.from('ISD-R', (c) => c.charCodeAt(0)) },
    ],
  });
  return Uint8Array.from([...record, ...Array<number>(0x21 - record.length).fill(0xff)]);
}

/** Logical channels a card offers besides the basic one (ISO 7816-4: up to 3 with the short CLA coding). */
const channels = [1, 2, 3];

/**
 * The simulated eUICC as a card: logical channels to the ISD-R (opened with its AID, as +CCHO
 * does: MANAGE CHANNEL then SELECT), and ES10 in STORE DATA (CLA 80 | channel, INS E2) with block
 * chaining (P1 11 for more blocks, 91 for the last; P2 the block number), its answers longer than
 * 256 bytes fetched with GET RESPONSE after 61xx. Every malformed or unknown command gets the
 * status word a card gives and changes nothing. A reset or unplug of the module under way rejects
 * with its ModemError. Behind it, the ISD-R (SimEuicc); the car, lpac and any other terminal share
 * the one card, each on its own channel.
 */
export class SimCard {
  private readonly open = new Map<number, ChannelState>();
  /** the basic channel's current file (ETSI TS 102 221: the MF after a reset) */
  private file: BasicFile = 'mf';

  constructor(private readonly euicc: SimEuicc) {
    this.open.set(0, basicChannel());
  }

  /** Opens a logical channel on the application `aid` (hex); null when there is no such application or no free channel. */
  openChannel(aid: string): number | null {
    if (aid.toUpperCase() !== isdRAid) return null;
    const free = channels.find((c) => !this.open.has(c));
    if (free === undefined) return null;
    this.open.set(free, { blocks: [], pending: null, selected: true });
    return free;
  }

  closeChannel(channel: number): boolean {
    return channel !== 0 && this.open.delete(channel);
  }

  /**
   * Any command APDU as AT+CSIM or a PC/SC reader carries it, its channel in the class byte:
   * MANAGE CHANNEL (open, close) and SELECT by AID here, everything else on its logical channel.
   * The basic channel is the card's as card tools expect it (ETSI TS 102 221 / ISO 7816-4): the MF
   * (3F00) with EF.ICCID (2FE2, the enabled profile's) and EF.DIR (2F00), SELECT by file ID with
   * its FCP, READ BINARY and READ RECORD, STATUS; and the ISD-R selectable there too, with its FCI,
   * ES10 then working on the basic channel as on a logical one.
   */
  async command(apdu: Uint8Array): Promise<Uint8Array> {
    if (apdu.length < 4) return answer(sw.wrongLength);
    const [cla, ins, p1, p2] = apdu as unknown as [number, number, number, number];
    const channel = cla & 0x03; // (channels 1–3 only: the further interindustry coding is never needed)
    if (ins === 0x70 && p1 === 0x00) {
      const free = channels.find((c) => !this.open.has(c));
      if (free === undefined) return answer(sw.channelNotSupported);
      this.open.set(free, { blocks: [], pending: null, selected: false });
      return answer(sw.ok, Uint8Array.of(free));
    }
    if (ins === 0x70 && p1 === 0x80) return answer(p2 !== 0 && this.open.delete(p2) ? sw.ok : sw.channelNotSupported);
    if (ins === 0xa4 && p1 === 0x04) {
      const state = this.open.get(channel);
      if (!state) return answer(sw.channelNotSupported);
      const aid = apdu.subarray(5, 5 + (apdu[4] ?? 0));
      if (toHex(aid) !== isdRAid) return answer(sw.notFound);
      state.selected = true;
      // (P2 0C: no answer data; otherwise the ISD-R's FCI)
      return answer(sw.ok, (p2 & 0x0c) === 0x0c ? new Uint8Array(0) : isdRFci());
    }
    if (channel === 0) return this.basic(apdu);
    return this.transmit(channel, apdu);
  }

  /** A reset of the card (the module reset or lost power): every logical channel is closed, the basic channel is on the MF. */
  reset(): void {
    this.open.clear();
    this.open.set(0, basicChannel());
    this.file = 'mf';
  }

  /** The basic channel's file system commands; STORE DATA and GET RESPONSE go to the ISD-R once it is selected there. */
  private async basic(apdu: Uint8Array): Promise<Uint8Array> {
    const [cla, ins, p1, p2] = apdu as unknown as [number, number, number, number];
    if (ins === 0xe2 || (ins === 0xc0 && this.open.get(0)!.pending)) return this.transmit(0, apdu);
    if ((cla & 0xf0) !== 0x00 && (cla & 0xf0) !== 0x80) return answer(sw.claNotSupported);
    if (ins === 0xa4 && (p1 === 0x00 || p1 === 0x08 || p1 === 0x09)) {
      const path = toHex(apdu.subarray(5, 5 + (apdu[4] ?? 0)));
      // (by file ID, or by path from the MF, P1 08, which leaves the MF out)
      const file = (['mf', 'iccid', 'dir'] as const).find((f) => [files[f].id, `3F00${files[f].id}`].includes(path));
      if (!file || (file === 'iccid' && !(await this.enabledIccid()))) return answer(sw.notFound);
      this.file = file;
      this.open.get(0)!.selected = false;
      return answer(sw.ok, (p2 & 0x0c) === 0x0c ? new Uint8Array(0) : fcp(file));
    }
    if (ins === 0xf2) return answer(sw.ok, fcp('mf')); // STATUS: the current DF, the MF
    if (ins === 0xb0) {
      if (this.file !== 'iccid') return answer(sw.conditionsNotSatisfied);
      const iccid = await this.enabledIccid();
      if (!iccid) return answer(sw.notFound);
      const offset = p1 * 256 + p2;
      return answer(sw.ok, iccidToBytes(iccid).subarray(offset, offset + (apdu[4] || 256)));
    }
    if (ins === 0xb2) {
      if (this.file !== 'dir') return answer(sw.conditionsNotSatisfied);
      return p1 === 1 && p2 === 0x04 ? answer(sw.ok, dirRecord()) : answer(sw.recordNotFound);
    }
    return answer(sw.insNotSupported);
  }

  private async enabledIccid(): Promise<string | null> {
    return (await this.euicc.listProfiles()).find((p) => p.state === 'enabled')?.iccid ?? null;
  }

  /** One command APDU on a logical channel; the answer's data followed by its status word. */
  async transmit(channel: number, apdu: Uint8Array): Promise<Uint8Array> {
    const state = this.open.get(channel);
    if (!state) return answer(sw.channelNotSupported);
    if (!state.selected) return answer(sw.conditionsNotSatisfied);
    if (apdu.length < 4) return answer(sw.wrongLength);
    const [cla, ins, p1, p2] = apdu as unknown as [number, number, number, number];
    // (STORE DATA is a proprietary class, 80; GET RESPONSE may come in either class)
    const classOk = (cla & 0xfc) === 0x80 || (ins === 0xc0 && (cla & 0xfc) === 0x00);
    if ((cla & 0x03) !== channel || !classOk) return answer(sw.claNotSupported);
    if (ins === 0xc0) return this.getResponse(state);
    if (ins !== 0xe2) return answer(sw.insNotSupported);
    const lc = apdu[4];
    if (lc === undefined || lc === 0 || apdu.length < 5 + lc || apdu.length > 6 + lc) return answer(sw.wrongLength);
    if ((p1 !== 0x11 && p1 !== 0x91) || p2 !== state.blocks.length) {
      state.blocks = [];
      return answer(sw.wrongP1P2);
    }
    state.blocks.push(apdu.subarray(5, 5 + lc));
    if (p1 === 0x11) return answer(sw.ok);
    const command = concat(state.blocks);
    state.blocks = [];
    let response: Uint8Array;
    try {
      if (this.euicc.isSegment(command)) {
        response = await this.euicc.loadSegment(command);
      } else {
        const tlv = decodeTlv(command);
        response = SimEuicc.handles(tlv.tag) ? await this.euicc.es10b(tlv) : await this.es10(decodeRequest(command));
      }
    } catch (error) {
      if (error instanceof TlvError) return answer(sw.wrongData);
      if (error instanceof UnknownFunctionError) return answer(sw.referencedDataNotFound);
      // The module itself went off, away or through a reset: the terminal hears of it, not a status word.
      if (error instanceof ModemError && error.code !== 'noSuchProfile' && error.code !== 'profileEnabled') throw error;
      return answer(sw.noPreciseDiagnosis);
    }
    state.pending = response;
    return this.getResponse(state);
  }

  private getResponse(state: { pending: Uint8Array | null }): Uint8Array {
    const pending = state.pending;
    if (!pending) return answer(sw.conditionsNotSatisfied);
    const part = pending.subarray(0, 256);
    const rest = pending.subarray(256);
    state.pending = rest.length > 0 ? rest : null;
    return answer(rest.length > 0 ? [0x61, Math.min(rest.length, 256) & 0xff] : sw.ok, part);
  }

  private async es10(request: Es10cRequest): Promise<Uint8Array> {
    const euicc = this.euicc;
    switch (request.kind) {
      case 'getEid':
        return encodeEid(await euicc.eid());
      case 'getProfilesInfo':
        return encodeProfiles(
          (await euicc.listProfiles()).filter((p) => matchesSearch(p, request.search)),
          request.tags,
        );
      case 'enable':
      case 'disable': {
        const profile = (await euicc.listProfiles()).find((p) => p.iccid === request.iccid);
        const tag = es10cTags[request.kind];
        if (!profile) return encodeResult(tag, resultCodes.notFound);
        if (profile.state === (request.kind === 'enable' ? 'enabled' : 'disabled')) return encodeResult(tag, resultCodes.wrongState);
        await (request.kind === 'enable' ? euicc.enableProfile(request.iccid) : euicc.disableProfile(request.iccid));
        return encodeResult(tag, resultCodes.ok);
      }
      case 'delete':
        return encodeResult(es10cTags.delete, await outcome(() => euicc.deleteProfile(request.iccid)));
      case 'setNickname':
        return encodeResult(es10cTags.setNickname, await outcome(() => euicc.setNickname(request.iccid, request.nickname)));
      case 'removeNotification': {
        const known = (await euicc.listNotifications()).some((n) => n.seqNumber === request.seqNumber);
        if (known) await euicc.removeNotification(request.seqNumber);
        return encodeResult(es10cTags.removeNotification, known ? resultCodes.ok : resultCodes.notFound);
      }
      case 'getConfiguredAddresses':
        return encodeAddresses(await euicc.configuredAddresses());
      case 'setDefaultDpAddress':
        await euicc.setDefaultDpAddress(request.address);
        return encodeResult(es10cTags.setDefaultDpAddress, resultCodes.ok);
      case 'getEuiccChallenge':
        return encodeChallenge(await euicc.getEuiccChallenge());
      case 'listNotifications':
        return encodeNotifications(
          (await euicc.listNotifications()).map(({ seqNumber, event, notificationAddress, iccid }) => ({ seqNumber, event, notificationAddress, iccid })),
        );
    }
  }
}

/** A profile operation's result code: not found, in the wrong state, or done. */
async function outcome(run: () => Promise<void>): Promise<number> {
  try {
    await run();
    return resultCodes.ok;
  } catch (error) {
    if (error instanceof ModemError && error.code === 'noSuchProfile') return resultCodes.notFound;
    if (error instanceof ModemError && error.code === 'profileEnabled') return resultCodes.wrongState;
    throw error;
  }
}

function answer(status: readonly [number, number], data: Uint8Array = new Uint8Array(0)): Uint8Array {
  return concat([data, new Uint8Array(status)]);
}
