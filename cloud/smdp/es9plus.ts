import { randomBytes } from 'node:crypto';
import { Es9Error } from './errors';
import {
  decodeEuiccInfo1,
  readAuthenticateResponse,
  readCancelSessionResponse,
  readCtxParams1,
  readEuiccSigned1,
  readEuiccSigned2,
  readPrepareDownloadResponse,
  serverSigned1,
  signatureElement,
  signatureOf,
  smdpSigned2,
} from '../../shared/es10/es10b';
import { storeMetadata } from '../../shared/es10/metadata';
import { readInstallationResult, readOtherSignedNotification } from '../../shared/es10/notifications';
import { hex, toHex } from '../../shared/es10/es10c';
import { concat, decodeTlv, derOf, encodeTlv, TlvError } from '../../shared/es10/tlv';
import { isRetryable, profileClasses, type ErrorReason } from '../../shared/esim';
import { sign, subjectKeyId, verify, verifyChain, type Identity } from '../../shared/rsp/pki';
import type * as x509 from '../../shared/rsp/x509';
import type { Carrier } from '../carrier/carrier';
import { bindProfilePackage } from './bind';
import { benchOwner, type Order, type Orders } from './orders';
import { makeProfile } from '../../shared/saip/profilePackage';
import { imsiFor } from './orders';

/** The statusCodeData this SM-DP+ answers with (SGP.22 §5.6.1–5.6.6). */
const codes = {
  unknownTransaction: ['8.10.1', '3.9', 'unknown transaction id'],
  badAddress: ['8.8.1', '3.8', 'invalid SM-DP+ address'],
  noCommonCi: ['8.8.2', '3.1', 'none of the CI public keys the eUICC supports is known to this SM-DP+'],
  badRequest: ['1.2', '2.1', 'the request is not what ES9+ expects'],
  euiccCertificate: ['8.1.3', '6.1', 'the eUICC certificate does not lead to the CI'],
  eumCertificate: ['8.1.2', '6.1', 'the EUM certificate does not lead to the CI'],
  badSignature: ['8.1', '6.1', 'the eUICC signature is not valid'],
  euiccRefused: ['8.1', '3.8', 'the eUICC refused the SM-DP+'],
  matchingIdRefused: ['8.2.6', '3.8', 'MatchingID refused'],
  eidMismatch: ['8.1.1', '3.8', 'EID does not match the order'],
  orderExpired: ['8.8.5', '4.1', 'the order has expired'],
  alreadyInstalled: ['8.2.6', '3.3', 'the profile is already installed'],
  sessionOpen: ['8.2.6', '3.8', 'the order is bound to a download session that is still open'],
  alreadyBound: ['8.2.7', '3.8', 'the package of this session is bound to another one-time key'],
} as const;
function fail(what: keyof typeof codes): never {
  const [subject, reason, message] = codes[what];
  throw new Es9Error(subject, reason, message);
}

/** How long a bound download session holds its order without a result or a cancel. */
const sessionTimeoutMs = 15 * 60_000;
/** How long an InitiateAuthentication waits for its AuthenticateClient; and how many may wait at once. */
const authenticationTimeoutMs = 5 * 60_000;
const maxTransactions = 2000;

interface Transaction {
  id: string;
  euiccChallenge: Uint8Array;
  serverChallenge: Uint8Array;
  order?: Order;
  euiccCertificate?: x509.X509Certificate;
  eid?: string;
  /** the '5F37' element of smdpSignature2, which euiccSignature2 covers */
  smdpSignature2?: Uint8Array;
  bpp?: { otpk: string; bytes: Uint8Array };
  /** when the package was bound: the order is held for this session until a result, a cancel, or the timeout */
  boundAt?: number;
  startedAt: number;
  state: 'initiated' | 'authenticated' | 'bound' | 'cancelled';
}

export interface SmdpIdentities {
  /** CERT.DPauth: signs serverSigned1 */
  dpAuth: Identity;
  /** CERT.DPpb: signs smdpSigned2 and the package */
  dpPb: Identity;
  /** the CI both chains lead to */
  ci: x509.X509Certificate;
}

/**
 * The SM-DP+ (SGP.22 §5.6, ES9+; the package per ES8+): authenticates the eUICC by its certificate
 * chain to the EUM and the CI and its signatures, hands out the order's profile bound to the
 * eUICC's one-time key and protected with SCP03t, and learns the result from the eUICC's signed
 * notifications. Each server challenge and each transaction is used once; unfinished transactions
 * expire. Asking again for the same package (a lost answer) gives the same package.
 */
export class Smdp {
  private readonly transactions = new Map<string, Transaction>();
  constructor(
    private readonly identities: SmdpIdentities,
    readonly address: () => string,
    private readonly orders: Orders,
    private readonly carrier: Carrier,
    private readonly now: () => number,
  ) {}

  /** Transactions past their timeout are forgotten (a new session starts from the beginning); the oldest go first when too many wait. */
  private sweep(): void {
    const now = this.now();
    for (const [id, t] of this.transactions) {
      const limit = t.state === 'initiated' ? authenticationTimeoutMs : sessionTimeoutMs;
      if (now - (t.boundAt ?? t.startedAt) >= limit) this.transactions.delete(id);
    }
    for (const id of this.transactions.keys()) {
      if (this.transactions.size < maxTransactions) break;
      this.transactions.delete(id);
    }
  }

  /** How many transactions the SM-DP+ holds (for tests of its bounds). */
  get openTransactions(): number {
    return this.transactions.size;
  }

  /** ES9+ InitiateAuthentication (§5.6.1): base64 fields in and out, as the JSON binding carries them. */
  async initiateAuthentication(request: { euiccChallenge: string; euiccInfo1: string; smdpAddress: string }) {
    const challenge = read(() => decodeBase64(request.euiccChallenge));
    const info = read(() => decodeEuiccInfo1(decodeBase64(request.euiccInfo1)));
    if (challenge.length !== 16) fail('badRequest');
    if (request.smdpAddress.toLowerCase() !== this.address().toLowerCase()) fail('badAddress');
    const ciKeyId = subjectKeyId(this.identities.ci);
    if (!info.ciPkIdsForVerification.some((id) => toHex(id) === toHex(ciKeyId))) fail('noCommonCi');
    this.sweep();
    const transaction: Transaction = {
      id: toHex(randomBytes(16)),
      euiccChallenge: challenge,
      serverChallenge: randomBytes(16),
      startedAt: this.now(),
      state: 'initiated',
    };
    this.transactions.set(transaction.id, transaction);
    const signed = encodeTlv(
      serverSigned1({
        transactionId: hex(transaction.id),
        euiccChallenge: challenge,
        serverAddress: this.address(),
        serverChallenge: transaction.serverChallenge,
      }),
    );
    return {
      transactionId: transaction.id,
      serverSigned1: base64(signed),
      serverSignature1: base64(encodeTlv(signatureElement(await sign(signed, this.identities.dpAuth.privateKey)))),
      euiccCiPKIdToBeUsed: base64(encodeTlv({ tag: 0x04, value: ciKeyId })),
      serverCertificate: base64(this.identities.dpAuth.der),
    };
  }

  /** ES9+ AuthenticateClient (§5.6.2): the eUICC proves who it is; the order's metadata and smdpSigned2 go back. */
  async authenticateClient(request: { transactionId: string; authenticateServerResponse: string }) {
    const transaction = this.transaction(request.transactionId, 'initiated');
    const answer = read(() => readAuthenticateResponse(decodeTlv(decodeBase64(request.authenticateServerResponse))));
    if ('error' in answer) {
      this.transactions.delete(transaction.id);
      fail('euiccRefused');
    }
    const { euiccSigned1: signedTlv, euiccSignature1, euiccCertificate, eumCertificate } = answer.ok;
    if (!(await verifyChain([derOf(eumCertificate)], this.identities.ci, 'eum'))) fail('eumCertificate');
    const certificate = await verifyChain([derOf(euiccCertificate), derOf(eumCertificate)], this.identities.ci, 'euicc');
    if (!certificate) fail('euiccCertificate');
    if (
      !(await verify(
        derOf(signedTlv),
        read(() => signatureOf(euiccSignature1)),
        certificate,
      ))
    )
      fail('badSignature');
    const signed = read(() => readEuiccSigned1(signedTlv));
    if (toHex(signed.transactionId) !== transaction.id || toHex(signed.serverChallenge) !== toHex(transaction.serverChallenge)) fail('badSignature');
    // The server challenge is spent: a replay of this answer finds no transaction waiting for one.
    transaction.state = 'authenticated';
    const eid = eidOf(certificate);
    const order = this.orders.get(read(() => readCtxParams1(signed.ctxParams1)).matchingId ?? '');
    if (!order || order.state === 'error' || order.state === 'deleted') fail('matchingIdRefused');
    if (order.eid === '' && order.accountId === benchOwner) order.eid = eid; // (a bench order goes to the first eUICC that asks)
    if (order.eid !== eid) fail('eidMismatch');
    if (order.state === 'installed') fail('alreadyInstalled');
    if (this.now() >= order.expiresAt) fail('orderExpired');
    // A package already bound to another session: that session must end first (its LPA cancels it).
    if (
      order.state === 'downloaded' &&
      [...this.transactions.values()].some(
        (t) => t !== transaction && t.order === order && t.state === 'bound' && this.now() - (t.boundAt ?? 0) < sessionTimeoutMs,
      )
    )
      fail('sessionOpen');
    Object.assign(transaction, { order, euiccCertificate: certificate, eid });
    const smdpSigned = encodeTlv(smdpSigned2({ transactionId: hex(transaction.id), ccRequiredFlag: false }));
    const signature = encodeTlv(signatureElement(await sign(concat([smdpSigned, derOf(euiccSignature1)]), this.identities.dpPb.privateKey)));
    transaction.smdpSignature2 = signature;
    return {
      transactionId: transaction.id,
      profileMetadata: base64(encodeTlv(storeMetadata(metadataOf(order)))),
      smdpSigned2: base64(smdpSigned),
      smdpSignature2: base64(signature),
      smdpCertificate: base64(this.identities.dpPb.der),
    };
  }

  /** ES9+ GetBoundProfilePackage (§5.6.3): the profile bound to the one-time key the eUICC signed. */
  async getBoundProfilePackage(request: { transactionId: string; prepareDownloadResponse: string }) {
    const transaction = this.transaction(request.transactionId, 'authenticated', 'bound');
    const answer = read(() => readPrepareDownloadResponse(decodeTlv(decodeBase64(request.prepareDownloadResponse))));
    if ('error' in answer) fail('euiccRefused');
    if (
      !(await verify(
        concat([derOf(answer.ok.euiccSigned2), transaction.smdpSignature2!]),
        read(() => signatureOf(answer.ok.euiccSignature2)),
        transaction.euiccCertificate!,
      ))
    )
      fail('badSignature');
    const signed = read(() => readEuiccSigned2(answer.ok.euiccSigned2));
    if (toHex(signed.transactionId) !== transaction.id) fail('badSignature');
    const otpk = toHex(signed.euiccOtpk);
    if (transaction.bpp) {
      // The same request again (a lost answer) gets the same package; a new one-time key does not get a second.
      if (transaction.bpp.otpk === otpk) return { transactionId: transaction.id, boundProfilePackage: base64(transaction.bpp.bytes) };
      fail('alreadyBound');
    }
    const order = transaction.order!;
    const bytes = await bindProfilePackage({
      transactionId: signed.transactionId,
      euiccOtpk: signed.euiccOtpk,
      eid: hex(transaction.eid!),
      ppk: order.protection === 'ppk',
      metadata: metadataOf(order),
      profile: makeProfile({ ...order.metadata, imsi: imsiFor(order.metadata.iccid) }),
      dpPb: this.identities.dpPb,
    }).catch(() => fail('badRequest'));
    transaction.bpp = { otpk, bytes };
    transaction.state = 'bound';
    transaction.boundAt = this.now();
    order.state = 'downloaded';
    return { transactionId: transaction.id, boundProfilePackage: base64(bytes) };
  }

  /**
   * ES9+ HandleNotification (§5.6.4): the eUICC's signed word on what happened. An install result
   * is checked with the certificate of its session; other notifications carry their chain, checked
   * to the CI, and count only for an order of the same EID. Anything unsigned, unknown or already
   * known changes nothing (the answer is the same, as SGP.22 wants).
   */
  async handleNotification(request: { pendingNotification: string }): Promise<void> {
    const tlv = read(() => decodeTlv(decodeBase64(request.pendingNotification)));
    if (tlv.tag === 0xbf37) {
      const { data, transactionId, metadata, result, signature } = read(() => readInstallationResult(tlv));
      const transaction = this.transactions.get(toHex(transactionId));
      const order = transaction?.order;
      if (!transaction?.euiccCertificate || !order) return;
      // (an installed profile must be the order's; a failure may name none)
      if (result.ok && metadata.iccid !== order.metadata.iccid) return;
      if (!(await verify(derOf(data), signature, transaction.euiccCertificate))) return;
      if (result.ok) {
        order.state = 'installed';
        if (order.accountId !== benchOwner) this.carrier.attach(order.accountId, order.eid);
      } else if (order.state !== 'installed') {
        // A retryable failure (an interruption) leaves the order released for the next attempt.
        order.state = isRetryable(result.errorReason as ErrorReason) ? 'released' : 'error';
      }
      this.transactions.delete(transaction.id);
      return;
    }
    const notification = read(() => readOtherSignedNotification(tlv));
    const certificate = await verifyChain([derOf(notification.euiccCertificate), derOf(notification.eumCertificate)], this.identities.ci, 'euicc');
    if (!certificate || !(await verify(derOf(notification.tbs), notification.signature, certificate))) return;
    const order = this.orders.byIccid(notification.metadata.iccid);
    if (!order || order.eid !== eidOf(certificate)) return;
    if (notification.metadata.event === 'delete') {
      order.state = 'deleted';
      if (order.accountId !== benchOwner) this.carrier.detach(order.accountId, order.eid);
    }
  }

  /**
   * ES9+ CancelSession (§5.6.5): the download is abandoned and the order stays for the next attempt.
   * The eUICC's signed answer is checked with its session's certificate; its error answer (it has
   * no such session any more: a reset) is taken as it is, since the transaction id is the LPA's secret.
   */
  async cancelSession(request: { transactionId: string; cancelSessionResponse: string }): Promise<void> {
    const transaction = this.transaction(request.transactionId, 'initiated', 'authenticated', 'bound');
    const answer = read(() => readCancelSessionResponse(decodeTlv(decodeBase64(request.cancelSessionResponse))));
    if ('ok' in answer) {
      const certificate = transaction.euiccCertificate;
      if (
        certificate &&
        !(await verify(
          derOf(answer.ok.signed),
          read(() => signatureOf(answer.ok.signature)),
          certificate,
        ))
      )
        fail('badSignature');
      const id = answer.ok.signed.children?.find((c) => c.tag === 0x80)?.value;
      if (!id || toHex(id) !== transaction.id) fail('badSignature');
    }
    transaction.state = 'cancelled';
    if (transaction.order?.state === 'downloaded') transaction.order.state = 'released';
  }

  private transaction(id: string, ...states: Transaction['state'][]): Transaction {
    this.sweep();
    const transaction = this.transactions.get(id.toUpperCase());
    if (!transaction || !states.includes(transaction.state)) fail('unknownTransaction');
    return transaction;
  }
}

/** The order's profile metadata as StoreMetadataRequest carries it. */
function metadataOf(order: Order) {
  const m = order.metadata;
  return {
    iccid: m.iccid,
    serviceProviderName: m.serviceProviderName,
    profileName: m.profileName,
    profileClass: profileClasses.indexOf(m.profileClass),
    mccMnc: m.profileOwner?.mccMnc ?? null,
  };
}

/** The EID an eUICC certificate names (its subject's serialNumber, SGP.22 §4.5.2.1.0.2). */
function eidOf(certificate: x509.X509Certificate): string {
  return certificate.subjectName.getField('2.5.4.5')[0] ?? '';
}

/** Parses a field of the request; anything malformed is SGP.22's 1.2 / 2.1. */
function read<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof TlvError || error instanceof SyntaxError || error instanceof RangeError) fail('badRequest');
    throw error;
  }
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
function decodeBase64(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/\s]*={0,2}$/.test(text)) throw new TlvError('not base64');
  return new Uint8Array(Buffer.from(text, 'base64'));
}
