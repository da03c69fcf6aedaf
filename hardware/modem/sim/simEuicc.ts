import { randomBytes, randomUUID } from 'node:crypto';
import {
  errorReasons,
  type AuthenticateServerRequest,
  type AuthenticateServerResponse,
  type BoundProfilePackage,
  type CancelReason,
  type ErrorReason,
  type EuiccInfo1,
  type LoadResult,
  type PendingNotification,
  type PrepareDownloadRequest,
  type PrepareDownloadResponse,
  type ProfileMetadata,
} from '../../../shared/esim';
import { ModemError, type Euicc, type EuiccProfile } from '../contract';
import { newSigningKey, signJson, verifyJson, type SigningKey } from '../../../shared/esimSigning';
import { wait, type Timing } from './timing';

/** A fault the test controls inject into the next download, at the step they name. */
export type DownloadFault =
  | { step: 'authenticateServer' | 'prepareDownload'; kind: 'reset' | 'gone' }
  | { step: 'load'; kind: 'reset' | 'gone'; afterSegments: number }
  | { step: 'load'; kind: 'errorReason'; reason: ErrorReason; afterSegments: number };

interface Installed {
  metadata: ProfileMetadata;
  state: 'enabled' | 'disabled';
  nickname: string | null;
}

interface Session {
  transactionId: string;
  serverAddress: string;
  serverCertificate: string;
  stage: 'authenticated' | 'prepared';
  otpk?: string;
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
  /** SM-DP+ public keys the eUICC trusts (standing in for the GSMA CI certificate) */
  trustedServers: string[];
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
}

/**
 * A faithful simulated eUICC: profiles keyed by ICCID, at most one enabled, a memory limit, the
 * ES10b download steps with their checks and errorReasons, and pending notifications. A download
 * installs its profile only after its last segment, so no fault ever leaves half a profile.
 */
export class SimEuicc implements Euicc {
  private readonly profiles = new Map<string, Installed>();
  private readonly notifications: PendingNotification[] = [];
  /** the SM-DP+ each profile came from: its later notifications go there */
  private readonly addresses = new Map<string, string>();
  private readonly key: Promise<SigningKey> = newSigningKey();
  private challenge: string | null = null;
  private session: Session | null = null;
  private nextSeq = 1;
  private faults: DownloadFault[] = [];
  /** bumped by a reset or power loss: a load in flight notices and abandons its work */
  private epoch = 0;

  constructor(private readonly options: SimEuiccOptions) {
    for (const p of options.flash?.profiles ?? []) {
      this.profiles.set(p.metadata.iccid, { metadata: p.metadata, state: p.state, nickname: p.nickname });
      this.addresses.set(p.metadata.iccid, p.address);
    }
    this.notifications.push(...(options.flash?.notifications ?? []));
    this.nextSeq = options.flash?.nextSeq ?? 1;
    this.defaultDpAddress = options.flash?.defaultDpAddress ?? null;
  }

  private defaultDpAddress: string | null;

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

  /** The flash now: profiles with their state and origin, and the notifications not yet delivered. */
  flash(): EuiccFlash {
    return {
      profiles: [...this.profiles.values()].map((p) => ({ metadata: p.metadata, state: p.state, nickname: p.nickname, address: this.addresses.get(p.metadata.iccid) ?? '' })),
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
  /** A reset or power loss: the open session and challenge are gone, installed profiles stay. */
  interrupt(): void {
    this.epoch += 1;
    this.session = null;
    this.challenge = null;
  }
  enabledProfile(): ProfileMetadata | null {
    return [...this.profiles.values()].find((p) => p.state === 'enabled')?.metadata ?? null;
  }

  // ——— ES10 ———
  async eid(): Promise<string> {
    await this.command();
    return this.options.eid;
  }

  async getEuiccChallenge(): Promise<string> {
    await this.command();
    this.challenge = randomBytes(16).toString('base64');
    return this.challenge;
  }

  async getEuiccInfo1(): Promise<EuiccInfo1> {
    await this.command();
    return { svn: '2.2.2', euiccCiPKIdListForVerification: ['sim-ci'] };
  }

  async authenticateServer(request: AuthenticateServerRequest): Promise<AuthenticateServerResponse> {
    await this.command();
    await wait(this.options.timing, 'signing');
    this.fault('authenticateServer');
    if (!this.options.trustedServers.includes(request.serverCertificate)) throw new ModemError('untrustedServer', 'the SM-DP+ is not trusted by this eUICC');
    if (!(await verifyJson(request.serverSigned1, request.serverSignature1, request.serverCertificate))) throw new ModemError('invalidSignature');
    if (this.challenge === null || request.serverSigned1.euiccChallenge !== this.challenge) throw new ModemError('invalidChallenge');
    this.challenge = null;
    const { transactionId, serverAddress, serverChallenge } = request.serverSigned1;
    this.session = { transactionId, serverAddress, serverCertificate: request.serverCertificate, stage: 'authenticated' };
    const euiccSigned1 = { transactionId, serverAddress, serverChallenge, matchingId: request.matchingId, eid: this.options.eid, freeMemory: this.free() };
    const key = await this.key;
    return { euiccSigned1, euiccSignature1: await signJson(euiccSigned1, key), euiccCertificate: key.publicPem };
  }

  async prepareDownload(request: PrepareDownloadRequest): Promise<PrepareDownloadResponse> {
    await this.command();
    await wait(this.options.timing, 'signing');
    this.fault('prepareDownload');
    const session = this.session;
    if (!session || session.transactionId !== request.smdpSigned2.transactionId) throw new ModemError('invalidTransactionId');
    if (!(await verifyJson(request.smdpSigned2, request.smdpSignature2, session.serverCertificate))) throw new ModemError('invalidSignature');
    if (request.smdpSigned2.ccRequiredFlag && !request.hashCc) throw new ModemError('confirmationCodeRequired');
    session.otpk = randomUUID();
    session.stage = 'prepared';
    const euiccSigned2 = { transactionId: session.transactionId, euiccOtpk: session.otpk };
    return { euiccSigned2, euiccSignature2: await signJson(euiccSigned2, await this.key) };
  }

  async loadBoundProfilePackage(bpp: BoundProfilePackage, onProgress?: (loaded: number, total: number) => void): Promise<LoadResult> {
    await this.command();
    const session = this.session;
    const { signature, ...signed } = bpp;
    const address = session?.serverAddress ?? '';
    const refuse = (reason: ErrorReason) => this.finishLoad(bpp, address, { transactionId: bpp.transactionId, errorReason: reason });
    if (!session || session.stage !== 'prepared' || session.transactionId !== bpp.transactionId) return refuse(errorReasons.invalidTransactionId);
    if (!(await verifyJson(signed, signature, session.serverCertificate))) return refuse(errorReasons.invalidSignature);
    if (bpp.euiccOtpk !== session.otpk) return refuse(errorReasons.scp03tSecurityError);
    if (this.profiles.has(bpp.metadata.iccid)) return refuse(errorReasons.iccidAlreadyExistsOnEuicc);
    if (bpp.metadata.size > this.free()) return refuse(errorReasons.insufficientMemoryForProfile);
    const epoch = this.epoch;
    const fault = this.takeFault('load');
    for (let i = 0; i < bpp.segments.length; i++) {
      if (fault && 'afterSegments' in fault && fault.afterSegments === i) {
        if (fault.kind === 'errorReason') return refuse(fault.reason);
        this.session = null;
        throw this.hardFault(fault.kind);
      }
      await wait(this.options.timing, 'segment');
      // A reset or power loss meanwhile: the segments loaded so far are discarded.
      if (this.epoch !== epoch) throw new ModemError('interrupted', 'the eUICC was reset during the download');
      this.options.assertReady();
      onProgress?.(i + 1, bpp.segments.length);
    }
    this.profiles.set(bpp.metadata.iccid, { metadata: bpp.metadata, state: 'disabled', nickname: null });
    this.changed();
    return this.finishLoad(bpp, address, { transactionId: bpp.transactionId, iccid: bpp.metadata.iccid });
  }

  async cancelSession(transactionId: string, reason: CancelReason) {
    await this.command();
    if (this.session?.transactionId === transactionId) this.session = null;
    return { transactionId, reason };
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

  async memory(): Promise<{ free: number; total: number }> {
    await this.command();
    return { free: this.free(), total: this.options.memory };
  }

  private list(): EuiccProfile[] {
    return [...this.profiles.entries()].map(([iccid, p]) => ({
      iccid, state: p.state, nickname: p.nickname, serviceProviderName: p.metadata.serviceProviderName, profileName: p.metadata.profileName,
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

  /** Every load ends in a pending install notification for the SM-DP+ that sent it (SGP.22 §3.1.3). */
  private finishLoad(bpp: BoundProfilePackage, address: string, result: LoadResult): LoadResult {
    this.session = null;
    this.notifications.push({ seqNumber: this.nextSeq++, event: 'install', iccid: bpp.metadata.iccid, notificationAddress: address, result });
    if ('iccid' in result) this.addresses.set(result.iccid, address);
    this.options.onFlash?.(this.flash());
    return result;
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
    return index >= 0 ? this.faults.splice(index, 1)[0] : undefined;
  }

  private fault(step: 'authenticateServer' | 'prepareDownload'): void {
    const fault = this.takeFault(step);
    if (fault && fault.kind !== 'errorReason') {
      this.session = null;
      throw this.hardFault(fault.kind);
    }
  }

  private hardFault(kind: 'reset' | 'gone'): ModemError {
    this.options.onHardFault(kind);
    return kind === 'gone' ? new ModemError('gone', 'the modem went away') : new ModemError('interrupted', 'the modem reset');
  }
}
