import { es10bTags, otpkTag, signatureElement } from '../../shared/es10/es10b';
import { storeMetadata, type StoreMetadata } from '../../shared/es10/metadata';
import { concat, encodeTlv, integer, type Tlv, wrap } from '../../shared/es10/tlv';
import { sign, type Identity } from '../../shared/rsp/pki';
import { agree, keyLength, keyType, oneTimeKey, SecureChannel, sessionKeys } from '../../shared/rsp/scp03t';

/** The largest '86' or '88' segment's content (SGP.22 §2.5.5: each segment fits one ES10b.LoadBoundProfilePackage call). */
export const segmentSize = 1020;

export interface Binding {
  transactionId: Uint8Array;
  /** the eUICC's one-time public key from PrepareDownload (65 bytes); smdpSign covers it too */
  euiccOtpk: Uint8Array;
  eid: Uint8Array;
  metadata: StoreMetadata;
  /** the unprotected profile package (profile elements) */
  profile: Uint8Array;
  /** CERT.DPpb's identity: signs InitialiseSecureChannel */
  dpPb: Identity;
  /**
   * Protect the profile elements with profile protection keys (§2.5.4: ReplaceSessionKeys, A2)
   * instead of the session keys, as some SM-DP+s do; fresh random PPKs each time.
   */
  ppk?: boolean;
}

/**
 * Binds a profile to one eUICC and one session (SGP.22 §2.5.4–2.5.5, ES8+): a one-time key pair of
 * the SM-DP+, InitialiseSecureChannelRequest signed with CERT.DPpb's key over its signed part and
 * the eUICC's one-time key ('5F49', §5.5.1), session keys agreed with that key, then ConfigureISDP
 * encrypted ('87'), StoreMetadata MACed ('88'), with `ppk` ReplaceSessionKeys ('87' in A2), and
 * the profile elements encrypted ('86'), as the BoundProfilePackage (BF36, DER). Rejects with
 * Error when the eUICC's key is not a P-256 point.
 */
export async function bindProfilePackage(b: Binding): Promise<Uint8Array> {
  const ot = await oneTimeKey();
  const hostId = new TextEncoder().encode('iDriveBenchDP');
  const signedPart: Tlv[] = [
    { tag: 0x82, value: integer(1) }, // remoteOpId: installBoundProfilePackage
    { tag: 0x80, value: b.transactionId },
    {
      tag: 0xa6,
      children: [
        { tag: 0x80, value: Uint8Array.of(keyType) },
        { tag: 0x81, value: Uint8Array.of(keyLength) },
        { tag: 0x84, value: hostId },
      ],
    },
    { tag: otpkTag, value: ot.publicKey },
  ];
  const smdpSign = await sign(concat([...signedPart.map((t) => encodeTlv(t)), encodeTlv({ tag: otpkTag, value: b.euiccOtpk })]), b.dpPb.privateKey);
  const initialise = encodeTlv({ tag: es10bTags.initialiseSecureChannel, children: [...signedPart, signatureElement(smdpSign)] });
  const secret = await agree(ot.privateKey, b.euiccOtpk);
  if (!secret) throw new Error('the eUICC one-time key is not a P-256 point');
  const channel = new SecureChannel(await sessionKeys(secret, hostId, b.eid));
  const configure = channel.protect(0x87, encodeTlv({ tag: 0xbf24, children: [] }), true);
  const metadata = chunks(encodeTlv(storeMetadata(b.metadata))).map((part) => wrap(0x88, channel.protect(0x88, part, false)));
  const replace = b.ppk ? replaceSessionKeys(channel) : null;
  const elementChannel = replace?.channel ?? channel;
  const elements = chunks(b.profile).map((part) => wrap(0x86, elementChannel.protect(0x86, part, true)));
  return wrap(
    es10bTags.boundProfilePackage,
    concat([initialise, wrap(0xa0, wrap(0x87, configure)), wrap(0xa1, concat(metadata)), ...(replace ? [replace.a2] : []), wrap(0xa3, concat(elements))]),
  );
}

/**
 * ReplaceSessionKeysRequest (BF26: initialMacChainingValue, ppkEnc, ppkCmac; §5.5.4) with fresh
 * random keys, encrypted with the session keys as the A2 segment; and the channel the profile
 * elements then use (its counter starts again at one).
 */
function replaceSessionKeys(channel: SecureChannel): { a2: Uint8Array; channel: SecureChannel } {
  const [chaining, enc, mac] = [0, 1, 2].map(() => crypto.getRandomValues(new Uint8Array(keyLength)));
  const request = encodeTlv({
    tag: es10bTags.replaceSessionKeys,
    children: [
      { tag: 0x80, value: chaining! },
      { tag: 0x81, value: enc! },
      { tag: 0x82, value: mac! },
    ],
  });
  return { a2: wrap(0xa2, wrap(0x87, channel.protect(0x87, request, true))), channel: new SecureChannel({ enc: enc!, mac: mac!, chaining: chaining! }) };
}

function chunks(bytes: Uint8Array): Uint8Array[] {
  // (the MAC and padding add up to 24 bytes to each part)
  const size = segmentSize - 32;
  return Array.from({ length: Math.max(1, Math.ceil(bytes.length / size)) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
}
