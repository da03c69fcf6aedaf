import type {
  AuthenticateServerRequest,
  AuthenticateServerResponse,
  BoundProfilePackage,
  CancelReason,
  EuiccInfo1,
  LoadResult,
  PendingNotification,
  PrepareDownloadRequest,
  PrepareDownloadResponse,
} from '../../shared/esim';

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
  /** The embedded UICC and its ES10 functions. */
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
 * ES10b/ES10c of SGP.22 as the LPA in the head unit drives them. The eUICC holds any number of
 * profiles within its memory, at most one enabled. A download either installs a complete profile
 * or leaves nothing behind; a session that is not finished is abandoned by {@link cancelSession},
 * by a reset, or by losing power.
 */
export interface Euicc {
  eid(): Promise<string>;
  /** ES10b.GetEUICCChallenge: a fresh 16-byte challenge (base64) that the next AuthenticateServer must carry. */
  getEuiccChallenge(): Promise<string>;
  getEuiccInfo1(): Promise<EuiccInfo1>;
  /**
   * ES10b.AuthenticateServer: checks the SM-DP+'s signature and that it signed this eUICC's last
   * challenge, opens the session under its transaction id, and signs the eUICC's answer.
   * Rejects with `invalidSignature`, `invalidChallenge` or `untrustedServer`.
   */
  authenticateServer(request: AuthenticateServerRequest): Promise<AuthenticateServerResponse>;
  /** ES10b.PrepareDownload: checks the SM-DP+'s second signature and makes the one-time key the package is bound to. */
  prepareDownload(request: PrepareDownloadRequest): Promise<PrepareDownloadResponse>;
  /**
   * ES10b.LoadBoundProfilePackage: loads the package segment by segment. Resolves with the ICCID,
   * or with an SGP.22 errorReason (and nothing installed); either way a pending `install`
   * notification records the result. Rejects (with nothing installed) if the device resets or
   * goes away during the load.
   */
  loadBoundProfilePackage(bpp: BoundProfilePackage, onProgress?: (loaded: number, total: number) => void): Promise<LoadResult>;
  /** ES10b.CancelSession: abandons the session; resolves with what the SM-DP+ must be told (ES9+ CancelSession). */
  cancelSession(transactionId: string, reason: CancelReason): Promise<{ transactionId: string; reason: CancelReason }>;
  listNotifications(): Promise<PendingNotification[]>;
  /** Forgets a notification once the SM-DP+ has it. Unknown numbers are ignored (a retry after a lost answer). */
  removeNotification(seqNumber: number): Promise<void>;
  listProfiles(): Promise<EuiccProfile[]>;
  /** Enables a profile and disables the one enabled before (ES10c.EnableProfile with refresh). */
  enableProfile(iccid: string): Promise<void>;
  disableProfile(iccid: string): Promise<void>;
  /** Deletes a disabled profile; rejects with `profileEnabled` for the enabled one. */
  deleteProfile(iccid: string): Promise<void>;
  setNickname(iccid: string, nickname: string): Promise<void>;
  /** Non-volatile memory for profiles, bytes. */
  memory(): Promise<{ free: number; total: number }>;
}

export interface EuiccProfile {
  iccid: string;
  state: 'enabled' | 'disabled';
  nickname: string | null;
  serviceProviderName: string;
  profileName: string;
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
  /** this backend cannot do it (the AT backend's eUICC, until the ES10 APDUs) */
  | 'unsupported';

/** The one error a modem backend throws. `cmeError` carries +CME ERROR's number where the AT backend has one. */
export class ModemError extends Error {
  constructor(readonly code: ModemErrorCode, message: string = code, readonly cmeError?: number) {
    super(message);
    this.name = 'ModemError';
  }
}
