import type { AuthenticateServerRequest, EuiccInfo2, PrepareDownloadRequest } from '../../shared/es10/es10b';
import type { NotificationMetadata } from '../../shared/es10/es10c';
import type { CancelReason, LoadResult, ProfileClass } from '../../shared/esim';

/**
 * The cellular module with its eUICC, as the head unit uses it. Written so that a backend speaking
 * 3GPP TS 27.007 AT commands over a serial port can implement it: the eUICC calls map to ES10
 * APDUs on a logical channel to the ISD-R (AT+CCHO / AT+CGLA / AT+CCHC), the rest to +CFUN, +COPS,
 * +CREG/+CEREG, +CSQ, +CGDCONT/+CGACT, ATD/ATA/ATH and +CLCC.
 *
 * Common rules for every backend:
 * - Every call rejects with a {@link ModemError}; no other error escapes.
 * - Calls are answered in the order they were made (one command at a time on the wire).
 * - While the modem is off, everything but {@link Modem.power} rejects with code `off`.
 * - When the device goes away (unplugged, port closed) every call in flight and every later call
 *   rejects with code `gone`, and one `gone` event is emitted.
 * - Events are delivered after the state they describe can be read back.
 */
export interface Modem {
  /** Radio and SIM on or off (+CFUN=1 / +CFUN=4). Turning it on again restores the registration of the enabled profile. */
  power(on: boolean): Promise<void>;
  /** The embedded UICC at the transport level: logical channels and APDUs (what lpac and the AT commands see). */
  readonly uicc: UiccTransport;
  /** Its ISD-R's ES10 functions, over {@link uicc} (one codec for every backend: Es10Client). */
  readonly euicc: Euicc;
  /** Network registration of the enabled profile: state, operator, radio technology and signal. */
  registration(): Promise<Registration>;
  /**
   * Voice over the eSIM (the IMS voice registration used for calls). Off: calls are refused with
   * code `voiceOff`; the data session is not affected.
   */
  setVoice(enabled: boolean): Promise<void>;
  /** Brings the data session up on `apn`. Resolves once it is up; rejects with `notRegistered` without a network. */
  startData(apn: string): Promise<DataSession>;
  /** Takes the data session down; resolves at once if it is already down. */
  stopData(): Promise<DataSession>;
  dataSession(): Promise<DataSession>;
  /** Whether the module may register on other networks than the home one (AT+COPS / vendor roaming setting). */
  setRoaming(allowed: boolean): Promise<void>;
  roaming(): Promise<boolean>;
  /** Starts an outgoing call. Resolves with the call in state `dialing`; its later states arrive as `call` events. */
  dial(number: string): Promise<Call>;
  /** Answers an incoming or waiting call. */
  answer(callId: number): Promise<void>;
  /** Ends a call in any state; the call ends with reason `local`. */
  hangUp(callId: number): Promise<void>;
  /** The calls in progress (+CLCC). */
  calls(): Promise<Call[]>;
  /** Listens to everything the modem reports by itself; returns the unsubscribe. */
  on(listener: (event: ModemEvent) => void): () => void;
}

/**
 * The UICC as a terminal reaches it (ETSI TS 102 221, 3GPP TS 27.007 §8.45–8.47): logical channels
 * opened on an application by its AID (MANAGE CHANNEL then SELECT; AT+CCHO), command APDUs on them
 * (AT+CGLA), and closing (AT+CCHC). Rejects with ModemError: `off`, `gone`, `unsupported` when the
 * backend has no way to the card, `interrupted` when the card refuses a channel.
 */
export interface UiccTransport {
  /** A logical channel with the application `aid` (hex) selected on it: its number (1–19). */
  openChannel(aid: string): Promise<number>;
  /** One command APDU on `channel`; the answer's data followed by its two status bytes. */
  transmit(channel: number, apdu: Uint8Array): Promise<Uint8Array>;
  closeChannel(channel: number): Promise<void>;
}

/**
 * ES10a/b/c of SGP.22 (§5.7) as the LPA in the head unit drives them, in SGP.22's own bytes where
 * they travel on to the SM-DP+ over ES9+ (the DER is passed through untouched). The eUICC holds
 * any number of profiles within its memory, at most one enabled. A download either installs a
 * complete profile or leaves nothing behind; a session that is not finished is abandoned by
 * {@link cancelSession}, by a reset, or by losing power.
 */
export interface Euicc {
  /** ES10c.GetEID: 32 digits. */
  eid(): Promise<string>;
  /** ES10b.GetEUICCChallenge: 16 fresh bytes that the next AuthenticateServer must carry. */
  getEuiccChallenge(): Promise<Uint8Array>;
  /** ES10b.GetEUICCInfo1: EUICCInfo1's DER (BF20), as ES9+ InitiateAuthentication carries it. */
  getEuiccInfo1(): Promise<Uint8Array>;
  /** ES10b.GetEUICCInfo2: versions, free memory, the CI keys. */
  getEuiccInfo2(): Promise<EuiccInfo2>;
  /**
   * ES10b.AuthenticateServer: the eUICC checks the SM-DP+'s chain to its CI, its signature, and
   * that it signed the last challenge, then signs its answer. Resolves with the response's DER
   * (BF38) for ES9+ AuthenticateClient; rejects with `untrustedServer`, `invalidSignature` or
   * `invalidChallenge`.
   */
  authenticateServer(request: AuthenticateServerRequest): Promise<Uint8Array>;
  /** ES10b.PrepareDownload: checks CERT.DPpb and smdpSignature2, makes the one-time key; the response's DER (BF21). */
  prepareDownload(request: PrepareDownloadRequest): Promise<Uint8Array>;
  /**
   * ES10b.LoadBoundProfilePackage: the package (BF36's DER) segment by segment. Resolves with the
   * result (the ICCID, or an SGP.22 errorReason with nothing installed) and the signed
   * ProfileInstallationResult; either way a pending `install` notification records it. Rejects
   * (with nothing installed) if the device resets or goes away during the load.
   */
  loadBoundProfilePackage(
    bpp: Uint8Array,
    onProgress?: (loaded: number, total: number) => void,
  ): Promise<{ result: LoadResult; installationResult: Uint8Array }>;
  /** ES10b.CancelSession: abandons the session; the response's DER (BF41), signed, for ES9+ CancelSession. */
  cancelSession(transactionId: Uint8Array, reason: CancelReason): Promise<Uint8Array>;
  /** ES10b.ListNotification: the pending notifications' metadata. */
  listNotifications(): Promise<NotificationMetadata[]>;
  /** ES10b.RetrieveNotificationsList for one: the signed PendingNotification's DER, or null when there is none. */
  retrieveNotification(seqNumber: number): Promise<Uint8Array | null>;
  /** Forgets a notification once the SM-DP+ has it. Unknown numbers are ignored (a retry after a lost answer). */
  removeNotification(seqNumber: number): Promise<void>;
  listProfiles(): Promise<EuiccProfile[]>;
  /** Enables a profile and disables the one enabled before (ES10c.EnableProfile with refresh). */
  enableProfile(iccid: string): Promise<void>;
  disableProfile(iccid: string): Promise<void>;
  /** Deletes a disabled profile; rejects with `profileEnabled` for the enabled one. */
  deleteProfile(iccid: string): Promise<void>;
  setNickname(iccid: string, nickname: string): Promise<void>;
}

export interface EuiccProfile {
  iccid: string;
  state: 'enabled' | 'disabled';
  nickname: string | null;
  serviceProviderName: string;
  profileName: string;
  /** SGP.22 profileClass, when the eUICC says (default operational) */
  profileClass?: ProfileClass;
}

export interface Operator {
  name: string;
  /** MCC and MNC, e.g. "440 10" (NTT DOCOMO) */
  plmn: string;
}
export interface Registration {
  state: 'notRegistered' | 'searching' | 'registered' | 'roaming' | 'denied';
  operator: Operator | null;
  technology: 'LTE' | 'NR' | 'WCDMA' | null;
  /** bars, 0–4 */
  signal: 0 | 1 | 2 | 3 | 4;
  /** IMS voice is registered (calls possible) */
  voice: boolean;
}

export interface DataSession {
  state: 'down' | 'up';
  apn: string | null;
  address: string | null;
}

export type CallState = 'dialing' | 'alerting' | 'active' | 'held' | 'incoming' | 'waiting' | 'disconnected';
export interface Call {
  id: number;
  number: string;
  direction: 'outgoing' | 'incoming';
  state: CallState;
  /** why it ended: hung up here, by the other party, lost by the network, or not answered (the network gave up ringing) */
  endReason?: 'local' | 'remote' | 'network' | 'noAnswer';
}

export type ModemEvent =
  | { type: 'power'; on: boolean }
  | { type: 'registration'; registration: Registration }
  | { type: 'data'; session: DataSession }
  | { type: 'call'; call: Call }
  | { type: 'profiles'; profiles: EuiccProfile[] }
  | { type: 'gone' };

export type ModemErrorCode =
  | 'off'
  | 'gone'
  | 'notRegistered'
  | 'voiceOff'
  | 'noSuchCall'
  | 'noSuchProfile'
  | 'profileEnabled'
  | 'invalidSignature'
  | 'invalidChallenge'
  | 'untrustedServer'
  | 'invalidTransactionId'
  | 'confirmationCodeRequired'
  | 'interrupted'
  /** this backend cannot do it (a module with neither logical channels nor +CSIM) */
  | 'unsupported';

/** The one error a modem backend throws. `cmeError` carries +CME ERROR's number where the AT backend has one. */
export class ModemError extends Error {
  constructor(
    readonly code: ModemErrorCode,
    message: string = code,
    readonly cmeError?: number,
  ) {
    super(message);
    this.name = 'ModemError';
  }
}
