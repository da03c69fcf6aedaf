import type { ScenarioAccount } from '../../shared/scenario';
import { sameSecret } from '../passwords';

/** NTT DOCOMO's view of a BMW ID owner's line (guide STEP 1). */
export interface OneNumberLine {
  msisdn: string;
  subscribed: boolean;
  multiDevice: boolean;
  /** the d ACCOUNT is associated with the BMW ID */
  associated: boolean;
  /** the site's logins: d ACCOUNT and password (on Wi-Fi), the network PIN (on cellular) */
  dAccount?: string | undefined;
  dPassword?: string | undefined;
  networkPin?: string | undefined;
  /** wrong network PINs in a row; three lock the PIN, as the carrier does */
  pinFailures?: number | undefined;
  /** false: the d ACCOUNT is not yet set up for this line, and the application says how (guide STEP 1 (2) step 11) */
  dAccountSetUp?: boolean | undefined;
  /** wrong d ACCOUNT passwords in a row, and until when (ms) its login is locked after too many */
  dPasswordFailures?: number | undefined;
  dLockedUntil?: number | undefined;
  /** the Personal eSIM from another SM-DP+: the activation code and ICCID the car is given instead of an embedded order */
  profile?: { activationCode: string; iccid: string } | undefined;
}

/** Wrong network PINs that lock it (the carrier's rule; unlocking is a shop visit). */
export const networkPinTries = 3;
/** Wrong d ACCOUNT passwords in a row that lock its login, and for how long. */
export const dPasswordTries = 5;
export const dPasswordLockMs = 30 * 60_000;

/** Why a car is not given a Personal eSIM; each has its own message on the car. */
export type NotEligible = 'noLine' | 'notSubscribed' | 'notAssociated' | 'noSlot';

/**
 * The carrier: One Number lines by BMW ID, and the companion devices (cars, by EID) on each.
 * One Number gives one companion; the Multi-Device Option more.
 */
export class Carrier {
  private readonly lines = new Map<string, OneNumberLine>();
  private readonly devices = new Map<string, Set<string>>();

  constructor(accounts: (ScenarioAccount & { id: string })[]) {
    for (const account of accounts) if (account.oneNumber) this.lines.set(account.id, { ...account.oneNumber });
  }

  /** The BMW ID owner whose line this d ACCOUNT ID is (IDs compare without case), or null. */
  ownerOfDAccount(dAccount: string): string | null {
    for (const [accountId, line] of this.lines) {
      if (line.dAccount !== undefined && line.dAccount.toLowerCase() === dAccount.trim().toLowerCase()) return accountId;
    }
    return null;
  }

  /**
   * The d ACCOUNT's password of the owner's line: right, wrong, or locked for a while after
   * `dPasswordTries` wrong ones in a row (the count is kept with the line; a right one resets it).
   */
  checkDPassword(accountId: string, password: string, now: number): 'ok' | 'wrong' | { lockedForSeconds: number } {
    const line = this.lines.get(accountId);
    if (!line?.dPassword) return 'wrong';
    if ((line.dLockedUntil ?? 0) > now) return { lockedForSeconds: Math.ceil((line.dLockedUntil! - now) / 1000) };
    if (sameSecret(password, line.dPassword)) {
      line.dPasswordFailures = 0;
      return 'ok';
    }
    line.dPasswordFailures = (line.dPasswordFailures ?? 0) + 1;
    if (line.dPasswordFailures < dPasswordTries) return 'wrong';
    line.dPasswordFailures = 0;
    line.dLockedUntil = now + dPasswordLockMs;
    return { lockedForSeconds: dPasswordLockMs / 1000 };
  }

  /**
   * The network PIN of this owner's line: right, wrong (with the tries left), or locked after
   * `networkPinTries` wrong ones in a row. A right PIN resets the count.
   */
  checkNetworkPin(accountId: string, pin: string): { ok: true } | { ok: false; triesLeft: number } {
    const line = this.lines.get(accountId);
    if (!line?.networkPin) return { ok: false, triesLeft: 0 };
    const failures = line.pinFailures ?? 0;
    if (failures >= networkPinTries) return { ok: false, triesLeft: 0 };
    if (sameSecret(line.networkPin, pin)) {
      line.pinFailures = 0;
      return { ok: true };
    }
    line.pinFailures = failures + 1;
    return { ok: false, triesLeft: networkPinTries - line.pinFailures };
  }

  /** The d ACCOUNT set up for the line, as the carrier's own settings page does it. */
  setUpDAccount(accountId: string): void {
    const line = this.lines.get(accountId);
    if (line) line.dAccountSetUp = true;
  }

  /** STEP 1 ② and ③: One Number, with or without the Multi-Device Option, or the option added later. */
  subscribe(accountId: string, what: { oneNumber: boolean; multiDevice: boolean }): OneNumberLine {
    const line = this.lines.get(accountId);
    if (!line) throw new Error('no DOCOMO line for this BMW ID');
    if (what.oneNumber) line.subscribed = true;
    if (what.multiDevice && line.subscribed) line.multiDevice = true;
    return line;
  }

  /** STEP 1 ④: the d ACCOUNT associated with the BMW ID (both sides agreed). */
  associate(accountId: string): void {
    const line = this.lines.get(accountId);
    if (!line?.subscribed) throw new Error('One Number is not subscribed on this line');
    line.associated = true;
  }

  /** The lines as they stand: what a restart of the world must keep (STEP 1 done stays done). */
  exportLines(): [string, OneNumberLine][] {
    return [...this.lines.entries()].map(([account, line]) => [account, { ...line }]);
  }

  restoreLines(lines: [string, OneNumberLine][]): void {
    for (const [account, line] of lines) this.lines.set(account, { ...line });
  }

  line(accountId: string): OneNumberLine | null {
    return this.lines.get(accountId) ?? null;
  }

  /** Admin: change a line (the phone-side STEP 1 until it is emulated). */
  setLine(accountId: string, line: OneNumberLine | null): void {
    // (the line's logins stay as they were: the admin changes how far STEP 1 got)
    if (line) this.lines.set(accountId, { ...this.lines.get(accountId), ...line });
    else this.lines.delete(accountId);
  }

  /** Whether a car may have this BMW ID's Personal eSIM; a car already on the line always may. */
  eligibility(accountId: string, eid: string): NotEligible | null {
    const line = this.lines.get(accountId);
    if (!line) return 'noLine';
    if (!line.subscribed) return 'notSubscribed';
    if (!line.associated) return 'notAssociated';
    const devices = this.devices.get(accountId) ?? new Set<string>();
    if (!devices.has(eid) && devices.size >= (line.multiDevice ? 5 : 1)) return 'noSlot';
    return null;
  }

  attach(accountId: string, eid: string): void {
    const devices = this.devices.get(accountId) ?? new Set<string>();
    devices.add(eid);
    this.devices.set(accountId, devices);
  }

  detach(accountId: string, eid: string): void {
    this.devices.get(accountId)?.delete(eid);
  }

  /** The cars on each line: what a restart of the world must keep. */
  exportDevices(): [string, string[]][] {
    return [...this.devices.entries()].map(([account, eids]) => [account, [...eids]]);
  }

  restoreDevices(devices: [string, string[]][]): void {
    for (const [account, eids] of devices) this.devices.set(account, new Set(eids));
  }
}
