import { randomInt } from 'node:crypto';
import { sameSecret } from '../passwords';

/** One text message as the phone shows it. */
export interface Sms {
  from: string;
  text: string;
  /** ms since the epoch */
  at: number;
}

/** How long a security code is good for, and how many wrong tries it takes. */
const codeLifetimeMs = 10 * 60_000;
const codeTries = 3;
/**
 * Per line, as the carrier counts: at most `maxCodesSent` codes in `windowMs` (resends included),
 * and after `maxWrongCodes` wrong codes in that window the line's code login is locked until it passes.
 */
export const codeLimits = { maxCodesSent: 5, maxWrongCodes: 10, windowMs: 30 * 60_000 } as const;

interface PendingCode {
  code: string;
  expiresAt: number;
  triesLeft: number;
}

/**
 * The simulated phones' text messages, by number, and the d ACCOUNT's 6-digit security codes
 * (two-step verification, guide STEP 1 step 14): sent by SMS to the line's number, good for ten
 * minutes and three tries, a new one on request. The phone pages show the newest message as a
 * banner; automation reads the inbox. A code is never logged.
 */
export class SmsCenter {
  private readonly inboxes = new Map<string, Sms[]>();
  private readonly codes = new Map<string, PendingCode>();
  /** per line: when codes were sent, and when wrong codes were given, within the window */
  private readonly sent = new Map<string, number[]>();
  private readonly wrong = new Map<string, number[]>();

  constructor(private readonly now: () => number) {}

  inbox(msisdn: string): Sms[] {
    return this.inboxes.get(msisdn) ?? [];
  }

  /**
   * Sends a new security code to the number (any earlier one stops working), unless the line has
   * had its codes for the window or is locked: then how long until it may ask again.
   */
  sendCode(key: string, msisdn: string): { sent: true } | { retryAfterSeconds: number } {
    const wait = Math.max(this.waitFor(this.sent, msisdn, codeLimits.maxCodesSent), this.lockedFor(msisdn));
    if (wait > 0) return { retryAfterSeconds: wait };
    this.recent(this.sent, msisdn).push(this.now());
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.codes.set(key, { code, expiresAt: this.now() + codeLifetimeMs, triesLeft: codeTries });
    const messages = this.inbox(msisdn);
    messages.push({ from: 'docomo', text: `dアカウントのセキュリティコード：${code}\n有効期限は10分です。他人には教えないでください。`, at: this.now() });
    this.inboxes.set(msisdn, messages.slice(-20));
    return { sent: true };
  }

  /** Seconds until the line's code login opens again after too many wrong codes (0: open). */
  lockedFor(msisdn: string): number {
    return this.waitFor(this.wrong, msisdn, codeLimits.maxWrongCodes);
  }

  /**
   * Checks a code: right, wrong (tries left), expired / used up (ask for a new one), or the line
   * locked after too many wrong codes (its code is gone; a new one after the lock).
   */
  checkCode(key: string, given: string, msisdn: string): 'ok' | 'wrong' | 'expired' | 'locked' {
    if (this.lockedFor(msisdn) > 0) {
      this.codes.delete(key);
      return 'locked';
    }
    const pending = this.codes.get(key);
    if (!pending || this.now() >= pending.expiresAt || pending.triesLeft <= 0) {
      this.codes.delete(key);
      return 'expired';
    }
    if (sameSecret(given.trim(), pending.code)) {
      this.codes.delete(key);
      return 'ok';
    }
    pending.triesLeft -= 1;
    this.recent(this.wrong, msisdn).push(this.now());
    if (this.lockedFor(msisdn) > 0) {
      this.codes.delete(key);
      return 'locked';
    }
    return pending.triesLeft > 0 ? 'wrong' : 'expired';
  }

  /** A line's times within the window, older ones dropped. */
  private recent(times: Map<string, number[]>, msisdn: string): number[] {
    const kept = (times.get(msisdn) ?? []).filter((t) => this.now() - t < codeLimits.windowMs);
    times.set(msisdn, kept);
    return kept;
  }

  /** Seconds until fewer than `limit` of the line's times are within the window (0: already). */
  private waitFor(times: Map<string, number[]>, msisdn: string, limit: number): number {
    const kept = this.recent(times, msisdn);
    if (kept.length < limit) return 0;
    return Math.ceil((kept[kept.length - limit]! + codeLimits.windowMs - this.now()) / 1000);
  }
}
