import { z } from 'zod';
import { cancelReasons, parseActivationCode, type BoundProfilePackage, type CancelReason, type ErrorReason, type ProfileMetadata, type ServerSigned1, type SmdpSigned2 } from '../../shared/esim';
import { ModemError, type Euicc } from '../../hardware/modem/contract';
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

const Status = z.object({ functionExecutionStatus: z.object({ status: z.string(), statusCodeData: z.object({ subjectCode: z.string(), reasonCode: z.string(), message: z.string() }).optional() }) });

/**
 * The head unit's Local Profile Assistant: SGP.22's download (steps 1–8) with ES9+ over HTTP to the
 * SM-DP+ and ES10b on the modem's eUICC. On any failure before the result it cancels the session on
 * both sides. Notifications are sent after every load and can be sent again later (when the
 * connection is back); each is removed from the eUICC only once the SM-DP+ has it.
 */
export class Lpa {
  constructor(private readonly euicc: Euicc, private readonly timeoutMs = 10_000, private readonly sessions = new DownloadSessions()) {}

  /**
   * Cancels, on the eUICC and at the SM-DP+, every session a restart cut off (SGP.22 CancelSession,
   * reason timeout), so its order is released for the next download. One the SM-DP+ no longer knows
   * is dropped; one it could not be told about (no network) is tried again next time.
   */
  async reconcile(): Promise<void> {
    for (const session of this.sessions.list()) {
      if (await this.cancel(`http://${session.smdpAddress}/gsma/rsp2/es9plus/`, session.transactionId, cancelReasons.timeout)) {
        await this.sessions.close(session.transactionId);
      }
    }
  }

  async download(activationCode: string, onStage: (stage: DownloadStage, progress: number) => void = () => {}): Promise<{ iccid: string; metadata: ProfileMetadata }> {
    const code = parseActivationCode(activationCode);
    if (!code) throw new LpaError({ kind: 'badActivationCode' });
    // Without the code, PrepareDownload would be refused after the SM-DP+ had opened a session.
    if (code.confirmationCodeRequired) throw new LpaError({ kind: 'confirmationCodeRequired' });
    const base = `http://${code.smdpAddress}/gsma/rsp2/es9plus/`;
    onStage('authenticating', 0);
    const euiccChallenge = await this.modem(() => this.euicc.getEuiccChallenge());
    await this.modem(() => this.euicc.getEuiccInfo1());
    const init = await this.es9<{ transactionId: string; serverSigned1: ServerSigned1; serverSignature1: string; serverCertificate: string }>(base, 'initiateAuthentication', { euiccChallenge, smdpAddress: code.smdpAddress });
    const transactionId = init.transactionId;
    // Written down before the eUICC hears of it: a power cut from here on is reconciled at the next start.
    await this.sessions.open({ transactionId, smdpAddress: code.smdpAddress });
    try {
      const authenticated = await this.modem(() => this.euicc.authenticateServer({ ...init, matchingId: code.matchingId }));
      const client = await this.es9<{ profileMetadata: ProfileMetadata; smdpSigned2: SmdpSigned2; smdpSignature2: string }>(base, 'authenticateClient', { transactionId, authenticateServerResponse: authenticated });
      const prepared = await this.modem(() => this.euicc.prepareDownload({ smdpSigned2: client.smdpSigned2, smdpSignature2: client.smdpSignature2 }));
      onStage('downloading', 0);
      const { boundProfilePackage } = await this.es9<{ boundProfilePackage: BoundProfilePackage }>(base, 'getBoundProfilePackage', { transactionId, prepareDownloadResponse: prepared });
      onStage('installing', 0);
      const result = await this.modem(() => this.euicc.loadBoundProfilePackage(boundProfilePackage, (loaded, total) => onStage('installing', loaded / total)));
      // The load's result ends the session on both sides (the notification carries it to the SM-DP+).
      await this.sessions.close(transactionId);
      onStage('notifying', 1);
      await this.sendNotifications().catch(() => undefined); // sent again later if the network is gone
      if ('errorReason' in result) throw new LpaError({ kind: 'errorReason', reason: result.errorReason });
      return { iccid: result.iccid, metadata: client.profileMetadata };
    } catch (error) {
      // Before a load result the session is still open on both sides: close it (SGP.22 §3.1.3.3).
      if (!(error instanceof LpaError && error.failure.kind === 'errorReason')) {
        if (await this.cancel(base, transactionId, reasonFor(error))) await this.sessions.close(transactionId);
      }
      throw error;
    }
  }

  /** Sends every pending notification to its SM-DP+, removing each once delivered. Returns how many went. */
  async sendNotifications(): Promise<number> {
    let sent = 0;
    for (const notification of await this.modem(() => this.euicc.listNotifications())) {
      if (!notification.notificationAddress) {
        await this.modem(() => this.euicc.removeNotification(notification.seqNumber));
        continue;
      }
      await this.es9(`http://${notification.notificationAddress}/gsma/rsp2/es9plus/`, 'handleNotification', { notification });
      await this.modem(() => this.euicc.removeNotification(notification.seqNumber));
      sent += 1;
    }
    return sent;
  }

  /** Cancels a session on both sides; false when the SM-DP+ could not be told (it is told later). */
  private async cancel(base: string, transactionId: string, reason: CancelReason): Promise<boolean> {
    await this.euicc.cancelSession(transactionId, reason).catch(() => undefined);
    try {
      await this.es9(base, 'cancelSession', { transactionId, reason });
      return true;
    } catch (error) {
      // A refusal means the SM-DP+ has no such session any more: nothing is left to cancel.
      return error instanceof LpaError && error.failure.kind === 'refused';
    }
  }

  private async es9<T>(base: string, name: string, body: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${base}${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-admin-protocol': 'gsma/rsp/v2.2.0' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw new LpaError({ kind: 'network' });
    }
    if (!response.ok) throw new LpaError({ kind: 'network' });
    const json = (await response.json().catch(() => null)) as { header?: unknown } | null;
    const status = Status.safeParse(json?.header);
    if (!status.success) throw new LpaError({ kind: 'network' });
    const data = status.data.functionExecutionStatus;
    if (data.status !== 'Executed-Success') {
      const { subjectCode = '', reasonCode = '', message = '' } = data.statusCodeData ?? {};
      throw new LpaError({ kind: 'refused', subjectCode, reasonCode, message });
    }
    return json as T;
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
