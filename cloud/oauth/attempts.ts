/**
 * Wrong passwords, counted per client and account (`client` is the peer's address): after
 * `free` failures within `windowMs`, that client waits before its next try on that account, a
 * wait that doubles with each further failure (30 s, 60 s, … at most 5 minutes). Another client
 * is not affected, so a stranger guessing cannot lock the owner out of their own BMW ID; a
 * stranger spraying many accounts is stopped by the per-address request limit on the routes.
 */
export class PasswordAttempts {
  private readonly failures = new Map<string, number[]>();
  private sweptAt = 0;

  constructor(
    private readonly now: () => number,
    private readonly free = 5,
    private readonly windowMs = 15 * 60_000,
  ) {}

  /** Seconds until this client may try this account again, or 0. */
  retryAfter(client: string, account: string): number {
    const recent = this.recent(keyOf(client, account));
    if (recent.length < this.free) return 0;
    const wait = Math.min(300_000, 30_000 * 2 ** (recent.length - this.free));
    return Math.max(0, Math.ceil((recent.at(-1)! + wait - this.now()) / 1000));
  }

  fail(client: string, account: string): void {
    this.sweep();
    const key = keyOf(client, account);
    this.failures.set(key, [...this.recent(key), this.now()].slice(-50));
  }

  succeed(client: string, account: string): void {
    this.failures.delete(keyOf(client, account));
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    return (this.failures.get(key) ?? []).filter((t) => t > cutoff);
  }

  /** Old records go: the map holds only what is still counted. */
  private sweep(): void {
    if (this.now() - this.sweptAt < 60_000) return;
    this.sweptAt = this.now();
    for (const key of this.failures.keys()) if (this.recent(key).length === 0) this.failures.delete(key);
  }
}

function keyOf(client: string, account: string): string {
  return `${client}\u0000${account.trim().toLowerCase()}`;
}
