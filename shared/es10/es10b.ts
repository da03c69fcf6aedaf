import { expect } from './es10c';
import { child, encodeTlv, fromInteger, fromText, integer, namedBits, text, TlvError, type Tlv } from './tlv';

/**
 * SGP.22 (v2.2) ES10b, the download half of the ISD-R's functions, in BER-TLV (§5.7, ASN.1 in §2.5
 * and Annex H): GetEUICCInfo1/2, AuthenticateServer, PrepareDownload and CancelSession. What the
 * eUICC reports afterwards (the ProfileInstallationResult, pending notifications, eUICCMemoryReset)
 * is in notifications.ts, the profile's metadata in metadata.ts. Signed parts are built and read
 * here as elements; the signature itself (a '5F37' of r‖s) is made and checked in shared/rsp. Both
 * sides use it: the car's LPA and the simulated card.
 */

export const es10bTags = {
  euiccInfo1: 0xbf20,
  euiccInfo2: 0xbf22,
  authenticateServer: 0xbf38,
  prepareDownload: 0xbf21,
  cancelSession: 0xbf41,
  retrieveNotifications: 0xbf2b,
  memoryReset: 0xbf34,
  boundProfilePackage: 0xbf36,
  installationResult: 0xbf37,
  installationResultData: 0xbf27,
  storeMetadata: 0xbf25,
  initialiseSecureChannel: 0xbf23,
  replaceSessionKeys: 0xbf26,
} as const;

/** [APPLICATION 55] '5F37': every SGP.22 signature; [APPLICATION 73] '5F49': a one-time public key. */
export const signatureTag = 0x5f37;
export const otpkTag = 0x5f49;

/** AuthenticateErrorCode (§5.7.13). */
export const authenticateErrors = {
  invalidCertificate: 1,
  invalidSignature: 2,
  unsupportedCurve: 3,
  noSessionContext: 4,
  invalidOid: 5,
  euiccChallengeMismatch: 6,
  ciPKUnknown: 7,
  undefinedError: 127,
} as const;
/** DownloadErrorCode (§5.7.5). */
export const downloadErrors = {
  invalidCertificate: 1,
  invalidSignature: 2,
  unsupportedCurve: 3,
  noSessionContext: 4,
  invalidTransactionId: 5,
  undefinedError: 127,
} as const;
/** bppCommandId of an ErrorResult (§5.7.6): which part of the package was being loaded. */
export const bppCommands = {
  initialiseSecureChannel: 0,
  configureIsdp: 1,
  storeMetadata: 2,
  storeMetadata2: 3,
  replaceSessionKeys: 4,
  loadProfileElements: 5,
} as const;

/** VersionType: three bytes, major.minor.revision. */
const version = (v: string) => new Uint8Array(v.split('.').map(Number));
const fromVersion = (bytes: Uint8Array | undefined) => [...(bytes ?? [])].join('.');
const keyIds = (tag: number, ids: Uint8Array[]): Tlv => ({ tag, children: ids.map((id) => ({ tag: 0x04, value: id })) });
const readKeyIds = (tlv: Tlv | undefined) => (tlv?.children ?? []).filter((c) => c.tag === 0x04).map((c) => c.value ?? new Uint8Array(0));

export interface EuiccInfo1 {
  /** the SGP.22 version the eUICC implements, e.g. "2.2.2" */
  svn: string;
  /** SubjectKeyIdentifiers of the CI keys whose certificates the eUICC can verify, and sign under */
  ciPkIdsForVerification: Uint8Array[];
  ciPkIdsForSigning: Uint8Array[];
}

/** EUICCInfo1 (0xBF20): 82 svn, A9 and AA the CI key ids. */
export function encodeEuiccInfo1(info: EuiccInfo1): Uint8Array {
  return encodeTlv({
    tag: es10bTags.euiccInfo1,
    children: [{ tag: 0x82, value: version(info.svn) }, keyIds(0xa9, info.ciPkIdsForVerification), keyIds(0xaa, info.ciPkIdsForSigning)],
  });
}
export function decodeEuiccInfo1(bytes: Uint8Array): EuiccInfo1 {
  const tlv = expect(bytes, es10bTags.euiccInfo1);
  return { svn: fromVersion(child(tlv, 0x82)?.value), ciPkIdsForVerification: readKeyIds(child(tlv, 0xa9)), ciPkIdsForSigning: readKeyIds(child(tlv, 0xaa)) };
}

export interface EuiccInfo2 extends EuiccInfo1 {
  profileVersion: string;
  firmwareVersion: string;
  /** free non-volatile memory for profiles, bytes (extCardResource) */
  freeNonVolatileMemory: number;
  freeVolatileMemory: number;
  installedApplications: number;
  ppVersion: string;
  sasAccreditationNumber: string;
}

/** EUICCInfo2 (0xBF22, §5.7.8) as an element, for GetEUICCInfo2 and for euiccSigned1. */
/**
 * UICCCapability (TCA PEDefinitions) of the simulated card: it installs a profile's network access
 * applications whole, so usimSupport(1), isimSupport(2), csimSupport(3), with akaMilenage(4), the
 * usimTestAlgorithm(8) of GSMA TS.48 test profiles, and berTlvFileSupport(19).
 */
export const simulatedUiccCapability = [1, 2, 3, 4, 8, 19] as const;

export function euiccInfo2(info: EuiccInfo2): Tlv {
  const resource = encodeTlv({
    tag: 0x30,
    children: [
      { tag: 0x81, value: integer(info.installedApplications) },
      { tag: 0x82, value: integer(info.freeNonVolatileMemory) },
      { tag: 0x83, value: integer(info.freeVolatileMemory) },
    ],
  }).subarray(2); // (extCardResource is an OCTET STRING holding these three TLVs)
  return {
    tag: es10bTags.euiccInfo2,
    children: [
      { tag: 0x81, value: version(info.profileVersion) },
      { tag: 0x82, value: version(info.svn) },
      { tag: 0x83, value: version(info.firmwareVersion) },
      { tag: 0x84, value: resource },
      { tag: 0x85, value: namedBits(simulatedUiccCapability) },
      { tag: 0x87, value: version('2.3.0') }, // globalplatformVersion
      { tag: 0x88, value: namedBits([0, 1, 3]) }, // rspCapability: additionalProfile, crlSupport, testProfileSupport
      keyIds(0xa9, info.ciPkIdsForVerification),
      keyIds(0xaa, info.ciPkIdsForSigning),
      { tag: 0x8b, value: integer(1) }, // euiccCategory: basicEuicc (1)
      { tag: 0x04, value: version(info.ppVersion) },
      { tag: 0x0c, value: text(info.sasAccreditationNumber) },
    ],
  };
}
export function readEuiccInfo2(tlv: Tlv): EuiccInfo2 {
  if (tlv.tag !== es10bTags.euiccInfo2) throw new TlvError('EUICCInfo2 is BF22');
  const resource = child(tlv, 0x84)?.value ?? new Uint8Array(0);
  const field = (tag: number) => {
    for (let at = 0; at + 2 <= resource.length; at += 2 + resource[at + 1]!)
      if (resource[at] === tag) return resource.subarray(at + 2, at + 2 + resource[at + 1]!);
    return undefined;
  };
  return {
    profileVersion: fromVersion(child(tlv, 0x81)?.value),
    svn: fromVersion(child(tlv, 0x82)?.value),
    firmwareVersion: fromVersion(child(tlv, 0x83)?.value),
    installedApplications: field(0x81) ? fromInteger(field(0x81)) : 0,
    freeNonVolatileMemory: field(0x82) ? fromInteger(field(0x82)) : 0,
    freeVolatileMemory: field(0x83) ? fromInteger(field(0x83)) : 0,
    ciPkIdsForVerification: readKeyIds(child(tlv, 0xa9)),
    ciPkIdsForSigning: readKeyIds(child(tlv, 0xaa)),
    ppVersion: fromVersion(child(tlv, 0x04)?.value),
    sasAccreditationNumber: fromText(child(tlv, 0x0c)?.value),
  };
}

/** ServerSigned1 (§5.7.13): what the SM-DP+ signs first. */
export interface ServerSigned1 {
  transactionId: Uint8Array;
  euiccChallenge: Uint8Array;
  serverAddress: string;
  serverChallenge: Uint8Array;
}
export function serverSigned1(s: ServerSigned1): Tlv {
  return {
    tag: 0x30,
    children: [
      { tag: 0x80, value: s.transactionId },
      { tag: 0x81, value: s.euiccChallenge },
      { tag: 0x83, value: text(s.serverAddress) },
      { tag: 0x84, value: s.serverChallenge },
    ],
  };
}
export function readServerSigned1(tlv: Tlv): ServerSigned1 {
  const field = (tag: number, length?: number) => {
    const value = child(tlv, tag)?.value;
    if (tlv.tag !== 0x30 || !value || (length !== undefined && value.length !== length) || value.length > 255)
      throw new TlvError(`serverSigned1 lacks ${tag.toString(16)}`);
    return value;
  };
  return { transactionId: field(0x80), euiccChallenge: field(0x81, 16), serverAddress: fromText(field(0x83)), serverChallenge: field(0x84, 16) };
}

/** CtxParams1 (ctxParamsForCommonAuthentication): the MatchingID and the device the LPA runs on. */
export interface CtxParams1 {
  matchingId: string | null;
  /** the device's Type Allocation Code, 4 bytes */
  tac: Uint8Array;
}
export function ctxParams1(c: CtxParams1): Tlv {
  return {
    tag: 0xa0,
    children: [
      ...(c.matchingId !== null ? [{ tag: 0x80, value: text(c.matchingId) }] : []),
      // deviceInfo: the TAC, and the releases the modem supports (E-UTRAN and NR, release 15)
      {
        tag: 0xa1,
        children: [
          { tag: 0x80, value: c.tac },
          {
            tag: 0xa1,
            children: [
              { tag: 0x85, value: new Uint8Array([15, 0, 0]) },
              { tag: 0x88, value: new Uint8Array([15, 0, 0]) },
            ],
          },
        ],
      },
    ],
  };
}
export function readCtxParams1(tlv: Tlv | undefined): CtxParams1 {
  if (tlv?.tag !== 0xa0) throw new TlvError('ctxParams1 is A0');
  const matchingId = child(tlv, 0x80);
  return { matchingId: matchingId ? fromText(matchingId.value) : null, tac: child(child(tlv, 0xa1) ?? { tag: 0 }, 0x80)?.value ?? new Uint8Array(0) };
}

/** AuthenticateServerRequest (0xBF38): the SM-DP+'s elements as received over ES9+, and the LPA's ctxParams1. */
export interface AuthenticateServerRequest {
  serverSigned1: Tlv;
  serverSignature1: Tlv;
  euiccCiPKIdToBeUsed: Tlv;
  serverCertificate: Tlv;
  ctxParams1: Tlv;
}
export function encodeAuthenticateServer(r: AuthenticateServerRequest): Uint8Array {
  return encodeTlv({
    tag: es10bTags.authenticateServer,
    children: [r.serverSigned1, r.serverSignature1, r.euiccCiPKIdToBeUsed, r.serverCertificate, r.ctxParams1],
  });
}
export function readAuthenticateServer(tlv: Tlv): AuthenticateServerRequest {
  const [serverSigned1, serverSignature1, euiccCiPKIdToBeUsed, serverCertificate, ctx] = tlv.children ?? [];
  if (
    serverSigned1?.tag !== 0x30 ||
    serverSignature1?.tag !== signatureTag ||
    euiccCiPKIdToBeUsed?.tag !== 0x04 ||
    serverCertificate?.tag !== 0x30 ||
    ctx?.tag !== 0xa0
  ) {
    throw new TlvError('AuthenticateServerRequest is 30 5F37 04 30 A0');
  }
  return { serverSigned1, serverSignature1, euiccCiPKIdToBeUsed, serverCertificate, ctxParams1: ctx };
}

/** EuiccSigned1 and the AuthenticateResponseOk around it (§5.7.13). */
export interface EuiccSigned1 {
  transactionId: Uint8Array;
  serverAddress: string;
  serverChallenge: Uint8Array;
  euiccInfo2: Tlv;
  ctxParams1: Tlv;
}
export function euiccSigned1(s: EuiccSigned1): Tlv {
  return {
    tag: 0x30,
    children: [
      { tag: 0x80, value: s.transactionId },
      { tag: 0x83, value: text(s.serverAddress) },
      { tag: 0x84, value: s.serverChallenge },
      s.euiccInfo2,
      s.ctxParams1,
    ],
  };
}
export function readEuiccSigned1(tlv: Tlv): EuiccSigned1 {
  const info = child(tlv, es10bTags.euiccInfo2);
  const transactionId = child(tlv, 0x80)?.value;
  const challenge = child(tlv, 0x84)?.value;
  if (tlv.tag !== 0x30 || !transactionId || challenge?.length !== 16 || !info) throw new TlvError('euiccSigned1 is 30 80 83 84 BF22 A0');
  return {
    transactionId,
    serverAddress: fromText(child(tlv, 0x83)?.value),
    serverChallenge: challenge,
    euiccInfo2: info,
    ctxParams1: child(tlv, 0xa0) ?? { tag: 0xa0, children: [] },
  };
}

/** What an ES10b function answers with: its signed part and certificates, or an error code. */
export type Answer<T> = { ok: T } | { error: number; transactionId?: Uint8Array };

/** AuthenticateServerResponse: A0 {euiccSigned1, euiccSignature1, euiccCertificate, eumCertificate} or A1 {transactionId, code}. */
export interface AuthenticateResponseOk {
  euiccSigned1: Tlv;
  euiccSignature1: Tlv;
  euiccCertificate: Tlv;
  eumCertificate: Tlv;
}
export function encodeAuthenticateResponse(answer: Answer<AuthenticateResponseOk>): Uint8Array {
  if ('ok' in answer) {
    const { euiccSigned1: s, euiccSignature1, euiccCertificate, eumCertificate } = answer.ok;
    return encodeTlv({ tag: es10bTags.authenticateServer, children: [{ tag: 0xa0, children: [s, euiccSignature1, euiccCertificate, eumCertificate] }] });
  }
  return encodeTlv({ tag: es10bTags.authenticateServer, children: [errorBody(answer)] });
}
export function readAuthenticateResponse(tlv: Tlv): Answer<AuthenticateResponseOk> {
  if (tlv.tag !== es10bTags.authenticateServer) throw new TlvError('AuthenticateServerResponse is BF38');
  const ok = child(tlv, 0xa0);
  if (!ok) return readError(tlv);
  const [euiccSigned1El, euiccSignature1, euiccCertificate, eumCertificate] = ok.children ?? [];
  if (euiccSigned1El?.tag !== 0x30 || euiccSignature1?.tag !== signatureTag || euiccCertificate?.tag !== 0x30 || eumCertificate?.tag !== 0x30)
    throw new TlvError('AuthenticateResponseOk is 30 5F37 30 30');
  return { ok: { euiccSigned1: euiccSigned1El, euiccSignature1, euiccCertificate, eumCertificate } };
}

/** SmdpSigned2 (§5.7.5). */
export interface SmdpSigned2 {
  transactionId: Uint8Array;
  ccRequiredFlag: boolean;
}
export function smdpSigned2(s: SmdpSigned2): Tlv {
  return {
    tag: 0x30,
    children: [
      { tag: 0x80, value: s.transactionId },
      { tag: 0x01, value: new Uint8Array([s.ccRequiredFlag ? 0xff : 0]) },
    ],
  };
}
export function readSmdpSigned2(tlv: Tlv): SmdpSigned2 {
  const transactionId = child(tlv, 0x80)?.value;
  const flag = child(tlv, 0x01)?.value;
  if (tlv.tag !== 0x30 || !transactionId || flag?.length !== 1) throw new TlvError('smdpSigned2 is 30 80 01');
  return { transactionId, ccRequiredFlag: flag[0] !== 0 };
}

/** PrepareDownloadRequest (0xBF21): smdpSigned2, smdpSignature2, hashCc when a confirmation code was asked for, CERT.DPpb. */
export interface PrepareDownloadRequest {
  smdpSigned2: Tlv;
  smdpSignature2: Tlv;
  hashCc?: Uint8Array;
  smdpCertificate: Tlv;
}
export function encodePrepareDownload(r: PrepareDownloadRequest): Uint8Array {
  return encodeTlv({
    tag: es10bTags.prepareDownload,
    children: [r.smdpSigned2, r.smdpSignature2, ...(r.hashCc ? [{ tag: 0x04, value: r.hashCc }] : []), r.smdpCertificate],
  });
}
export function readPrepareDownload(tlv: Tlv): PrepareDownloadRequest {
  const [signed, signature, ...rest] = tlv.children ?? [];
  const hashCc = rest[0]?.tag === 0x04 ? rest.shift()!.value : undefined;
  const certificate = rest[0];
  if (signed?.tag !== 0x30 || signature?.tag !== signatureTag || certificate?.tag !== 0x30) throw new TlvError('PrepareDownloadRequest is 30 5F37 [04] 30');
  return { smdpSigned2: signed, smdpSignature2: signature, smdpCertificate: certificate, ...(hashCc ? { hashCc } : {}) };
}

/** PrepareDownloadResponse: A0 {euiccSigned2 {transactionId, euiccOtpk}, euiccSignature2} or A1 {transactionId, code}. */
export interface PrepareDownloadOk {
  euiccSigned2: Tlv;
  euiccSignature2: Tlv;
}
export function euiccSigned2(transactionId: Uint8Array, otpk: Uint8Array): Tlv {
  return {
    tag: 0x30,
    children: [
      { tag: 0x80, value: transactionId },
      { tag: otpkTag, value: otpk },
    ],
  };
}
export function readEuiccSigned2(tlv: Tlv): { transactionId: Uint8Array; euiccOtpk: Uint8Array } {
  const transactionId = child(tlv, 0x80)?.value;
  const euiccOtpk = child(tlv, otpkTag)?.value;
  if (tlv.tag !== 0x30 || !transactionId || euiccOtpk?.length !== 65) throw new TlvError('euiccSigned2 is 30 80 5F49 (an uncompressed P-256 point)');
  return { transactionId, euiccOtpk };
}
export function encodePrepareDownloadResponse(answer: Answer<PrepareDownloadOk>): Uint8Array {
  if ('ok' in answer)
    return encodeTlv({ tag: es10bTags.prepareDownload, children: [{ tag: 0xa0, children: [answer.ok.euiccSigned2, answer.ok.euiccSignature2] }] });
  return encodeTlv({ tag: es10bTags.prepareDownload, children: [errorBody(answer)] });
}
export function readPrepareDownloadResponse(tlv: Tlv): Answer<PrepareDownloadOk> {
  if (tlv.tag !== es10bTags.prepareDownload) throw new TlvError('PrepareDownloadResponse is BF21');
  const ok = child(tlv, 0xa0);
  if (!ok) return readError(tlv);
  const [signed, signature] = ok.children ?? [];
  if (signed?.tag !== 0x30 || signature?.tag !== signatureTag) throw new TlvError('PrepareDownloadResponseOk is 30 5F37');
  return { ok: { euiccSigned2: signed, euiccSignature2: signature } };
}

function errorBody(answer: { error: number; transactionId?: Uint8Array }): Tlv {
  return { tag: 0xa1, children: [...(answer.transactionId ? [{ tag: 0x80, value: answer.transactionId }] : []), { tag: 0x02, value: integer(answer.error) }] };
}
function readError(tlv: Tlv): { error: number; transactionId?: Uint8Array } {
  const error = child(tlv, 0xa1);
  if (!error) throw new TlvError('neither A0 nor A1');
  const transactionId = child(error, 0x80)?.value;
  return { error: fromInteger(child(error, 0x02)?.value), ...(transactionId ? { transactionId } : {}) };
}

/** A signature element: '5F37' with r‖s. */
export const signatureElement = (signature: Uint8Array): Tlv => ({ tag: signatureTag, value: signature });
/** What a signature element holds; throws TlvError for anything else. */
export function signatureOf(tlv: Tlv | undefined): Uint8Array {
  if (tlv?.tag !== signatureTag || tlv.value?.length !== 64) throw new TlvError('a signature is 5F37 with 64 bytes');
  return tlv.value;
}

/** CancelSessionRequest (0xBF41). */
export function encodeCancelSession(transactionId: Uint8Array, reason: number): Uint8Array {
  return encodeTlv({
    tag: es10bTags.cancelSession,
    children: [
      { tag: 0x80, value: transactionId },
      { tag: 0x81, value: integer(reason) },
    ],
  });
}
export function readCancelSession(tlv: Tlv): { transactionId: Uint8Array; reason: number } {
  const transactionId = child(tlv, 0x80)?.value;
  if (!transactionId || transactionId.length > 16) throw new TlvError('CancelSessionRequest is 80 81');
  return { transactionId, reason: fromInteger(child(tlv, 0x81)?.value) };
}
/** EuiccCancelSessionSigned: what the eUICC signs when it cancels, for the SM-DP+. */
export function euiccCancelSessionSigned(transactionId: Uint8Array, smdpOid: Uint8Array, reason: number): Tlv {
  return {
    tag: 0x30,
    children: [
      { tag: 0x80, value: transactionId },
      { tag: 0x06, value: smdpOid },
      { tag: 0x81, value: integer(reason) },
    ],
  };
}
/** CancelSessionResponse: A0 {euiccCancelSessionSigned, signature}, or 81 with the error (5 invalidTransactionId). */
export function encodeCancelSessionResponse(answer: { ok: { signed: Tlv; signature: Tlv } } | { error: number }): Uint8Array {
  if ('ok' in answer) return encodeTlv({ tag: es10bTags.cancelSession, children: [{ tag: 0xa0, children: [answer.ok.signed, answer.ok.signature] }] });
  return encodeTlv({ tag: es10bTags.cancelSession, children: [{ tag: 0x81, value: integer(answer.error) }] });
}
export function readCancelSessionResponse(tlv: Tlv): { ok: { signed: Tlv; signature: Tlv } } | { error: number } {
  if (tlv.tag !== es10bTags.cancelSession) throw new TlvError('CancelSessionResponse is BF41');
  const ok = child(tlv, 0xa0);
  if (!ok) return { error: fromInteger(child(tlv, 0x81)?.value) };
  const [signed, signature] = ok.children ?? [];
  if (signed?.tag !== 0x30 || signature?.tag !== signatureTag) throw new TlvError('CancelSessionResponseOk is 30 5F37');
  return { ok: { signed, signature } };
}
