import {
  decodeRequest, encodeAddresses, matchesSearch, toHex, encodeChallenge, encodeEid, encodeNotifications, encodeProfiles, encodeResult, es10cTags, isdRAid, resultCodes, UnknownFunctionError, type Es10cRequest,
} from '../../../shared/es10/es10c';
import { concat, decodeTlv, TlvError } from '../../../shared/es10/tlv';
import { ModemError } from '../contract';
import { SimEuicc } from './simEuicc';

/** Status words (ISO/IEC 7816-4 §5.6, and the GlobalPlatform ones an eUICC uses). */
const sw = {
  ok: [0x90, 0x00], wrongLength: [0x67, 0x00], channelNotSupported: [0x68, 0x81], conditionsNotSatisfied: [0x69, 0x85],
  wrongData: [0x6a, 0x80], notFound: [0x6a, 0x82], wrongP1P2: [0x6a, 0x86], referencedDataNotFound: [0x6a, 0x88],
  insNotSupported: [0x6d, 0x00], claNotSupported: [0x6e, 0x00], noPreciseDiagnosis: [0x6f, 0x00],
} as const;

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
  private readonly open = new Map<number, { blocks: Uint8Array[]; pending: Uint8Array | null; selected: boolean }>();

  constructor(private readonly euicc: SimEuicc) {}

  /** Opens a logical channel on the application `aid` (hex); null when there is no such application or no free channel. */
  openChannel(aid: string): number | null {
    if (aid.toUpperCase() !== isdRAid) return null;
    const free = channels.find((c) => !this.open.has(c));
    if (free === undefined) return null;
    this.open.set(free, { blocks: [], pending: null, selected: true });
    return free;
  }

  closeChannel(channel: number): boolean {
    return this.open.delete(channel);
  }

  /**
   * Any command APDU as AT+CSIM carries it, its channel in the class byte: MANAGE CHANNEL (open,
   * close) and SELECT by AID here, everything else on its logical channel. The basic channel holds
   * the USIM, not the ISD-R.
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
    if (ins === 0x70 && p1 === 0x80) return answer(this.open.delete(p2) ? sw.ok : sw.channelNotSupported);
    if (ins === 0xa4 && p1 === 0x04) {
      const state = this.open.get(channel);
      if (!state) return answer(sw.channelNotSupported);
      const aid = apdu.subarray(5, 5 + (apdu[4] ?? 0));
      if (toHex(aid) !== isdRAid) return answer(sw.notFound);
      state.selected = true;
      return answer(sw.ok);
    }
    if (channel === 0) return answer(sw.insNotSupported);
    return this.transmit(channel, apdu);
  }

  /** A reset of the card (the module reset or lost power): every logical channel is closed. */
  reset(): void {
    this.open.clear();
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
        return encodeProfiles((await euicc.listProfiles()).filter((p) => matchesSearch(p, request.search)), request.tags);
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
        return encodeNotifications((await euicc.listNotifications()).map(({ seqNumber, event, notificationAddress, iccid }) => ({ seqNumber, event, notificationAddress, iccid })));
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
