/**
 * GSMA SGP.22 consumer RSP messages as the emulator carries them: the same steps, fields and codes
 * (docs/facts.md "eSIM"), as JSON instead of ASN.1. Signatures are ECDSA P-256 over the canonical JSON
 * of the signed part, base64. The SM-DP+ (cloud/) and the eUICC (hardware/modem) both use these.
 */

/** ES10b LoadBoundProfilePackage errorReason (SGP.22 §5.7.6). */
export const errorReasons = {
  incorrectInputValues: 1,
  invalidSignature: 2,
  invalidTransactionId: 3,
  unsupportedCrtValues: 4,
  unsupportedRemoteOperationType: 5,
  unsupportedProfileClass: 6,
  scp03tStructureError: 7,
  scp03tSecurityError: 8,
  iccidAlreadyExistsOnEuicc: 9,
  insufficientMemoryForProfile: 10,
  installInterrupted: 11,
  peProcessingError: 12,
  dataMismatch: 13,
  invalidNaaKey: 14,
  pprNotAllowed: 15,
  unknownOrUndefinedError: 127,
} as const;
export type ErrorReason = (typeof errorReasons)[keyof typeof errorReasons];

/** Whether retrying the same download may succeed (FACTS: 11 yes, with backoff; 2/3/7/8 never). */
export function isRetryable(reason: ErrorReason): boolean {
  return reason === errorReasons.installInterrupted;
}

/** ES10b CancelSession reason (SGP.22 §5.7.14). */
export const cancelReasons = {
  endUserRejection: 0,
  postponed: 1,
  timeout: 2,
  pprNotAllowed: 3,
  metadataMismatch: 4,
  loadBppExecutionError: 5,
  undefinedReason: 127,
} as const;
export type CancelReason = (typeof cancelReasons)[keyof typeof cancelReasons];

export interface EuiccInfo1 {
  svn: string;
  /** key ids of the CI certificates the eUICC trusts */
  euiccCiPKIdListForVerification: string[];
}

/** ES9+ InitiateAuthentication response: what the SM-DP+ signs first. */
export interface ServerSigned1 {
  transactionId: string;
  euiccChallenge: string;
  serverAddress: string;
  serverChallenge: string;
}
export interface AuthenticateServerRequest {
  serverSigned1: ServerSigned1;
  serverSignature1: string;
  /** the SM-DP+'s public key (PEM), standing in for its certificate chain */
  serverCertificate: string;
  /** the activation code's MatchingID */
  matchingId: string;
}
export interface EuiccSigned1 {
  transactionId: string;
  serverAddress: string;
  serverChallenge: string;
  matchingId: string;
  eid: string;
  /** free non-volatile memory, bytes (part of euiccInfo2) */
  freeMemory: number;
}
export interface AuthenticateServerResponse {
  euiccSigned1: EuiccSigned1;
  euiccSignature1: string;
  euiccCertificate: string;
}

export interface ProfileMetadata {
  iccid: string;
  serviceProviderName: string;
  profileName: string;
  profileClass: 'operational';
  /** the operator that owns the profile (SGP.22 profileOwner), e.g. "44010" for NTT DOCOMO */
  profileOwner: { mccMnc: string };
  /** bytes the profile takes on the eUICC */
  size: number;
}
/** ES9+ AuthenticateClient response, as ES10b PrepareDownload takes it. */
export interface SmdpSigned2 {
  transactionId: string;
  ccRequiredFlag: boolean;
}
export interface PrepareDownloadRequest {
  smdpSigned2: SmdpSigned2;
  smdpSignature2: string;
  /** SHA-256 of the confirmation code with the transaction id, when ccRequiredFlag */
  hashCc?: string;
}
export interface EuiccSigned2 {
  transactionId: string;
  /** the one-time public key the package is bound to */
  euiccOtpk: string;
}
export interface PrepareDownloadResponse {
  euiccSigned2: EuiccSigned2;
  euiccSignature2: string;
}

/** ES9+ GetBoundProfilePackage response: the profile, bound to one transaction and one-time key. */
export interface BoundProfilePackage {
  transactionId: string;
  euiccOtpk: string;
  metadata: ProfileMetadata;
  /** the profile elements, in the order they are loaded (each one a load step) */
  segments: string[];
  /** the SM-DP+'s signature over everything above */
  signature: string;
}
/** How a load ended, as the eUICC's ProfileInstallationResult says (transactionId in hex; seqNumber: its install notification). */
export type LoadResult =
  | { transactionId: string; iccid: string; seqNumber?: number }
  | { transactionId: string; errorReason: ErrorReason; bppCommandId?: number; seqNumber?: number };

/** A notification the eUICC keeps until the SM-DP+ has it (ES10b ListNotification / ES9+ HandleNotification). */
export interface PendingNotification {
  seqNumber: number;
  event: 'install' | 'enable' | 'disable' | 'delete';
  iccid: string;
  notificationAddress: string;
  /** for install: the load result */
  result?: LoadResult;
}

/** The canonical JSON that is signed: keys sorted, no spaces. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** An activation code's fields (SGP.22 §4.1). */
export interface ActivationCode {
  /** the SM-DP+ address (an FQDN, maybe with a port) */
  smdpAddress: string;
  /** the AC_Token, the MatchingID (may be empty) */
  matchingId: string;
  /** the SM-DP+ OID, null when the field is absent or empty */
  smdpOid: string | null;
  /** the Confirmation Code Required Flag: the end user must give a confirmation code */
  confirmationCodeRequired: boolean;
}

/**
 * Reads an activation code (SGP.22 §4.1):
 * `[LPA:]1$<SM-DP+ address>$<AC_Token>[$<SM-DP+ OID>[$<Confirmation Code Required Flag>]]`.
 * The `LPA:` of a QR code may be missing, and in any case; fields may be empty, except the address.
 * Null for anything else (an unknown AC_Format, a missing address, a flag other than 1 or empty,
 * fields beyond the fifth).
 */
export function parseActivationCode(code: string): ActivationCode | null {
  const fields = code.trim().replace(/^lpa:/i, '').split('$');
  if (fields.length < 3 || fields.length > 5 || fields[0] !== '1') return null;
  const [, smdpAddress = '', matchingId = '', oid = '', flag = ''] = fields;
  if (!/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(smdpAddress)) return null;
  if (flag !== '' && flag !== '1') return null;
  return { smdpAddress, matchingId, smdpOid: oid === '' ? null : oid, confirmationCodeRequired: flag === '1' };
}
