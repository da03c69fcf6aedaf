import { bppCommands, es10bTags, otpkTag, signatureTag } from '../../../shared/es10/es10b';
import { readStoreMetadata, type StoreMetadata } from '../../../shared/es10/metadata';
import { child, concat, decodeTlv, derOf, encodeTlv, fromInteger, TlvError, type Tlv } from '../../../shared/es10/tlv';
import { readProfilePackage } from '../../../shared/saip/profilePackage';
import { errorReasons, type ErrorReason } from '../../../shared/esim';
import type { CryptoKey } from '../../../shared/rsp/pki';
import { agree, keyLength, keyType, SecureChannel, sessionKeys } from '../../../shared/rsp/scp03t';
import type * as x509 from '../../../shared/rsp/x509';

/** What PrepareDownload left for the load: the session's keys and what the package must be bound to. */
export interface BindingSession {
  transactionId: Uint8Array;
  eid: Uint8Array;
  otSk: CryptoKey;
  /** the eUICC's one-time public key (65 bytes), which the SM-DP+'s smdpSign covers ('5F49', §5.5.1) */
  euiccOtpk: Uint8Array;
  /** CERT.DPpb, which signs the InitialiseSecureChannelRequest */
  dpPb: x509.X509Certificate;
}

export type LoadStep =
  | { kind: 'more' }
  /** the last segment arrived: the profile elements and the metadata, ready to install */
  | { kind: 'complete'; metadata: StoreMetadata; profile: Uint8Array; segments: number; imsi: string | null }
  | { kind: 'failed'; bppCommandId: number; errorReason: ErrorReason };

/**
 * The eUICC's side of LoadBoundProfilePackage (SGP.22 §5.7.6), one STORE DATA segment at a time as
 * an LPA splits the package (§2.5.5): BF36's header with InitialiseSecureChannel (BF23), the '87'
 * ConfigureISDP segments (A0), A1's header then each '88' of StoreMetadata, A2 with
 * ReplaceSessionKeys when the SM-DP+ uses profile protection keys (§2.5.4), A3's header then each
 * '86' of the profile elements. The BF23 signature is checked with CERT.DPpb, the session keys
 * agreed, and every segment's MAC checked before it is decrypted; the first fault ends the load
 * with its bppCommandId and errorReason (nothing is installed by this class).
 */
export class BppLoader {
  private stage: 'start' | 'configure' | 'metadataHeader' | 'metadata' | 'keys' | 'elementsHeader' | 'elements' = 'start';
  private channel: SecureChannel | null = null;
  private readonly metadataParts: Uint8Array[] = [];
  /** the package's metadata, once its '88' segments are in */
  metadata: StoreMetadata | null = null;
  private readonly elements: Uint8Array[] = [];
  private remaining = 0;
  /** '86' segments taken so far */
  segments = 0;

  constructor(private readonly session: BindingSession | null) {}

  /** One segment; throws TlvError for bytes that are no segment at all (the card answers 6A80). */
  async take(segment: Uint8Array): Promise<LoadStep> {
    const { tag, headerLength, length } = header(segment);
    if (this.stage === 'start') {
      if (tag !== es10bTags.boundProfilePackage) throw new TlvError('a package starts with BF36');
      return this.initialise(decodeTlv(segment.subarray(headerLength)));
    }
    if (this.stage === 'configure') {
      if (tag !== 0xa0) return failed(bppCommands.configureIsdp, errorReasons.scp03tStructureError);
      for (const part of decodeTlv(segment).children ?? []) {
        if (part.tag !== 0x87 || !this.channel!.unprotect(0x87, part.value ?? new Uint8Array(0), true))
          return failed(bppCommands.configureIsdp, errorReasons.scp03tSecurityError);
      }
      this.stage = 'metadataHeader';
      return { kind: 'more' };
    }
    if (this.stage === 'metadataHeader') {
      if (tag !== 0xa1 || segment.length !== headerLength) return failed(bppCommands.storeMetadata, errorReasons.scp03tStructureError);
      this.remaining = length;
      this.stage = 'metadata';
      return { kind: 'more' };
    }
    if (this.stage === 'metadata' && this.remaining > 0) {
      const plain = tag === 0x88 ? this.channel!.unprotect(0x88, decodeTlv(segment).value ?? new Uint8Array(0), false) : null;
      if (!plain) return failed(bppCommands.storeMetadata, errorReasons.scp03tSecurityError);
      this.metadataParts.push(plain);
      this.remaining -= segment.length;
      return { kind: 'more' };
    }
    if (this.stage === 'metadata') {
      try {
        this.metadata = readStoreMetadata(decodeTlv(concat(this.metadataParts)));
      } catch {
        return failed(bppCommands.storeMetadata, errorReasons.incorrectInputValues);
      }
      this.stage = 'keys';
    }
    if (this.stage === 'keys' && tag === 0xa2) return this.replaceSessionKeys(segment);
    if (this.stage === 'keys' || this.stage === 'elementsHeader') {
      if (tag !== 0xa3 || segment.length !== headerLength) return failed(bppCommands.loadProfileElements, errorReasons.scp03tStructureError);
      this.remaining = length;
      this.stage = 'elements';
      return { kind: 'more' };
    }
    const plain = tag === 0x86 ? this.channel!.unprotect(0x86, decodeTlv(segment).value ?? new Uint8Array(0), true) : null;
    if (!plain) return failed(bppCommands.loadProfileElements, errorReasons.scp03tSecurityError);
    this.elements.push(plain);
    this.segments += 1;
    this.remaining -= segment.length;
    if (this.remaining > 0) return { kind: 'more' };
    const profile = concat(this.elements);
    const facts = readProfilePackage(profile);
    if (facts.iccid !== this.metadata!.iccid) return failed(bppCommands.loadProfileElements, errorReasons.dataMismatch);
    return { kind: 'complete', metadata: this.metadata!, profile, segments: this.segments, imsi: facts.imsi };
  }

  /**
   * A2 (§5.5.4): one '87' holding ReplaceSessionKeysRequest (BF26: initialMacChainingValue,
   * ppkEnc, ppkCmac), decrypted with the session keys; the profile elements then use the profile
   * protection keys, their counter from one again.
   */
  private replaceSessionKeys(segment: Uint8Array): LoadStep {
    const parts = decodeTlv(segment).children ?? [];
    const plain = parts.length === 1 && parts[0]!.tag === 0x87 ? this.channel!.unprotect(0x87, parts[0]!.value ?? new Uint8Array(0), true) : null;
    if (!plain) return failed(bppCommands.replaceSessionKeys, errorReasons.scp03tSecurityError);
    let request: Tlv;
    try {
      request = decodeTlv(plain);
    } catch {
      return failed(bppCommands.replaceSessionKeys, errorReasons.scp03tStructureError);
    }
    const [chaining, enc, mac] = [0x80, 0x81, 0x82].map((t) => child(request, t)?.value);
    if (request.tag !== es10bTags.replaceSessionKeys || ![chaining, enc, mac].every((key) => key?.length === keyLength)) {
      return failed(bppCommands.replaceSessionKeys, errorReasons.scp03tStructureError);
    }
    this.channel = new SecureChannel({ enc: enc!, mac: mac!, chaining: chaining! });
    this.stage = 'elementsHeader';
    return { kind: 'more' };
  }

  private async initialise(request: Tlv): Promise<LoadStep> {
    const session = this.session;
    const transactionId = child(request, 0x80)?.value;
    if (request.tag !== es10bTags.initialiseSecureChannel || !transactionId)
      return failed(bppCommands.initialiseSecureChannel, errorReasons.incorrectInputValues);
    if (!session || !equal(transactionId, session.transactionId)) return failed(bppCommands.initialiseSecureChannel, errorReasons.invalidTransactionId);
    if (fromInteger(child(request, 0x82)?.value) !== 1) return failed(bppCommands.initialiseSecureChannel, errorReasons.unsupportedRemoteOperationType);
    const crt = child(request, 0xa6);
    const hostId = child(crt ?? { tag: 0 }, 0x84)?.value;
    if (child(crt ?? { tag: 0 }, 0x80)?.value?.[0] !== keyType || child(crt ?? { tag: 0 }, 0x81)?.value?.[0] !== keyLength || !hostId) {
      return failed(bppCommands.initialiseSecureChannel, errorReasons.unsupportedCrtValues);
    }
    const smdpOtpk = child(request, otpkTag)?.value ?? new Uint8Array(0);
    const signed = concat((request.children ?? []).filter((c) => c.tag !== signatureTag).map(derOf));
    const signature = child(request, signatureTag)?.value ?? new Uint8Array(0);
    if (
      !(await (
        await import('../../../shared/rsp/pki')
      ).verify(concat([signed, encodeTlv({ tag: otpkTag, value: session.euiccOtpk })]), signature, session.dpPb))
    )
      return failed(bppCommands.initialiseSecureChannel, errorReasons.invalidSignature);
    const secret = await agree(session.otSk, smdpOtpk);
    if (!secret) return failed(bppCommands.initialiseSecureChannel, errorReasons.scp03tSecurityError);
    this.channel = new SecureChannel(await sessionKeys(secret, hostId, session.eid));
    this.stage = 'configure';
    return { kind: 'more' };
  }
}

function failed(bppCommandId: number, errorReason: ErrorReason): LoadStep {
  return { kind: 'failed', bppCommandId, errorReason };
}

/** A BER element's tag and length from its first bytes, even when the rest has not come (a segment may be a header alone). */
export function header(bytes: Uint8Array): { tag: number; headerLength: number; length: number } {
  let at = 0;
  let tag = bytes[at++] ?? 0;
  if ((tag & 0x1f) === 0x1f) {
    do tag = tag * 256 + (bytes[at] ?? 0);
    while ((bytes[at++]! & 0x80) !== 0 && at < 4);
  }
  const first = bytes[at++];
  if (first === undefined || first === 0x80 || first > 0x83) throw new TlvError('no BER length');
  let length = first;
  if (first & 0x80) {
    length = 0;
    for (let i = 0; i < (first & 0x7f); i++) length = length * 256 + (bytes[at++] ?? 0);
  }
  if (at > bytes.length) throw new TlvError('a truncated header');
  return { tag, headerLength: at, length };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
