import {
  authenticateErrors,
  downloadErrors,
  encodeAuthenticateServer,
  encodeCancelSession,
  encodePrepareDownload,
  es10bTags,
  readAuthenticateResponse,
  readEuiccInfo2,
  readPrepareDownloadResponse,
  type AuthenticateServerRequest,
  type EuiccInfo2,
  type PrepareDownloadRequest,
} from '../../shared/es10/es10b';
import { encodeRetrieveNotifications, readInstallationResult } from '../../shared/es10/notifications';
import {
  decodeEid,
  decodeNotifications,
  decodeProfiles,
  decodeResult,
  encodeRequest,
  es10cTags,
  isdRAid,
  resultCodes,
  toHex,
  type Es10cRequest,
  type NotificationMetadata,
} from '../../shared/es10/es10c';
import { child, decodeTlv, encodeTlv, TlvError, type Tlv } from '../../shared/es10/tlv';
import type { CancelReason, ErrorReason, LoadResult } from '../../shared/esim';
import { ModemError, type Euicc, type EuiccProfile, type UiccTransport } from './contract';

/**
 * The eUICC's ES10 functions over any UICC transport, as an LPA reaches them (SGP.22 §5.7, ETSI TS
 * 102 221): a logical channel to the ISD-R, each function one STORE DATA command (CLA 80 | channel,
 * INS E2) split into 255-byte blocks (P1 11, the last 91; P2 the block number), answers over 256
 * bytes fetched with GET RESPONSE after 61xx. Functions run one at a time (blocks must not
 * interleave); a channel the card no longer knows (6881, after a reset) is opened again once.
 * Answers that are not what SGP.22 says reject with ModemError `interrupted`.
 */
export class Es10Client implements Euicc {
  private channel: number | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly uicc: UiccTransport) {}

  /** Forgets the channel (the module was reset or unplugged): the next function opens a new one. */
  reset(): void {
    this.channel = null;
  }

  async eid(): Promise<string> {
    return decodeEid(await this.es10c({ kind: 'getEid' }));
  }

  async getEuiccChallenge(): Promise<Uint8Array> {
    const answer = decodeTlv(await this.es10c({ kind: 'getEuiccChallenge' }));
    const challenge = child(answer, 0x80)?.value;
    if (challenge?.length !== 16) throw bad('GetEUICCChallenge');
    return challenge;
  }

  async getEuiccInfo1(): Promise<Uint8Array> {
    return this.call(encodeTlv({ tag: es10bTags.euiccInfo1, children: [] }));
  }

  async getEuiccInfo2(): Promise<EuiccInfo2> {
    const bytes = await this.call(encodeTlv({ tag: es10bTags.euiccInfo2, children: [] }));
    return this.read(() => readEuiccInfo2(decodeTlv(bytes)));
  }

  async authenticateServer(request: AuthenticateServerRequest): Promise<Uint8Array> {
    const bytes = await this.call(encodeAuthenticateServer(request));
    const answer = this.read(() => readAuthenticateResponse(decodeTlv(bytes)));
    if ('error' in answer) {
      const code = answer.error;
      if (code === authenticateErrors.invalidSignature) throw new ModemError('invalidSignature', 'the SM-DP+ signature is not valid');
      if (code === authenticateErrors.euiccChallengeMismatch) throw new ModemError('invalidChallenge', 'the SM-DP+ signed another challenge');
      if (code === authenticateErrors.invalidCertificate || code === authenticateErrors.ciPKUnknown)
        throw new ModemError('untrustedServer', 'the SM-DP+ certificate does not lead to a CI this eUICC trusts');
      throw new ModemError('interrupted', `AuthenticateServer failed (${code})`);
    }
    return bytes;
  }

  async prepareDownload(request: PrepareDownloadRequest): Promise<Uint8Array> {
    const bytes = await this.call(encodePrepareDownload(request));
    const answer = this.read(() => readPrepareDownloadResponse(decodeTlv(bytes)));
    if ('error' in answer) {
      const code = answer.error;
      if (code === downloadErrors.invalidSignature) throw new ModemError('invalidSignature', 'the SM-DP+ signature is not valid');
      if (code === downloadErrors.invalidTransactionId || code === downloadErrors.noSessionContext)
        throw new ModemError('invalidTransactionId', 'the eUICC has no such session');
      if (code === downloadErrors.invalidCertificate) throw new ModemError('untrustedServer', 'the SM-DP+ binding certificate is not trusted');
      throw new ModemError('interrupted', `PrepareDownload failed (${code})`);
    }
    return bytes;
  }

  /**
   * Loads a BoundProfilePackage in the segments SGP.22 §2.5.5 names: BF36's header with BF23, A0
   * whole, A1's header then each '88', A2 whole if present, A3's header then each '86'. Resolves
   * with the eUICC's result and its ProfileInstallationResult (BF37) bytes.
   */
  async loadBoundProfilePackage(
    bpp: Uint8Array,
    onProgress?: (loaded: number, total: number) => void,
  ): Promise<{ result: LoadResult; installationResult: Uint8Array }> {
    const segments = this.read(() => segmentsOf(bpp));
    const total = segments.filter((s) => s[0] === 0x86).length;
    let loaded = 0;
    for (const segment of segments) {
      const answer = await this.call(segment);
      if (segment[0] === 0x86) onProgress?.(++loaded, total);
      if (answer.length > 0) return { result: this.read(() => loadResult(answer)), installationResult: answer };
    }
    throw new ModemError('interrupted', 'the eUICC gave no result for the package');
  }

  async cancelSession(transactionId: Uint8Array, reason: CancelReason): Promise<Uint8Array> {
    return this.call(encodeCancelSession(transactionId, reason));
  }

  async listNotifications(): Promise<NotificationMetadata[]> {
    return decodeNotifications(await this.es10c({ kind: 'listNotifications' }));
  }

  /** RetrieveNotificationsList for one seqNumber: the signed PendingNotification as ES9+ HandleNotification carries it, or null. */
  async retrieveNotification(seqNumber: number): Promise<Uint8Array | null> {
    const answer = await this.call(encodeRetrieveNotifications(seqNumber));
    const list = this.read(() => child(decodeTlv(answer), 0xa0));
    const first = list?.children?.[0];
    return first ? (first.der ?? encodeTlv(first)) : null;
  }

  /** Forgets a notification; an unknown number is no error (a retry after a lost answer), as the contract says. */
  async removeNotification(seqNumber: number): Promise<void> {
    const code = decodeResult(await this.es10c({ kind: 'removeNotification', seqNumber }), es10cTags.removeNotification);
    if (code !== resultCodes.ok && code !== resultCodes.notFound) throw new ModemError('interrupted', `the eUICC answered ${code}`);
  }

  async listProfiles(): Promise<EuiccProfile[]> {
    // (the ISD-P AIDs are the card's business, not the contract's)
    return decodeProfiles(await this.es10c({ kind: 'getProfilesInfo' })).map(({ isdpAid: _aid, ...profile }) => profile);
  }

  async enableProfile(iccid: string): Promise<void> {
    const code = decodeResult(await this.es10c({ kind: 'enable', iccid, refresh: true }), es10cTags.enable);
    if (code === resultCodes.wrongState) return; // already enabled: as the contract says, nothing to do
    this.check(code, iccid);
  }

  async disableProfile(iccid: string): Promise<void> {
    const code = decodeResult(await this.es10c({ kind: 'disable', iccid, refresh: true }), es10cTags.disable);
    if (code === resultCodes.wrongState) return;
    this.check(code, iccid);
  }

  async deleteProfile(iccid: string): Promise<void> {
    const code = decodeResult(await this.es10c({ kind: 'delete', iccid }), es10cTags.delete);
    if (code === resultCodes.wrongState) throw new ModemError('profileEnabled', 'disable the profile before deleting it');
    this.check(code, iccid);
  }

  async setNickname(iccid: string, nickname: string): Promise<void> {
    this.check(decodeResult(await this.es10c({ kind: 'setNickname', iccid, nickname: nickname.slice(0, 64) }), es10cTags.setNickname), iccid);
  }

  private check(code: number, iccid: string): void {
    if (code === resultCodes.ok) return;
    if (code === resultCodes.notFound) throw new ModemError('noSuchProfile', `no profile ${iccid}`);
    throw new ModemError('interrupted', `the eUICC answered ${code}`);
  }

  /** Reads an answer; a malformed one is the eUICC's fault, a ModemError. */
  private read<T>(parse: () => T): T {
    try {
      return parse();
    } catch (error) {
      if (error instanceof TlvError) throw bad(error.message);
      throw error;
    }
  }

  private async es10c(request: Es10cRequest): Promise<Uint8Array> {
    return this.call(encodeRequest(request));
  }

  /** One ES10 function (or package segment) on the ISD-R channel; its answer's bytes. */
  private call(data: Uint8Array): Promise<Uint8Array> {
    const run = async () => {
      try {
        return await this.storeData(data);
      } catch (error) {
        if (!(error instanceof ChannelLost)) throw error;
        this.channel = null;
        return this.storeData(data);
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async storeData(data: Uint8Array): Promise<Uint8Array> {
    const channel = this.channel ?? (this.channel = await this.uicc.openChannel(isdRAid));
    const cla = channel < 4 ? 0x80 | channel : 0xc0 | (channel - 4);
    const blocks = Math.max(1, Math.ceil(data.length / 255));
    let answer: Uint8Array = new Uint8Array(0);
    for (let block = 0; block < blocks; block++) {
      const part = data.subarray(block * 255, (block + 1) * 255);
      const last = block === blocks - 1;
      answer = await this.uicc.transmit(channel, Uint8Array.from([cla, 0xe2, last ? 0x91 : 0x11, block, part.length, ...part]));
      if (sw(answer) === '6881') throw new ChannelLost();
      if (!last && sw(answer) !== '9000') throw new ModemError('interrupted', `the eUICC refused a block (${sw(answer)})`);
    }
    const body: Uint8Array[] = [];
    for (;;) {
      const status = sw(answer);
      body.push(answer.subarray(0, answer.length - 2));
      if (status === '9000') return Uint8Array.from(body.flatMap((b) => [...b]));
      if (!status.startsWith('61')) throw new ModemError('interrupted', `the eUICC answered ${status}`);
      answer = await this.uicc.transmit(channel, Uint8Array.from([cla & 0x83, 0xc0, 0, 0, answer[answer.length - 1]!]));
    }
  }
}

class ChannelLost extends Error {}

const sw = (answer: Uint8Array) => (answer.length < 2 ? '' : toHex(answer.subarray(answer.length - 2)));
const bad = (what: string) => new ModemError('interrupted', `the eUICC answered out of turn: ${what}`);

/** The package's segments, as SGP.22 §2.5.5 cuts it. Throws TlvError for anything that is not a BF36 package. */
export function segmentsOf(bpp: Uint8Array): Uint8Array[] {
  const top = decodeTlv(bpp);
  if (top.tag !== es10bTags.boundProfilePackage) throw new TlvError('a package is BF36');
  const raw = (t: Tlv) => t.der ?? encodeTlv(t);
  const headerOf = (t: Tlv) => raw(t).subarray(0, raw(t).length - (t.children ?? []).reduce((n, c) => n + raw(c).length, 0));
  const initialise = child(top, es10bTags.initialiseSecureChannel);
  const [a0, a1, a2, a3] = [0xa0, 0xa1, 0xa2, 0xa3].map((tag) => child(top, tag));
  if (!initialise || !a0 || !a1 || !a3) throw new TlvError('a package holds BF23, A0, A1 and A3');
  return [
    Uint8Array.from([...headerOf(top), ...raw(initialise)]),
    raw(a0),
    headerOf(a1),
    ...(a1.children ?? []).map(raw),
    ...(a2 ? [raw(a2)] : []),
    headerOf(a3),
    ...(a3.children ?? []).map(raw),
  ];
}

function loadResult(answer: Uint8Array): LoadResult {
  const { transactionId, metadata, result } = readInstallationResult(decodeTlv(answer));
  const id = toHex(transactionId);
  const seqNumber = metadata.seqNumber;
  return result.ok
    ? { transactionId: id, iccid: metadata.iccid, seqNumber }
    : { transactionId: id, errorReason: result.errorReason as ErrorReason, bppCommandId: result.bppCommandId, seqNumber };
}
