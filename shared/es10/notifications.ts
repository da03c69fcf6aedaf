import { isdPAid, notificationMetadata, readNotificationMetadata, type NotificationMetadata } from './es10c';
import { es10bTags, signatureElement, signatureOf, signatureTag } from './es10b';
import { child, concat, encodeTlv, fromInteger, integer, TlvError, wrap, type Tlv } from './tlv';

/**
 * What the eUICC reports after the fact (SGP.22 §5.7.6, §5.7.10): the ProfileInstallationResult a
 * load ends with, the pending notifications as RetrieveNotificationsList gives them (signed install
 * results and OtherSignedNotifications), and eUICCMemoryReset's options and answer.
 */

/** The load's outcome as ProfileInstallationResultData's finalResult carries it. */
export type FinalResult = { ok: true } | { ok: false; bppCommandId: number; errorReason: number };

/** ProfileInstallationResultData (0xBF27): the part of the result the eUICC signs. */
export function installationResultData(transactionId: Uint8Array, metadata: NotificationMetadata, smdpOid: Uint8Array, result: FinalResult): Tlv {
  const final: Tlv = result.ok
    ? {
        tag: 0xa0,
        children: [
          { tag: 0x4f, value: isdPAid(metadata.iccid) },
          { tag: 0x04, value: new Uint8Array([0x30, 0x00]) },
        ],
      }
    : {
        tag: 0xa1,
        children: [
          { tag: 0x80, value: integer(result.bppCommandId) },
          { tag: 0x81, value: integer(result.errorReason) },
        ],
      };
  return {
    tag: es10bTags.installationResultData,
    children: [{ tag: 0x80, value: transactionId }, notificationMetadata(metadata), { tag: 0x06, value: smdpOid }, { tag: 0xa2, children: [final] }],
  };
}
export function readInstallationResult(tlv: Tlv): {
  data: Tlv;
  transactionId: Uint8Array;
  metadata: NotificationMetadata;
  result: FinalResult;
  signature: Uint8Array;
} {
  const data = child(tlv, es10bTags.installationResultData);
  const final = child(data ?? { tag: 0 }, 0xa2)?.children?.[0];
  const metadata = child(data ?? { tag: 0 }, 0xbf2f);
  const transactionId = child(data ?? { tag: 0 }, 0x80)?.value;
  if (tlv.tag !== es10bTags.installationResult || !data || !final || !metadata || !transactionId)
    throw new TlvError('ProfileInstallationResult is BF37 {BF27 {80 BF2F 06 A2}, 5F37}');
  const result: FinalResult =
    final.tag === 0xa0
      ? { ok: true }
      : { ok: false, bppCommandId: fromInteger(child(final, 0x80)?.value), errorReason: fromInteger(child(final, 0x81)?.value) };
  return { data, transactionId, metadata: readNotificationMetadata(metadata), result, signature: signatureOf(child(tlv, signatureTag)) };
}

/** PendingNotification (§5.7.10): a ProfileInstallationResult (BF37) or an OtherSignedNotification (30). */
export function otherSignedNotification(metadata: NotificationMetadata, signature: Uint8Array, euiccCertificate: Tlv, eumCertificate: Tlv): Uint8Array {
  return encodeTlv({ tag: 0x30, children: [notificationMetadata(metadata), signatureElement(signature), euiccCertificate, eumCertificate] });
}
export function readOtherSignedNotification(tlv: Tlv): {
  metadata: NotificationMetadata;
  tbs: Tlv;
  signature: Uint8Array;
  euiccCertificate: Tlv;
  eumCertificate: Tlv;
} {
  const [tbs, signature, euiccCertificate, eumCertificate] = tlv.children ?? [];
  if (tlv.tag !== 0x30 || tbs?.tag !== 0xbf2f || euiccCertificate?.tag !== 0x30 || eumCertificate?.tag !== 0x30)
    throw new TlvError('OtherSignedNotification is 30 {BF2F 5F37 30 30}');
  return { metadata: readNotificationMetadata(tbs), tbs, signature: signatureOf(signature), euiccCertificate, eumCertificate };
}

/** RetrieveNotificationsListRequest (0xBF2B), for one seqNumber or for all. */
export function encodeRetrieveNotifications(seqNumber: number | null): Uint8Array {
  return encodeTlv({
    tag: es10bTags.retrieveNotifications,
    children: seqNumber === null ? [] : [{ tag: 0xa0, children: [{ tag: 0x80, value: integer(seqNumber) }] }],
  });
}
export function readRetrieveNotifications(tlv: Tlv): number | null {
  const criteria = child(tlv, 0xa0);
  return criteria ? fromInteger(child(criteria, 0x80)?.value) : null;
}
/** RetrieveNotificationsListResponse: A0 with the PendingNotifications' DER. */
export function encodeNotificationsList(pending: Uint8Array[]): Uint8Array {
  return wrap(es10bTags.retrieveNotifications, wrap(0xa0, concat(pending)));
}

/** eUICCMemoryReset (0xBF34): 82 resetOptions; the answer's 80 is 0 ok, 1 nothing to delete. */
export const resetOptions = { deleteOperationalProfiles: 0x80, deleteFieldLoadedTestProfiles: 0x40, resetDefaultSmdpAddress: 0x20 } as const;
export function encodeMemoryReset(options: number): Uint8Array {
  return encodeTlv({ tag: es10bTags.memoryReset, children: [{ tag: 0x82, value: new Uint8Array([5, options]) }] });
}
export function readMemoryReset(tlv: Tlv): number {
  return child(tlv, 0x82)?.value?.[1] ?? 0;
}
