import type { ScenarioAccount } from '../../shared/scenario';

/** NTT DOCOMO's view of a BMW ID's One Number line (guide STEP 1). */
export interface OneNumberLine {
  msisdn: string;
  subscribed: boolean;
  multiDevice: boolean;
  /** the d ACCOUNT is associated with the BMW ID */
  associated: boolean;
}

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

  line(accountId: string): OneNumberLine | null {
    return this.lines.get(accountId) ?? null;
  }

  /** Admin: change a line (the phone-side STEP 1 until it is emulated). */
  setLine(accountId: string, line: OneNumberLine | null): void {
    if (line) this.lines.set(accountId, line);
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
