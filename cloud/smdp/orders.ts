import { randomBytes, randomInt } from 'node:crypto';
import type { ProfileMetadata } from '../../shared/esim';

/** An SM-DP+ order: one Personal eSIM for one car, from release to installed (or an error). */
export interface Order {
  matchingId: string;
  accountId: string;
  eid: string;
  msisdn: string;
  metadata: ProfileMetadata;
  state: 'released' | 'downloaded' | 'installed' | 'error' | 'deleted';
  expiresAt: number;
  /** the keys the profile elements are protected with: the session's (the default) or profile protection keys (§2.5.4) */
  protection?: 'session' | 'ppk';
}

/** ICCIDs of the simulated operator: 89 81 10 (telecom, Japan, DOCOMO), 12 digits, Luhn check digit. */
export function newIccid(): string {
  const body = `898110${Array.from({ length: 12 }, () => randomInt(10)).join('')}`;
  return body + luhn(body);
}

/** The IMSI of a simulated profile: NTT DOCOMO's MCC and MNC (440 10), then the ICCID's ten digits before its check digit. */
export function imsiFor(iccid: string): string {
  return `44010${iccid.slice(-11, -1)}`;
}

function luhn(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d *= 2;
    sum += d > 9 ? d - 9 : d;
  }
  return (10 - (sum % 10)) % 10;
}

/** The owner of orders a bench makes through the admin endpoint, for any LPA: no BMW ID, no carrier line. */
export const benchOwner = '(bench)';

/** Orders by MatchingID; one live order per BMW ID and car, so asking twice gives the same one. */
export class Orders {
  private readonly byMatchingId = new Map<string, Order>();

  constructor(
    private readonly now: () => number,
    private readonly lifetimeMs = 7 * 24 * 3600_000,
  ) {}

  /** The car's order for this line, released anew if the last one ended in an error or was deleted. */
  release(accountId: string, eid: string, msisdn: string): Order {
    const existing = this.find(accountId, eid);
    if (existing) {
      if (existing.state !== 'installed' && this.now() >= existing.expiresAt) existing.expiresAt = this.now() + this.lifetimeMs;
      return existing;
    }
    const order: Order = {
      matchingId: randomBytes(12).toString('hex').toUpperCase(),
      accountId,
      eid,
      msisdn,
      metadata: {
        iccid: newIccid(),
        serviceProviderName: 'NTT DOCOMO',
        profileName: 'One Number',
        profileClass: 'operational',
        profileOwner: { mccMnc: '44010' },
        size: 30_000,
      },
      state: 'released',
      expiresAt: this.now() + this.lifetimeMs,
    };
    this.byMatchingId.set(order.matchingId, order);
    return order;
  }

  /**
   * An order for any LPA (lpac, a phone, a team's tool): bound to `eid` if given, otherwise to the
   * first eUICC that authenticates with its MatchingID. Not on a carrier line.
   */
  releaseForBench(eid: string | null, msisdn = '+81 90-0000-0000', protection: Order['protection'] = 'session'): Order {
    const order: Order = {
      matchingId: randomBytes(12).toString('hex').toUpperCase(),
      accountId: benchOwner,
      eid: eid ?? '',
      msisdn,
      metadata: {
        iccid: newIccid(),
        serviceProviderName: 'NTT DOCOMO',
        profileName: 'Bench profile',
        profileClass: 'operational',
        profileOwner: { mccMnc: '44010' },
        size: 30_000,
      },
      state: 'released',
      expiresAt: this.now() + this.lifetimeMs,
      ...(protection === 'ppk' ? { protection } : {}),
    };
    this.byMatchingId.set(order.matchingId, order);
    return order;
  }

  /** The car's current order for this line (none, or none left after an error or a deletion). */
  find(accountId: string, eid: string): Order | undefined {
    return [...this.byMatchingId.values()].find((o) => o.accountId === accountId && o.eid === eid && o.state !== 'error' && o.state !== 'deleted');
  }

  get(matchingId: string): Order | undefined {
    return this.byMatchingId.get(matchingId);
  }

  byIccid(iccid: string): Order | undefined {
    return [...this.byMatchingId.values()].find((o) => o.metadata.iccid === iccid);
  }

  /** Admin: make an order expire now (to show the car's way forward). */
  expire(matchingId: string): void {
    const order = this.byMatchingId.get(matchingId);
    if (order) order.expiresAt = this.now();
  }

  all(): Order[] {
    return [...this.byMatchingId.values()];
  }

  restore(orders: Order[]): void {
    for (const order of orders) this.byMatchingId.set(order.matchingId, order);
  }
}
