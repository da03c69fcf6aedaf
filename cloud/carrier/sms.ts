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

  constructor(private readonly now: () => number) {}

  inbox(msisdn: string): Sms[] {
    return this.inboxes.get(msisdn) ?? [];
  }

  /** Sends a new security code to the number; any earlier one stops working. */
  sendCode(key: string, msisdn: string): void {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.codes.set(key, { code, expiresAt: this.now() + codeLifetimeMs, triesLeft: codeTries });
    const messages = this.inbox(msisdn);
    messages.push({ from: 'docomo', text: `dアカウントのセキュリティコード：${code}\n有効期限は10分です。他人には教えないでください。`, at: this.now() });
    this.inboxes.set(msisdn, messages.slice(-20));
  }

  /** Checks a code: right, wrong (tries left), or expired / used up (ask for a new one). */
  checkCode(key: string, given: string): 'ok' | 'wrong' | 'expired' {
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
    return pending.triesLeft > 0 ? 'wrong' : 'expired';
  }
}
