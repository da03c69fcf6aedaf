/**
 * GSMA SGP.22 consumer RSP values the car, the eUICC and the SM-DP+ share as plain data: the
 * errorReasons and cancel reasons, a profile's metadata and a load's result as the bench keeps
 * them, pending notifications in the simulated eUICC's flash, and the activation code. The
 * messages themselves travel in SGP.22's own BER-TLV (shared/es10).
 */
import * as z from 'zod';

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

export const profileClasses = ['test', 'provisioning', 'operational'] as const;
export type ProfileClass = (typeof profileClasses)[number];

export interface ProfileMetadata {
  iccid: string;
  serviceProviderName: string;
  profileName: string;
  /** SGP.22 profileClass (StoreMetadata '95': 0 test, 1 provisioning, 2 operational, the default) */
  profileClass: ProfileClass;
  /** the operator that owns the profile (SGP.22 profileOwner, optional), e.g. "44010" for NTT DOCOMO */
  profileOwner?: { mccMnc: string };
  /** the IMSI the profile's USIM is given (EF.IMSI in its package), when it has one: its home network */
  imsi?: string;
  /** bytes the profile takes on the eUICC */
  size: number;
}
/** How a load ended, as the eUICC's ProfileInstallationResult says (transactionId in hex; seqNumber: its install notification). */
export type LoadResult =
  { transactionId: string; iccid: string; seqNumber?: number } | { transactionId: string; errorReason: ErrorReason; bppCommandId?: number; seqNumber?: number };

/** A notification the eUICC keeps until the SM-DP+ has it (ES10b ListNotification / ES9+ HandleNotification). */
export interface PendingNotification {
  seqNumber: number;
  event: 'install' | 'enable' | 'disable' | 'delete';
  iccid: string;
  notificationAddress: string;
  /** for install: the load result */
  result?: LoadResult;
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

/** An ICCID as files keep it: 18 to 20 digits. */
export const IccidText = z.string().regex(/^\d{18,20}$/);

/** A profile's metadata as the simulated eUICC's flash and the SM-DP+'s orders keep it, checked field by field on load. */
export const ProfileMetadataFields: z.ZodType<ProfileMetadata> = z.strictObject({
  iccid: IccidText,
  serviceProviderName: z.string().max(64),
  profileName: z.string().max(64),
  profileClass: z.enum(profileClasses),
  profileOwner: z.strictObject({ mccMnc: z.string().regex(/^\d{5,6}$/) }).optional(),
  imsi: z
    .string()
    .regex(/^\d{6,15}$/)
    .optional(),
  size: z.number().int().min(0),
});
