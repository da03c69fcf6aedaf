import { randomBytes, randomInt } from 'node:crypto';
import { OAuthError } from './errors';

/** What the car sees when it asks for a code (RFC 8628 §3.2). */
export interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/** One login request: which car asks, and what the driver decided on the phone. */
export interface DeviceGrant {
  deviceCode: string;
  userCode: string;
  clientId: string;
  vehicleName: string;
  createdAt: number;
  expiresAt: number;
  interval: number;
  lastPollAt: number | null;
  decision: { kind: 'approved'; accountId: string } | { kind: 'denied' } | null;
  /** a device code is good for one set of tokens */
  redeemed: boolean;
}

/** User codes avoid letters that read alike (RFC 8628 §6.1): BCDFGHJKLMNPQRSTVWXZ, as XXXX-XXXX. */
const userCodeAlphabet = 'BCDFGHJKLMNPQRSTVWXZ';

export interface DeviceFlowOptions {
  lifetimeSeconds: number;
  intervalSeconds: number;
  /** how long a pending poll is held open for the phone's decision (0: answered at once) */
  holdSeconds: number;
  now: () => number;
}

/** The device authorization grant's state (RFC 8628): codes, polling, and the phone's decision. */
export class DeviceFlow {
  private readonly byDeviceCode = new Map<string, DeviceGrant>();
  private readonly byUserCode = new Map<string, DeviceGrant>();
  /** polls held open, by device code: each is let go when the phone decides */
  private readonly held = new Map<string, Set<() => void>>();

  constructor(private readonly options: DeviceFlowOptions) {}

  start(clientId: string, vehicleName: string, verificationUri: string): DeviceAuthorization {
    this.sweep();
    const now = this.options.now();
    const grant: DeviceGrant = {
      deviceCode: randomBytes(32).toString('base64url'),
      userCode: this.newUserCode(),
      clientId,
      vehicleName,
      createdAt: now,
      expiresAt: now + this.options.lifetimeSeconds * 1000,
      interval: this.options.intervalSeconds,
      lastPollAt: null,
      decision: null,
      redeemed: false,
    };
    this.byDeviceCode.set(grant.deviceCode, grant);
    this.byUserCode.set(grant.userCode, grant);
    const complete = new URL(verificationUri);
    complete.searchParams.set('user_code', grant.userCode);
    return {
      device_code: grant.deviceCode,
      user_code: grant.userCode,
      verification_uri: verificationUri,
      verification_uri_complete: complete.href,
      expires_in: this.options.lifetimeSeconds,
      interval: grant.interval,
    };
  }

  /** The phone page's view of a code: the grant while it can still be decided, else why not. */
  lookup(userCode: string): DeviceGrant | 'unknown' | 'expired' | 'decided' {
    const grant = this.byUserCode.get(normaliseUserCode(userCode));
    if (!grant) return 'unknown';
    if (this.options.now() >= grant.expiresAt) return 'expired';
    if (grant.decision) return 'decided';
    return grant;
  }

  decide(userCode: string, decision: DeviceGrant['decision']): DeviceGrant | 'unknown' | 'expired' | 'decided' {
    const grant = this.lookup(userCode);
    if (typeof grant === 'string') return grant;
    grant.decision = decision;
    this.release(grant.deviceCode);
    return grant;
  }

  /**
   * Holds a poll that would only hear `authorization_pending` until the phone decides, for at most
   * `holdSeconds` (and never past the code's expiry), so that the car leaves the QR code the moment
   * the driver approves (guide step ④). The car still waits its interval between polls, counted from
   * each answer, so RFC 8628 §3.5's rules hold; a poll that comes too soon is not held and hears
   * `slow_down`. Resolves at once for anything `poll` answers otherwise.
   */
  async awaitDecision(deviceCode: string, clientId: string): Promise<void> {
    const grant = this.byDeviceCode.get(deviceCode);
    const now = this.options.now();
    if (!grant || grant.clientId !== clientId || grant.redeemed || grant.decision || now >= grant.expiresAt || this.tooSoon(grant, now)) return;
    const ms = Math.min(this.options.holdSeconds * 1000, grant.expiresAt - now);
    if (ms <= 0) return;
    await new Promise<void>((resolve) => {
      const waiters = this.held.get(deviceCode) ?? new Set();
      this.held.set(deviceCode, waiters);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0) this.held.delete(deviceCode);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waiters.add(done);
    });
  }

  /** Lets every held poll go (the cloud closes, or its world is replaced). */
  releaseAll(): void {
    for (const deviceCode of [...this.held.keys()]) this.release(deviceCode);
  }

  private release(deviceCode: string): void {
    for (const done of [...(this.held.get(deviceCode) ?? [])]) done();
  }

  private tooSoon(grant: DeviceGrant, now: number): boolean {
    return grant.lastPollAt !== null && now - grant.lastPollAt < grant.interval * 1000 - 250;
  }

  /**
   * The car polls (RFC 8628 §3.4–3.5): pending until the phone decides, `slow_down` (and 5 s more
   * interval) when it polls faster than its interval, then the account once, or the refusal.
   */
  poll(deviceCode: string, clientId: string): { accountId: string } {
    const grant = this.byDeviceCode.get(deviceCode);
    if (!grant || grant.clientId !== clientId || grant.redeemed) throw new OAuthError('invalid_grant', 'unknown or used device_code');
    const now = this.options.now();
    if (now >= grant.expiresAt) throw new OAuthError('expired_token', 'the code expired: ask for a new one');
    const tooSoon = this.tooSoon(grant, now);
    // (counted from the answer: a held poll's interval starts when it is let go)
    grant.lastPollAt = now;
    if (grant.decision?.kind === 'denied') throw new OAuthError('access_denied', 'the login was denied on the phone');
    if (grant.decision?.kind === 'approved') {
      grant.redeemed = true;
      return { accountId: grant.decision.accountId };
    }
    if (tooSoon) {
      grant.interval += 5;
      throw new OAuthError('slow_down', `poll at most every ${grant.interval} s`);
    }
    throw new OAuthError('authorization_pending', 'waiting for the driver to approve on the phone');
  }

  private newUserCode(): string {
    for (;;) {
      const chars = Array.from({ length: 8 }, () => userCodeAlphabet[randomInt(userCodeAlphabet.length)]).join('');
      const code = `${chars.slice(0, 4)}-${chars.slice(4)}`;
      if (!this.byUserCode.has(code)) return code;
    }
  }

  /** Forget grants long past their expiry, so a long-running cloud does not grow. */
  private sweep(): void {
    const cutoff = this.options.now() - 3600_000;
    for (const grant of this.byDeviceCode.values()) {
      if (grant.expiresAt < cutoff) {
        this.byDeviceCode.delete(grant.deviceCode);
        this.byUserCode.delete(grant.userCode);
      }
    }
  }
}

/** Users type codes in any case, with or without the dash. */
export function normaliseUserCode(input: string): string {
  const letters = input.toUpperCase().replace(/[^A-Z]/g, '');
  return letters.length === 8 ? `${letters.slice(0, 4)}-${letters.slice(4)}` : input;
}
