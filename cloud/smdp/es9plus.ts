import { randomBytes, randomUUID } from 'node:crypto';
import {
  isRetryable,
  type AuthenticateServerResponse,
  type BoundProfilePackage,
  type CancelReason,
  type PendingNotification,
  type PrepareDownloadResponse,
  type ProfileMetadata,
  type ServerSigned1,
  type SmdpSigned2,
} from '../../shared/esim';
import { signJson, verifyJson, type SigningKey } from '../../shared/esimSigning';
import type { Carrier } from '../carrier/carrier';
import { benchOwner, type Order, type Orders } from './orders';

/** An ES9+ failure with SGP.22's subject and reason codes (for example 8.2.6 / 3.8). */
export class Es9Error extends Error {
  constructor(readonly subjectCode: string, readonly reasonCode: string, message: string) {
    super(message);
  }
}

const codes = {
  unknownTransaction: ['8.10.1', '3.9', 'unknown transaction id'],
  badSignature: ['8.1', '6.1', 'the eUICC signature is not valid'],
  matchingIdRefused: ['8.2.6', '3.8', 'MatchingID refused'],
  eidMismatch: ['8.1.1', '3.8', 'EID does not match the order'],
  orderExpired: ['8.8.5', '4.1', 'the order has expired'],
  alreadyInstalled: ['8.2.6', '3.3', 'the profile is already installed'],
  sessionOpen: ['8.2.6', '3.8', 'the order is bound to a download session that is still open'],
} as const;

/** How long a bound download session holds its order without a result or a cancel. */
const sessionTimeoutMs = 15 * 60_000;
function fail(what: keyof typeof codes): never {
  const [subject, reason, message] = codes[what];
  throw new Es9Error(subject, reason, message);
}

interface Transaction {
  id: string;
  euiccChallenge: string;
  serverChallenge: string;
  order?: Order;
  euiccCertificate?: string;
  bpp?: BoundProfilePackage;
  /** when the package was bound: the order is held for this session until a result, a cancel, or the timeout */
  boundAt?: number;
  /** when InitiateAuthentication opened it */
  startedAt: number;
  state: 'initiated' | 'authenticated' | 'bound' | 'cancelled';
}

/**
 * The SM-DP+ (SGP.22 ES9+): authenticates the eUICC, hands out the order's profile bound to the
 * eUICC's one-time key, and learns the result from its notifications. Every call names its
 * transaction; asking again for the same package gives the same package, so the LPA can retry.
 */
export class Smdp {
  private readonly transactions = new Map<string, Transaction>();

  constructor(
    private readonly key: SigningKey,
    readonly address: () => string,
    private readonly orders: Orders,
    private readonly carrier: Carrier,
    private readonly now: () => number,
  ) {}

  /** Transactions past the session timeout are forgotten (a new session starts from the beginning). */
  private sweep(): void {
    const now = this.now();
    for (const [id, t] of this.transactions) if (now - (t.boundAt ?? t.startedAt) >= sessionTimeoutMs) this.transactions.delete(id);
  }

  /** How many transactions the SM-DP+ holds (for tests of its bounds). */
  get openTransactions(): number {
    return this.transactions.size;
  }

  get certificate(): string {
    return this.key.publicPem;
  }

  async initiateAuthentication(euiccChallenge: string): Promise<{ transactionId: string; serverSigned1: ServerSigned1; serverSignature1: string; serverCertificate: string }> {
    this.sweep();
    const transaction: Transaction = { id: randomUUID(), euiccChallenge, serverChallenge: randomBytes(16).toString('base64'), startedAt: this.now(), state: 'initiated' };
    this.transactions.set(transaction.id, transaction);
    const serverSigned1: ServerSigned1 = { transactionId: transaction.id, euiccChallenge, serverAddress: this.address(), serverChallenge: transaction.serverChallenge };
    return { transactionId: transaction.id, serverSigned1, serverSignature1: await signJson(serverSigned1, this.key), serverCertificate: this.key.publicPem };
  }

  async authenticateClient(transactionId: string, response: AuthenticateServerResponse): Promise<{ transactionId: string; profileMetadata: ProfileMetadata; smdpSigned2: SmdpSigned2; smdpSignature2: string }> {
    const transaction = this.transaction(transactionId);
    const signed = response.euiccSigned1;
    if (!(await verifyJson(signed, response.euiccSignature1, response.euiccCertificate))) fail('badSignature');
    if (signed.transactionId !== transactionId || signed.serverChallenge !== transaction.serverChallenge) fail('badSignature');
    const order = this.orders.get(signed.matchingId);
    if (!order || order.state === 'error' || order.state === 'deleted') fail('matchingIdRefused');
    if (order.eid === '' && order.accountId === benchOwner) order.eid = signed.eid; // (a bench order goes to the first eUICC that asks)
    if (order.eid !== signed.eid) fail('eidMismatch');
    if (order.state === 'installed') fail('alreadyInstalled');
    if (this.now() >= order.expiresAt) fail('orderExpired');
    // A package already bound to another session: that session must end first (its LPA cancels it).
    if (order.state === 'downloaded' && [...this.transactions.values()].some((t) => t !== transaction && t.order === order && t.state === 'bound' && this.now() - (t.boundAt ?? 0) < sessionTimeoutMs)) fail('sessionOpen');
    transaction.order = order;
    transaction.euiccCertificate = response.euiccCertificate;
    transaction.state = 'authenticated';
    const smdpSigned2: SmdpSigned2 = { transactionId, ccRequiredFlag: false };
    return { transactionId, profileMetadata: order.metadata, smdpSigned2, smdpSignature2: await signJson(smdpSigned2, this.key) };
  }

  async getBoundProfilePackage(transactionId: string, response: PrepareDownloadResponse): Promise<{ transactionId: string; boundProfilePackage: BoundProfilePackage }> {
    const transaction = this.transaction(transactionId);
    if (!transaction.order || !transaction.euiccCertificate) fail('unknownTransaction');
    if (!(await verifyJson(response.euiccSigned2, response.euiccSignature2, transaction.euiccCertificate))) fail('badSignature');
    if (response.euiccSigned2.transactionId !== transactionId) fail('badSignature');
    // The same request again (a lost answer) gets the same package.
    if (transaction.bpp?.euiccOtpk === response.euiccSigned2.euiccOtpk) return { transactionId, boundProfilePackage: transaction.bpp };
    const unsigned = {
      transactionId,
      euiccOtpk: response.euiccSigned2.euiccOtpk,
      metadata: transaction.order.metadata,
      segments: Array.from({ length: 8 }, (_, i) => `PE-${i}-${randomBytes(48).toString('base64')}`),
    };
    transaction.bpp = { ...unsigned, signature: await signJson(unsigned, this.key) };
    transaction.state = 'bound';
    transaction.boundAt = this.now();
    transaction.order.state = 'downloaded';
    return { transactionId, boundProfilePackage: transaction.bpp };
  }

  /** ES9+ HandleNotification: the eUICC's word on what happened. Idempotent; unknown ICCIDs are ignored. */
  handleNotification(notification: PendingNotification): void {
    const order = this.orders.byIccid(notification.iccid);
    if (!order) return;
    if (notification.event === 'install' && notification.result) {
      if ('iccid' in notification.result) {
        order.state = 'installed';
        if (order.accountId !== benchOwner) this.carrier.attach(order.accountId, order.eid);
      } else if (order.state !== 'installed') {
        // A retryable failure (an interruption) leaves the order released for the next attempt.
        order.state = isRetryable(notification.result.errorReason) ? 'released' : 'error';
      }
    }
    if (notification.event === 'delete') {
      order.state = 'deleted';
      if (order.accountId !== benchOwner) this.carrier.detach(order.accountId, order.eid);
    }
  }

  /** ES9+ CancelSession: the download is abandoned; the order stays for the next attempt. */
  cancelSession(transactionId: string, _reason: CancelReason): void {
    const transaction = this.transactions.get(transactionId);
    if (!transaction) return;
    transaction.state = 'cancelled';
    if (transaction.order?.state === 'downloaded') transaction.order.state = 'released';
  }

  private transaction(id: string): Transaction {
    const transaction = this.transactions.get(id);
    if (!transaction || transaction.state === 'cancelled') fail('unknownTransaction');
    return transaction;
  }
}
