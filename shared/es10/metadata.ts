import { es10bTags } from './es10b';
import { child, fromInteger, fromText, iccidFromBytes, iccidToBytes, integer, text, TlvError, type Tlv } from './tlv';

/** ProfileMetadata as StoreMetadataRequest (0xBF25, §5.5.3) carries it. */
export interface StoreMetadata {
  iccid: string;
  serviceProviderName: string;
  profileName: string;
  /** 0 test, 1 provisioning, 2 operational */
  profileClass: number;
  /** profileOwner's MCC and MNC, e.g. "44010" */
  mccMnc: string | null;
}
export function storeMetadata(m: StoreMetadata): Tlv {
  return {
    tag: es10bTags.storeMetadata,
    children: [
      { tag: 0x5a, value: iccidToBytes(m.iccid) },
      { tag: 0x91, value: text(m.serviceProviderName) },
      { tag: 0x92, value: text(m.profileName) },
      { tag: 0x95, value: integer(m.profileClass) },
      ...(m.mccMnc ? [{ tag: 0xb7, children: [{ tag: 0x80, value: plmn(m.mccMnc) }] }] : []),
    ],
  };
}
export function readStoreMetadata(tlv: Tlv): StoreMetadata {
  const iccid = child(tlv, 0x5a)?.value;
  if (tlv.tag !== es10bTags.storeMetadata || iccid?.length !== 10) throw new TlvError('StoreMetadataRequest is BF25 with an ICCID');
  const owner = child(child(tlv, 0xb7) ?? { tag: 0 }, 0x80)?.value;
  const profileClass = child(tlv, 0x95)?.value;
  return {
    iccid: iccidFromBytes(iccid),
    serviceProviderName: fromText(child(tlv, 0x91)?.value),
    profileName: fromText(child(tlv, 0x92)?.value),
    profileClass: profileClass ? fromInteger(profileClass) : 2,
    mccMnc: owner?.length === 3 ? fromPlmn(owner) : null,
  };
}

/** MCC and MNC as 3GPP TS 24.008 packs them in 3 bytes (a 2-digit MNC padded with F). */
export function plmn(mccMnc: string): Uint8Array {
  const d = mccMnc.padEnd(6, 'F').split('');
  const [m1, m2, m3, n1, n2, n3] = d as [string, string, string, string, string, string];
  return Uint8Array.from([m2 + m1, n3 + m3, n2 + n1].map((pair) => Number.parseInt(pair, 16)));
}
export function fromPlmn(bytes: Uint8Array): string {
  const nibbles = [...bytes].flatMap((b) => [(b & 0x0f).toString(16), (b >> 4).toString(16)]);
  const [m1, m2, m3, n3, n1, n2] = nibbles as [string, string, string, string, string, string];
  return `${m1}${m2}${m3}${n1}${n2}${n3 === 'f' ? '' : n3}`;
}
