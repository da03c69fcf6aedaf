/** A phone number on a BMW ID's profile, as the web portal lists it. */
export interface ProfileNumber {
  number: string;
  type: 'mobile' | 'home' | 'work';
}

/**
 * The phone numbers on each BMW ID's profile (PC path steps 4–6): the portal activates the Personal
 * eSIM for one of the mobile numbers. Kept with the world across restarts.
 */
export class ProfileNumbers {
  private readonly numbers = new Map<string, ProfileNumber[]>();

  of(accountId: string): ProfileNumber[] {
    return this.numbers.get(accountId) ?? [];
  }

  /** Adds a number (the same digits again replace the old entry); at most 10 per BMW ID. */
  add(accountId: string, entry: ProfileNumber): boolean {
    const digits = (n: string) => n.replace(/\D/g, '');
    const list = this.of(accountId).filter((n) => digits(n.number) !== digits(entry.number));
    if (list.length >= 10) return false;
    this.numbers.set(accountId, [...list, entry]);
    return true;
  }

  export(): [string, ProfileNumber[]][] {
    return [...this.numbers.entries()];
  }

  restore(numbers: [string, ProfileNumber[]][]): void {
    for (const [account, list] of numbers) this.numbers.set(account, list);
  }
}
