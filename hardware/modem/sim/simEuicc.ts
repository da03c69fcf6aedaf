import {
  authenticateErrors,
  downloadErrors,
  bppCommands,
  encodeAuthenticateResponse,
  encodeCancelSessionResponse,
  encodeEuiccInfo1,
  encodePrepareDownloadResponse,
  es10bTags,
  euiccCancelSessionSigned,
  euiccInfo2,
  euiccSigned1,
  euiccSigned2,
  readAuthenticateServer,
  readCancelSession,
  readPrepareDownload,
  readServerSigned1,
  readSmdpSigned2,
  signatureElement,
  signatureOf,
  type Answer,
} from '../../../shared/es10/es10b';
import {
  encodeNotificationsList,
  installationResultData,
  otherSignedNotification,
  readMemoryReset,
  readRetrieveNotifications,
  resetOptions,
} from '../../../shared/es10/notifications';
import { decodeTlv, derOf, encodeTlv, concat, TlvError, type Tlv } from '../../../shared/es10/tlv';
import { hex, notificationMetadata, toHex } from '../../../shared/es10/es10c';
import { errorReasons, profileClasses, type ErrorReason, type LoadResult, type PendingNotification, type ProfileMetadata } from '../../../shared/esim';
import type { EuiccIdentity } from '../../../shared/rsp/euiccIdentity';
import type * as x509 from '../../../shared/rsp/x509';
import { oneTimeKey } from '../../../shared/rsp/scp03t';
import { testPki } from '../../../shared/rsp/testPki';
import { ModemError, type EuiccProfile } from '../contract';
import { BppLoader, header, type BindingSession } from './bppLoader';
import { wait, type Timing } from './timing';

/** The PKI, loaded on first use (see euiccPki.ts). */
const pki = () => import('./euiccPki');

/** A fault the test controls inject into the next download, at the step they name. */
export type DownloadFault = (
  | { step: 'authenticateServer' | 'prepareDownload'; kind: 'reset' | 'gone' }
  | { step: 'load'; kind: 'reset' | 'gone'; afterSegments: number }
  | { step: 'load'; kind: 'errorReason'; reason: ErrorReason; afterSegments: number }
) & {
  /** applies to every download until the faults are cleared, not to the next one only */
  every?: boolean;
};

interface Installed {
  metadata: ProfileMetadata;
  state: 'enabled' | 'disabled';
  nickname: string | null;
}

interface Session {
  transactionId: Uint8Array;
  serverAddress: string;
  /** the '5F37' element the eUICC answered AuthenticateServer with (smdpSignature2 covers it) */
  euiccSignature1: Uint8Array;
  /** the CI the SM-DP+ chose (euiccCiPKIdToBeUsed): its CERT.DPpb must chain to it too */
  ci: x509.X509Certificate;
  binding?: BindingSession;
}

/** What the eUICC keeps in its flash across power cycles. */
export interface EuiccFlash {
  profiles: { metadata: ProfileMetadata; state: 'enabled' | 'disabled'; nickname: string | null; address: string }[];
  notifications: PendingNotification[];
  nextSeq: number;
  /** the default SM-DP+ address an LPA may set (ES10a SetDefaultDpAddress); absent: none */
  defaultDpAddress?: string;
}

/** The root SM-DS every consumer eUICC is made with (GSMA's). */
export const rootDsAddress = 'lpa.ds.gsma.com';

export interface SimEuiccOptions {
  eid: string;
  /**
   * who the eUICC is: the CIs it trusts, CERT.EUM, CERT.EUICC and its key (its EID must be `eid`);
   * default: the project's test PKI, with a CERT.EUICC issued for `eid` when first needed
   */
  identity?: EuiccIdentity;
  /** bytes of non-volatile memory for profiles */
  memory: number;
  timing: Timing;
  /** the modem's power and presence, checked before every command */
  assertReady: () => void;
  /** told after any change of profiles, so the radio can follow the enabled one */
  onProfilesChanged: (profiles: EuiccProfile[]) => void;
  /** an injected reset or unplug: the whole module resets or goes away, not just the eUICC */
  onHardFault: (kind: 'reset' | 'gone') => void;
  /** the flash as it was when the module was last powered (a restart of the bench) */
  flash?: EuiccFlash;
  /** told after every change of the flash, so a bench can keep it */
  onFlash?: (flash: EuiccFlash) => void;
  /** whether the bench's store can keep this flash (its file's schema); a profile it could not is not installed */
  keeps?: (flash: EuiccFlash) => boolean;
}

/**
 * The simulated eUICC's ISD-R behind the card (SimCard): profiles keyed by ICCID, at most one
 * enabled, a memory limit, and SGP.22's ES10b in bytes: the eUICC's own certificate (issued by the
 * test EUM for its EID), the SM-DP+'s chains checked to the CI, signatures made and checked,
 * one-time keys, the bound profile package decrypted segment by segment, and signed notifications.
 * A download installs its profile only after its last segment, so no fault leaves half a profile.
 */
export class SimEuicc {
  private readonly profiles = new Map<string, Installed>();
  private readonly notifications: PendingNotification[] = [];
  /** the SM-DP+ each profile came from: its later notifications go there */
  private readonly addresses = new Map<string, string>();
  /** the CIs it trusts, once the PKI is loaded */
  private trusted: Promise<x509.X509Certificate[]> | null;
  private identity: Promise<EuiccIdentity> | null;
  private challenge: Uint8Array | null = null;
  private session: Session | null = null;
  private loader: BppLoader | null = null;
  private loadFault: DownloadFault | undefined;
  private nextSeq = 1;
  private faults: DownloadFault[] = [];
  /** bumped by a reset or power loss: a load in flight notices and abandons its work */
  private epoch = 0;
  private defaultDpAddress: string | null;

  constructor(private readonly options: SimEuiccOptions) {
    this.trusted = options.identity ? Promise.resolve(options.identity.cis) : null;
    this.identity = options.identity ? Promise.resolve(options.identity) : null;
    for (const p of options.flash?.profiles ?? []) {
      this.profiles.set(p.metadata.iccid, { metadata: p.metadata, state: p.state, nickname: p.nickname });
      this.addresses.set(p.metadata.iccid, p.address);
    }
    this.notifications.push(...(options.flash?.notifications ?? []));
    this.nextSeq = options.flash?.nextSeq ?? 1;
    this.defaultDpAddress = options.flash?.defaultDpAddress ?? null;
  }

  /** The flash now: profiles with their state and origin, and the notifications not yet delivered. */
  flash(): EuiccFlash {
    return {
      profiles: [...this.profiles.values()].map((p) => ({
        metadata: p.metadata,
        state: p.state,
        nickname: p.nickname,
        address: this.addresses.get(p.metadata.iccid) ?? '',
      })),
      notifications: this.notifications.map((n) => ({ ...n })),
      nextSeq: this.nextSeq,
      ...(this.defaultDpAddress ? { defaultDpAddress: this.defaultDpAddress } : {}),
    };
  }

  // ——— test controls ———
  injectFault(fault: DownloadFault): void {
    this.faults.push(fault);
  }
  clearFaults(): void {
    this.faults = [];
  }
  pendingFaults(): DownloadFault[] {
    return this.faults.map((f) => ({ ...f }));
  }
  /** A reset or power loss: the open session, the load and the challenge are gone, installed profiles stay. */
  interrupt(): void {
    this.epoch += 1;
    this.session = null;
    this.loader = null;
    this.challenge = null;
  }
  enabledProfile(): ProfileMetadata | null {
    return [...this.profiles.values()].find((p) => p.state === 'enabled')?.metadata ?? null;
  }

  // ——— ES10a / ES10c ———
  async eid(): Promise<string> {
    await this.command();
    return this.options.eid;
  }

  /** ES10a GetEuiccConfiguredAddresses: the default SM-DP+ (if set) and the root SM-DS. */
  async configuredAddresses(): Promise<{ defaultDpAddress: string | null; rootDsAddress: string }> {
    await this.command();
    return { defaultDpAddress: this.defaultDpAddress, rootDsAddress };
  }

  /** ES10a SetDefaultDpAddress: an empty address clears it. */
  async setDefaultDpAddress(address: string): Promise<void> {
    await this.command();
    this.defaultDpAddress = address === '' ? null : address.slice(0, 255);
    this.options.onFlash?.(this.flash());
  }

  async listNotifications(): Promise<PendingNotification[]> {
    await this.command();
    return this.notifications.map((n) => ({ ...n }));
  }

  async removeNotification(seqNumber: number): Promise<void> {
    await this.command();
    const index = this.notifications.findIndex((n) => n.seqNumber === seqNumber);
    if (index >= 0) this.notifications.splice(index, 1);
    this.options.onFlash?.(this.flash());
  }

  async listProfiles(): Promise<EuiccProfile[]> {
    await this.command();
    return this.list();
  }

  async enableProfile(iccid: string): Promise<void> {
    await this.command();
    const target = this.get(iccid);
    if (target.state === 'enabled') return;
    for (const [other, profile] of this.profiles) {
      if (profile.state === 'enabled') {
        profile.state = 'disabled';
        this.notify('disable', other);
      }
    }
    target.state = 'enabled';
    this.notify('enable', iccid);
    this.changed();
  }

  async disableProfile(iccid: string): Promise<void> {
    await this.command();
    const target = this.get(iccid);
    if (target.state === 'disabled') return;
    target.state = 'disabled';
    this.notify('disable', iccid);
    this.changed();
  }

  async deleteProfile(iccid: string): Promise<void> {
    await this.command();
    const target = this.get(iccid);
    if (target.state === 'enabled') throw new ModemError('profileEnabled', 'disable the profile before deleting it');
    this.profiles.delete(iccid);
    this.notify('delete', iccid);
    this.changed();
  }

  async setNickname(iccid: string, nickname: string): Promise<void> {
    await this.command();
    this.get(iccid).nickname = nickname.slice(0, 64);
    this.changed();
  }

  // ——— ES10b, in bytes (the card hands over the decoded request) ———

  /** GetEUICCChallenge: 16 fresh bytes that the next AuthenticateServer must carry. */
  async getEuiccChallenge(): Promise<Uint8Array> {
    await this.command();
    this.challenge = crypto.getRandomValues(new Uint8Array(16));
    return this.challenge;
  }

  /** Whether `tag` is an ES10b function answered by {@link es10b}. */
  static handles(tag: number): boolean {
    return [
      es10bTags.euiccInfo1,
      es10bTags.euiccInfo2,
      es10bTags.authenticateServer,
      es10bTags.prepareDownload,
      es10bTags.cancelSession,
      es10bTags.retrieveNotifications,
      es10bTags.memoryReset,
    ].includes(tag as never);
  }

  /** One ES10b function: its answer's bytes. Throws TlvError for a malformed request (the card answers 6A80). */
  async es10b(request: Tlv): Promise<Uint8Array> {
    await this.command();
    switch (request.tag) {
      case es10bTags.euiccInfo1: {
        const keyIds = await this.ciKeyIds();
        return encodeEuiccInfo1({ svn: '2.2.2', ciPkIdsForVerification: keyIds, ciPkIdsForSigning: keyIds });
      }
      case es10bTags.euiccInfo2:
        return encodeTlv(await this.info2());
      case es10bTags.authenticateServer:
        return encodeAuthenticateResponse(await this.authenticateServer(request));
      case es10bTags.prepareDownload:
        return encodePrepareDownloadResponse(await this.prepareDownload(request));
      case es10bTags.cancelSession:
        return this.cancelSession(request);
      case es10bTags.retrieveNotifications:
        return this.retrieveNotifications(readRetrieveNotifications(request));
      case es10bTags.memoryReset:
        return encodeTlv({ tag: es10bTags.memoryReset, children: [{ tag: 0x80, value: Uint8Array.of(this.memoryReset(readMemoryReset(request))) }] });
      default:
        throw new TlvError(`not an ES10b function: ${request.tag.toString(16)}`);
    }
  }

  /** Whether `bytes` is a segment of a bound profile package (BF36's start, or the next one of a load under way). */
  isSegment(bytes: Uint8Array): boolean {
    return (bytes[0] === 0xbf && bytes[1] === 0x36) || (this.loader !== null && [0xa0, 0xa1, 0xa2, 0xa3, 0x86, 0x87, 0x88].includes(bytes[0] ?? 0));
  }

  /**
   * LoadBoundProfilePackage, one segment: empty while more are due, the signed
   * ProfileInstallationResult (BF37) at the end or at the first fault. Throws ModemError for a
   * reset or unplug under way (nothing installed), TlvError for bytes that are no segment.
   */
  async loadSegment(segment: Uint8Array): Promise<Uint8Array> {
    await this.command();
    if (segment[0] === 0xbf) {
      this.loader = new BppLoader(this.session?.binding ?? null);
      this.loadFault = this.takeFault('load');
    }
    const loader = this.loader!;
    const epoch = this.epoch;
    const { tag } = header(segment);
    if (tag === 0x86) {
      const fault = this.loadFault;
      if (fault?.step === 'load' && fault.afterSegments === loader.segments) {
        if (fault.kind === 'errorReason')
          return this.finishLoad({ ok: false, bppCommandId: bppCommands.loadProfileElements, errorReason: fault.reason }, loader.metadata?.iccid ?? null);
        this.interrupt();
        throw this.hardFault(fault.kind);
      }
      await wait(this.options.timing, 'segment');
      // A reset or power loss meanwhile: the segments loaded so far are discarded.
      if (this.epoch !== epoch) throw new ModemError('interrupted', 'the eUICC was reset during the download');
      this.options.assertReady();
    }
    const step = await loader.take(segment);
    if (step.kind === 'more') return new Uint8Array(0);
    if (step.kind === 'failed')
      return this.finishLoad({ ok: false, bppCommandId: step.bppCommandId, errorReason: step.errorReason }, loader.metadata?.iccid ?? null);
    const { metadata, profile, imsi } = step;
    const refused = (bppCommandId: number, errorReason: ErrorReason) => this.finishLoad({ ok: false, bppCommandId, errorReason }, metadata.iccid);
    if (this.profiles.has(metadata.iccid)) return refused(bppCommands.storeMetadata, errorReasons.iccidAlreadyExistsOnEuicc);
    const profileClass = profileClasses[metadata.profileClass];
    if (!profileClass) return refused(bppCommands.storeMetadata, errorReasons.unsupportedProfileClass);
    if (profile.length > this.free()) return refused(bppCommands.loadProfileElements, errorReasons.insufficientMemoryForProfile);
    const installed: ProfileMetadata = {
      iccid: metadata.iccid,
      serviceProviderName: metadata.serviceProviderName,
      profileName: metadata.profileName,
      profileClass,
      ...(metadata.mccMnc ? { profileOwner: { mccMnc: metadata.mccMnc } } : {}),
      ...(imsi ? { imsi } : {}),
      size: profile.length,
    };
    this.profiles.set(metadata.iccid, { metadata: installed, state: 'disabled', nickname: null });
    this.addresses.set(metadata.iccid, this.session?.serverAddress ?? '');
    // The card never lists a profile its flash would forget: one that cannot be kept is undone.
    if (this.options.keeps && !this.options.keeps(this.flash())) {
      this.profiles.delete(metadata.iccid);
      this.addresses.delete(metadata.iccid);
      return refused(bppCommands.loadProfileElements, errorReasons.unknownOrUndefinedError);
    }
    const answer = await this.finishLoad({ ok: true }, metadata.iccid);
    this.changed();
    return answer;
  }

  private async info2(): Promise<Tlv> {
    const keyIds = await this.ciKeyIds();
    return euiccInfo2({
      profileVersion: '2.3.1',
      svn: '2.2.2',
      firmwareVersion: '1.0.0',
      installedApplications: this.profiles.size,
      freeNonVolatileMemory: this.free(),
      freeVolatileMemory: 32_768,
      ciPkIdsForVerification: keyIds,
      ciPkIdsForSigning: keyIds,
      ppVersion: '0.0.1',
      sasAccreditationNumber: 'TEST-ONLY',
    });
  }

  private async authenticateServer(request: Tlv): Promise<Answer<{ euiccSigned1: Tlv; euiccSignature1: Tlv; euiccCertificate: Tlv; eumCertificate: Tlv }>> {
    const r = readAuthenticateServer(request);
    const signed = readServerSigned1(r.serverSigned1);
    await wait(this.options.timing, 'signing');
    this.fault('authenticateServer');
    const refuse = (error: number) => ({ error, transactionId: signed.transactionId });
    const { ciByKeyId, sign, verify, verifyChain } = await pki();
    const ci = ciByKeyId(await this.cis(), r.euiccCiPKIdToBeUsed.value ?? new Uint8Array(0));
    if (!ci) return refuse(authenticateErrors.ciPKUnknown);
    const certificate = await verifyChain([derOf(r.serverCertificate)], ci, 'dpAuth');
    if (!certificate) return refuse(authenticateErrors.invalidCertificate);
    if (!(await verify(derOf(r.serverSigned1), signatureOf(r.serverSignature1), certificate))) return refuse(authenticateErrors.invalidSignature);
    if (this.challenge === null || !equal(signed.euiccChallenge, this.challenge)) return refuse(authenticateErrors.euiccChallengeMismatch);
    this.challenge = null;
    const me = await this.me();
    const euiccSigned = euiccSigned1({
      transactionId: signed.transactionId,
      serverAddress: signed.serverAddress,
      serverChallenge: signed.serverChallenge,
      euiccInfo2: await this.info2(),
      ctxParams1: r.ctxParams1,
    });
    const signature = signatureElement(await sign(encodeTlv(euiccSigned), me.euicc.privateKey));
    this.session = { transactionId: signed.transactionId, serverAddress: signed.serverAddress, euiccSignature1: encodeTlv(signature), ci };
    this.loader = null;
    return { ok: { euiccSigned1: euiccSigned, euiccSignature1: signature, euiccCertificate: decodeTlv(me.euicc.der), eumCertificate: decodeTlv(me.eum) } };
  }

  private async prepareDownload(request: Tlv): Promise<Answer<{ euiccSigned2: Tlv; euiccSignature2: Tlv }>> {
    const r = readPrepareDownload(request);
    const signed = readSmdpSigned2(r.smdpSigned2);
    await wait(this.options.timing, 'signing');
    this.fault('prepareDownload');
    const refuse = (error: number) => ({ error, transactionId: signed.transactionId });
    const session = this.session;
    if (!session) return refuse(downloadErrors.noSessionContext);
    const { sign, verify, verifyChain } = await pki();
    if (!equal(signed.transactionId, session.transactionId)) return refuse(downloadErrors.invalidTransactionId);
    const certificate = await verifyChain([derOf(r.smdpCertificate)], session.ci, 'dpPb');
    if (!certificate) return refuse(downloadErrors.invalidCertificate);
    if (!(await verify(concat([derOf(r.smdpSigned2), session.euiccSignature1]), signatureOf(r.smdpSignature2), certificate)))
      return refuse(downloadErrors.invalidSignature);
    // (the car's LPA never sends a code; a request without the hash it asked for cannot go on)
    if (signed.ccRequiredFlag && !r.hashCc) return refuse(downloadErrors.undefinedError);
    const otpk = await oneTimeKey();
    const me = await this.me();
    const euiccSigned = euiccSigned2(session.transactionId, otpk.publicKey);
    const signature = signatureElement(await sign(concat([encodeTlv(euiccSigned), derOf(r.smdpSignature2)]), me.euicc.privateKey));
    session.binding = { transactionId: session.transactionId, eid: hex(this.options.eid), otSk: otpk.privateKey, euiccOtpk: otpk.publicKey, dpPb: certificate };
    return { ok: { euiccSigned2: euiccSigned, euiccSignature2: signature } };
  }

  private async cancelSession(request: Tlv): Promise<Uint8Array> {
    const { transactionId, reason } = readCancelSession(request);
    if (!this.session || !equal(this.session.transactionId, transactionId)) return encodeCancelSessionResponse({ error: downloadErrors.invalidTransactionId });
    this.session = null;
    this.loader = null;
    const { sign, testSmdpOid } = await pki();
    const signed = euiccCancelSessionSigned(transactionId, testSmdpOid, reason);
    const me = await this.me();
    return encodeCancelSessionResponse({ ok: { signed, signature: signatureElement(await sign(encodeTlv(signed), me.euicc.privateKey)) } });
  }

  /** RetrieveNotificationsList: each pending notification signed, install results as their ProfileInstallationResult. */
  private async retrieveNotifications(seqNumber: number | null): Promise<Uint8Array> {
    const { sign, testSmdpOid } = await pki();
    const me = await this.me();
    const pending: Uint8Array[] = [];
    for (const n of this.notifications.filter((x) => seqNumber === null || x.seqNumber === seqNumber)) {
      const metadata = { seqNumber: n.seqNumber, event: n.event, notificationAddress: n.notificationAddress, iccid: n.iccid };
      if (n.event === 'install' && n.result) {
        const result =
          'iccid' in n.result
            ? { ok: true as const }
            : { ok: false as const, bppCommandId: n.result.bppCommandId ?? bppCommands.loadProfileElements, errorReason: n.result.errorReason };
        const data = installationResultData(hex(n.result.transactionId), metadata, testSmdpOid, result);
        pending.push(encodeTlv({ tag: es10bTags.installationResult, children: [data, signatureElement(await sign(encodeTlv(data), me.euicc.privateKey))] }));
      } else {
        const tbs = notificationMetadata(metadata);
        pending.push(otherSignedNotification(metadata, await sign(encodeTlv(tbs), me.euicc.privateKey), decodeTlv(me.euicc.der), decodeTlv(me.eum)));
      }
    }
    return encodeNotificationsList(pending);
  }

  /** eUICCMemoryReset: deletes the profiles (all of them are operational here) and the default SM-DP+ as asked; 0 done, 1 nothing to delete. */
  private memoryReset(options: number): number {
    let deleted = false;
    if (options & resetOptions.deleteOperationalProfiles && this.profiles.size > 0) {
      this.profiles.clear();
      this.addresses.clear();
      deleted = true;
    }
    if (options & resetOptions.resetDefaultSmdpAddress && this.defaultDpAddress !== null) {
      this.defaultDpAddress = null;
      deleted = true;
    }
    if (deleted) this.changed();
    return deleted ? 0 : 1;
  }

  /** The eUICC's certificate and the EUM's (by default issued once per run by the test EUM for this EID). */
  private me(): Promise<EuiccIdentity> {
    this.identity ??= pki().then((p) => p.testEuiccIdentity(this.options.eid));
    return this.identity;
  }

  /** The CIs it trusts (by default the test PKI's). */
  private cis(): Promise<x509.X509Certificate[]> {
    this.trusted ??= pki().then((p) => [new p.X509Certificate(testPki.ci.certificate)]);
    return this.trusted;
  }

  /** The CIs' key ids, as EUICCInfo1 and 2 name them. */
  private async ciKeyIds(): Promise<Uint8Array[]> {
    const { subjectKeyId } = await pki();
    return (await this.cis()).map(subjectKeyId);
  }

  private list(): EuiccProfile[] {
    return [...this.profiles.entries()].map(([iccid, p]) => ({
      iccid,
      state: p.state,
      nickname: p.nickname,
      serviceProviderName: p.metadata.serviceProviderName,
      profileName: p.metadata.profileName,
      profileClass: p.metadata.profileClass,
    }));
  }

  private get(iccid: string): Installed {
    const profile = this.profiles.get(iccid);
    if (!profile) throw new ModemError('noSuchProfile', `no profile ${iccid}`);
    return profile;
  }

  private free(): number {
    return this.options.memory - [...this.profiles.values()].reduce((sum, p) => sum + p.metadata.size, 0);
  }

  /** Every load ends in a signed result and a pending install notification for the SM-DP+ that sent it (SGP.22 §3.1.3). */
  private async finishLoad(result: { ok: true } | { ok: false; bppCommandId: number; errorReason: ErrorReason }, iccid: string | null): Promise<Uint8Array> {
    const session = this.session;
    this.session = null;
    this.loader = null;
    const transactionId = toHex(session?.transactionId ?? new Uint8Array(0));
    // (a package sent with no session open is answered, and not remembered: there is no SM-DP+ to tell)
    const metadata = {
      seqNumber: session ? this.nextSeq++ : 0,
      event: 'install' as const,
      notificationAddress: session?.serverAddress ?? '',
      iccid: iccid ?? '',
    };
    const loadResult: LoadResult = result.ok
      ? { transactionId, iccid: iccid! }
      : { transactionId, errorReason: result.errorReason, bppCommandId: result.bppCommandId };
    if (session) {
      this.notifications.push({ ...metadata, result: loadResult });
      this.options.onFlash?.(this.flash());
    }
    const { sign, testSmdpOid } = await pki();
    const data = installationResultData(session?.transactionId ?? new Uint8Array(0), metadata, testSmdpOid, result);
    const me = await this.me();
    return encodeTlv({ tag: es10bTags.installationResult, children: [data, signatureElement(await sign(encodeTlv(data), me.euicc.privateKey))] });
  }

  private notify(event: PendingNotification['event'], iccid: string): void {
    this.notifications.push({ seqNumber: this.nextSeq++, event, iccid, notificationAddress: this.addresses.get(iccid) ?? '' });
  }

  private changed(): void {
    this.options.onFlash?.(this.flash());
    this.options.onProfilesChanged(this.list());
  }

  private async command(): Promise<void> {
    this.options.assertReady();
    await wait(this.options.timing, 'command');
    this.options.assertReady();
  }

  private takeFault(step: DownloadFault['step']): DownloadFault | undefined {
    const index = this.faults.findIndex((f) => f.step === step);
    if (index < 0) return undefined;
    // (a fault for every download stays until the faults are cleared)
    return this.faults[index]!.every ? { ...this.faults[index]! } : this.faults.splice(index, 1)[0];
  }

  private fault(step: 'authenticateServer' | 'prepareDownload'): void {
    const fault = this.takeFault(step);
    if (fault && fault.kind !== 'errorReason') {
      this.interrupt();
      throw this.hardFault(fault.kind);
    }
  }

  private hardFault(kind: 'reset' | 'gone'): ModemError {
    this.options.onHardFault(kind);
    return kind === 'gone' ? new ModemError('gone', 'the modem went away') : new ModemError('interrupted', 'the modem reset');
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
