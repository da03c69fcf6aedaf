/**
 * Password attempts per account: after `limit` failures within `windowMs`, the account refuses
 * passwords until the window has passed, whoever asks.
 */
export class PasswordAttempts {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly now: () => number, private readonly limit = 5, private readonly windowMs = 5 * 60_000) {}

  /** Seconds until this account takes passwords again, or 0. */
  retryAfter(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.limit) return 0;
    return Math.ceil((recent[0]! + this.windowMs - this.now()) / 1000);
  }

  fail(key: string): void {
    this.failures.set(key, [...this.recent(key), this.now()]);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    return (this.failures.get(key) ?? []).filter((t) => t > cutoff);
  }
}
