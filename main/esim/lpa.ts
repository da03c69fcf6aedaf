import { ctxParams1, encodeCancelSessionResponse, readServerSigned1 } from '../../shared/es10/es10b';
import { readStoreMetadata, type StoreMetadata } from '../../shared/es10/metadata';
import { hex } from '../../shared/es10/es10c';
import { decodeTlv, TlvError } from '../../shared/es10/tlv';
import { cancelReasons, parseActivationCode, type CancelReason, type ErrorReason } from '../../shared/esim';
import { ModemError, type Euicc } from '../../hardware/modem/contract';
import { es9, Es9CallError } from './es9Client';
import { DownloadSessions } from './sessions';

/** Why a download did not install a profile; each has its own handling (docs/facts.md "eSIM"). */
export type LpaFailure =
  | { kind: 'network' }
  | { kind: 'refused'; subjectCode: string; reasonCode: string; message: string }
  | { kind: 'errorReason'; reason: ErrorReason }
  | { kind: 'modem'; code: ModemError['code'] }
  | { kind: 'badActivationCode' }
  /** the activation code asks for a confirmation code, which the car cannot take: found before any ES9+ call */
  | { kind: 'confirmationCodeRequired' };

export class LpaError extends Error {
  constructor(readonly failure: LpaFailure) {
    super(failure.kind);
  }
}

export type DownloadStage = 'authenticating' | 'downloading' | 'installing' | 'notifying';

/** The head unit's Type Allocation Code, as deviceInfo gives it to the SM-DP+ (a bench module's). */
const tac = Uint8Array.of(0x35, 0x29, 0x06, 0x11);

/**
 * The head unit's Local Profile Assistant: SGP.22's download (§3.1.3, steps 1–8) with ES9+ over
 * HTTPS to the SM-DP+ and ES10b on the modem's eUICC, the SGP.22 structures passed between them
 * as the DER they are. On any failure before the result it cancels the session on both sides.
 * Notifications are sent after every load and can be sent again later (when the connection is
 * back); each is removed from the eUICC only once the SM-DP+ has it.
 */
export class Lpa {
  /**
   * `ours` names the profiles whose notifications this LPA delivers (default: all). The car's LPA
   * leaves those of profiles it did not install to whoever installed them (another LPA on the same
   * module, a bench tool): two LPAs delivering the same notification would race to remove it.
   */
  constructor(
    private readonly euicc: Euicc,
    private readonly timeoutMs = 10_000,
    private readonly sessions = new DownloadSessions(),
    private readonly ours: (iccid: string) => boolean = () => true,
  ) {}

  /**
   * Cancels, on the eUICC and at the SM-DP+, every session a restart cut off (SGP.22 CancelSession,
   * reason timeout), so its order is released for the next download. One the SM-DP+ no longer knows
   * is dropped; one it could not be told about (no network) is tried again next time.
   */
  async reconcile(): Promise<void> {
    for (const session of this.sessions.list()) {
      if (await this.cancel(session.smdpAddress, session.transactionId, cancelReasons.timeout)) {
        await this.sessions.close(session.transactionId);
      }
    }
  }

  async download(
    activationCode: string,
    onStage: (stage: DownloadStage, progress: number) => void = () => {},
  ): Promise<{ iccid: string; metadata: StoreMetadata }> {
    const code = parseActivationCode(activationCode);
    if (!code) throw new LpaError({ kind: 'badActivationCode' });
    // Without the code, PrepareDownload would be refused after the SM-DP+ had opened a session.
    if (code.confirmationCodeRequired) throw new LpaError({ kind: 'confirmationCodeRequired' });
    const address = code.smdpAddress;
    onStage('authenticating', 0);
    const euiccChallenge = await this.modem(() => this.euicc.getEuiccChallenge());
    const euiccInfo1 = await this.modem(() => this.euicc.getEuiccInfo1());
    const init = await this.es9(address, 'initiateAuthentication', { euiccChallenge: b64(euiccChallenge), euiccInfo1: b64(euiccInfo1), smdpAddress: address });
    const transactionId = text(init, 'transactionId');
    // Written down before the eUICC hears of it: a power cut from here on is reconciled at the next start.
    await this.sessions.open({ transactionId, smdpAddress: address });
    try {
      const serverSigned1 = element(init, 'serverSigned1');
      // (the SM-DP+ must have signed the address the activation code names, SGP.22 §3.1.2)
      if (readServerSigned1(serverSigned1).serverAddress.toLowerCase() !== address.toLowerCase())
        throw new LpaError({ kind: 'refused', subjectCode: '8.8.1', reasonCode: '3.8', message: 'the SM-DP+ signed another address' });
      const authenticated = await this.modem(() =>
        this.euicc.authenticateServer({
          serverSigned1,
          serverSignature1: element(init, 'serverSignature1'),
          euiccCiPKIdToBeUsed: element(init, 'euiccCiPKIdToBeUsed'),
          serverCertificate: element(init, 'serverCertificate'),
          ctxParams1: ctxParams1({ matchingId: code.matchingId, tac }),
        }),
      );
      const client = await this.es9(address, 'authenticateClient', { transactionId, authenticateServerResponse: b64(authenticated) });
      const metadata = readStoreMetadata(element(client, 'profileMetadata'));
      const prepared = await this.modem(() =>
        this.euicc.prepareDownload({
          smdpSigned2: element(client, 'smdpSigned2'),
          smdpSignature2: element(client, 'smdpSignature2'),
          smdpCertificate: element(client, 'smdpCertificate'),
        }),
      );
      onStage('downloading', 0);
      const bpp = await this.es9(address, 'getBoundProfilePackage', { transactionId, prepareDownloadResponse: b64(prepared) });
      onStage('installing', 0);
      const { result } = await this.modem(() =>
        this.euicc.loadBoundProfilePackage(bytes(bpp, 'boundProfilePackage'), (loaded, total) => onStage('installing', loaded / total)),
      );
      // The load's result ends the session on both sides (the notification carries it to the SM-DP+).
      await this.sessions.close(transactionId);
      onStage('notifying', 1);
      await this.sendNotifications([result.seqNumber]).catch(() => undefined); // sent again later if the network is gone
      if ('errorReason' in result) throw new LpaError({ kind: 'errorReason', reason: result.errorReason });
      return { iccid: result.iccid, metadata };
    } catch (error) {
      // Before a load result the session is still open on both sides: close it (SGP.22 §3.1.3.3).
      if (!(error instanceof LpaError && error.failure.kind === 'errorReason')) {
        if (await this.cancel(address, transactionId, reasonFor(error))) await this.sessions.close(transactionId);
      }
      throw error;
    }
  }

  /**
   * Sends the pending notifications of this LPA's profiles (and those numbered in `also`), signed by
   * the eUICC, to their SM-DP+, removing each once delivered. Returns how many went.
   */
  async sendNotifications(also: (number | undefined)[] = []): Promise<number> {
    let sent = 0;
    const pendingList = await this.modem(() => this.euicc.listNotifications());
    for (const notification of pendingList.filter((n) => this.ours(n.iccid) || also.includes(n.seqNumber))) {
      const pending = notification.notificationAddress ? await this.modem(() => this.euicc.retrieveNotification(notification.seqNumber)) : null;
      if (pending) {
        await this.es9(notification.notificationAddress, 'handleNotification', { pendingNotification: b64(pending) });
        sent += 1;
      }
      await this.modem(() => this.euicc.removeNotification(notification.seqNumber));
    }
    return sent;
  }

  /**
   * Cancels a session on both sides; false when the SM-DP+ could not be told (it is told later).
   * The eUICC's signed answer goes to the SM-DP+; when the eUICC cannot answer (gone, reset), its
   * error form does (the SM-DP+ releases the order all the same).
   */
  private async cancel(address: string, transactionId: string, reason: CancelReason): Promise<boolean> {
    const response = await this.euicc.cancelSession(hex(transactionId), reason).catch(() => encodeCancelSessionResponse({ error: 127 }));
    try {
      await this.es9(address, 'cancelSession', { transactionId, cancelSessionResponse: b64(response) });
      return true;
    } catch (error) {
      // A refusal means the SM-DP+ has no such session any more: nothing is left to cancel.
      return error instanceof LpaError && error.failure.kind === 'refused';
    }
  }

  private async es9(address: string, name: string, body: object): Promise<Record<string, unknown>> {
    try {
      return await es9(address, name, body, this.timeoutMs);
    } catch (error) {
      if (error instanceof Es9CallError) throw new LpaError(error.outcome);
      throw error;
    }
  }

  private async modem<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ModemError) throw new LpaError({ kind: 'modem', code: error.code });
      throw error;
    }
  }
}

function reasonFor(error: unknown): CancelReason {
  if (error instanceof LpaError && error.failure.kind === 'network') return cancelReasons.timeout;
  if (error instanceof LpaError && error.failure.kind === 'modem') return cancelReasons.loadBppExecutionError;
  return cancelReasons.undefinedReason;
}

const b64 = (data: Uint8Array) => Buffer.from(data).toString('base64');

/** A field of an ES9+ answer; one that is missing or malformed makes the answer no answer (`network`). */
function text(answer: Record<string, unknown>, field: string): string {
  const value = answer[field];
  if (typeof value !== 'string' || value === '') throw new LpaError({ kind: 'network' });
  return value;
}
function bytes(answer: Record<string, unknown>, field: string): Uint8Array {
  return new Uint8Array(Buffer.from(text(answer, field), 'base64'));
}
function element(answer: Record<string, unknown>, field: string) {
  try {
    return decodeTlv(bytes(answer, field));
  } catch (error) {
    if (error instanceof TlvError) throw new LpaError({ kind: 'network' });
    throw error;
  }
}
