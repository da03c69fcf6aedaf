import type { ScenarioAccount } from '../shared/scenario';

export interface Account extends ScenarioAccount {
  /** the BMW ID's stable subject identifier */
  id: string;
}

/** BMW ID accounts, from the scenario. E-mail addresses compare without case, as logins do. */
export class Accounts {
  private readonly byEmail = new Map<string, Account>();
  private readonly byId = new Map<string, Account>();

  constructor(accounts: ScenarioAccount[]) {
    for (const account of accounts) {
      const withId = { ...account, id: stableId(account.email) };
      this.byEmail.set(account.email.toLowerCase(), withId);
      this.byId.set(withId.id, withId);
    }
  }

  /** Every BMW ID: the scenario's, then those registered since, in that order. */
  all(): Account[] {
    return [...this.byId.values()];
  }

  findByEmail(email: string): Account | undefined {
    return this.byEmail.get(email.trim().toLowerCase());
  }

  get(id: string): Account | undefined {
    return this.byId.get(id);
  }

  /**
   * "Register now" in the My BMW app: a new BMW ID, or null when the e-mail address has one. It
   * lives as long as the cloud runs (a scenario's accounts are the ones that come back).
   */
  register(account: Pick<ScenarioAccount, 'email' | 'password' | 'name'>): Account | null {
    if (this.findByEmail(account.email)) return null;
    const withId: Account = { ...account, email: account.email.trim(), settings: {}, oneNumber: null, id: stableId(account.email.trim()) };
    this.byEmail.set(withId.email.toLowerCase(), withId);
    this.byId.set(withId.id, withId);
    return withId;
  }
}

/** The same e-mail gets the same subject across restarts, so cars keep recognising a profile. */
function stableId(email: string): string {
  const hex = Buffer.from(email.toLowerCase()).toString('hex').padEnd(32, '0').slice(0, 32);
  return `bmwid-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
