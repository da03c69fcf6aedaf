import { randomBytes } from 'node:crypto';
import { OAuthError } from './errors';

export interface TokenSet {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

/** What the world keeps of its tokens across a restart (older files without families still load). */
export interface TokensState {
  access: [string, Issued][];
  refresh: [string, Grant][];
  /** refresh tokens already used, kept until their family would have expired: a reuse is theft */
  used?: [string, { family: string; expiresAt: number }][];
}

interface Issued {
  accountId: string;
  clientId: string;
  expiresAt: number;
  /** the login this token descends from (RFC 6819 §5.2.2.3: a stolen refresh token revokes the family) */
  family?: string;
}
interface Grant {
  accountId: string;
  clientId: string;
  family?: string;
  expiresAt?: number;
}

/** How long a refresh token lasts unused (a car parked for a month still signs in). */
const refreshLifetimeMs = 30 * 24 * 3600_000;
/** How often expired tokens are swept (on the next issue after this long). */
const sweepEveryMs = 60_000;

/**
 * Access and refresh tokens. Access tokens expire; a refresh token is used once and replaced
 * (rotation). A refresh token used a second time means it was stolen (RFC 6819, OAuth 2.0
 * Security BCP §4.14): the whole family of tokens descending from that login is revoked, the
 * access tokens too. Expired tokens are swept, so the world does not grow without end.
 */
export class Tokens {
  private readonly access = new Map<string, Issued>();
  private readonly refresh = new Map<string, Grant>();
  private readonly used = new Map<string, { family: string; expiresAt: number }>();
  private sweptAt = 0;

  constructor(
    private readonly lifetimeSeconds: number,
    private readonly now: () => number,
  ) {}

  /** A new login: a new family. */
  issue(accountId: string, clientId: string): TokenSet {
    return this.issueIn(randomBytes(16).toString('base64url'), accountId, clientId);
  }

  renew(refreshToken: string, clientId: string): TokenSet {
    const reused = this.used.get(refreshToken);
    if (reused) {
      this.revokeFamily(reused.family);
      throw new OAuthError('invalid_grant', 'refresh_token already used: every token of this login is revoked');
    }
    const grant = this.refresh.get(refreshToken);
    if (!grant || grant.clientId !== clientId) throw new OAuthError('invalid_grant', 'unknown refresh_token');
    this.refresh.delete(refreshToken);
    if (grant.expiresAt !== undefined && this.now() >= grant.expiresAt) throw new OAuthError('invalid_grant', 'the refresh_token expired');
    const family = grant.family ?? refreshToken;
    this.used.set(refreshToken, { family, expiresAt: this.now() + refreshLifetimeMs });
    return this.issueIn(family, grant.accountId, clientId);
  }

  /** The account behind a bearer token, or an `invalid_token` error (RFC 6750). */
  verify(accessToken: string): string {
    const issued = this.access.get(accessToken);
    if (!issued) throw new OAuthError('invalid_token', 'unknown access token', 401);
    if (this.now() >= issued.expiresAt) {
      this.access.delete(accessToken);
      throw new OAuthError('invalid_token', 'the access token expired', 401);
    }
    return issued.accountId;
  }

  /** What a restart of the world must keep. */
  export(): TokensState {
    return { access: [...this.access.entries()], refresh: [...this.refresh.entries()], used: [...this.used.entries()] };
  }

  restore(state: TokensState): void {
    for (const [token, issued] of state.access) this.access.set(token, issued);
    for (const [token, grant] of state.refresh) this.refresh.set(token, grant);
    for (const [token, reuse] of state.used ?? []) this.used.set(token, reuse);
  }

  /** Signing out of a car: its tokens stop working. */
  /**
   * RFC 7009: a token revoked takes its whole login with it, both halves of the pair (revoking a
   * refresh token ends its access tokens; revoking an access token, its refresh token), as a car's
   * logout or a removed BMW ID means. Unknown tokens are no error.
   */
  revoke(token: string): void {
    const family = this.access.get(token)?.family ?? (this.refresh.has(token) ? (this.refresh.get(token)!.family ?? token) : undefined);
    this.access.delete(token);
    this.refresh.delete(token);
    if (family) this.revokeFamily(family);
  }

  /** How many tokens the world holds (for tests of its bounds). */
  size(): number {
    return this.access.size + this.refresh.size + this.used.size;
  }

  private issueIn(family: string, accountId: string, clientId: string): TokenSet {
    this.sweep();
    const access_token = randomBytes(32).toString('base64url');
    const refresh_token = randomBytes(32).toString('base64url');
    const now = this.now();
    this.access.set(access_token, { accountId, clientId, family, expiresAt: now + this.lifetimeSeconds * 1000 });
    this.refresh.set(refresh_token, { accountId, clientId, family, expiresAt: now + refreshLifetimeMs });
    return { access_token, token_type: 'Bearer', expires_in: this.lifetimeSeconds, refresh_token, scope: 'profile' };
  }

  private revokeFamily(family: string): void {
    for (const [token, issued] of this.access) if (issued.family === family) this.access.delete(token);
    for (const [token, grant] of this.refresh) if ((grant.family ?? token) === family) this.refresh.delete(token);
  }

  private sweep(): void {
    const now = this.now();
    if (now - this.sweptAt < sweepEveryMs) return;
    this.sweptAt = now;
    for (const [token, issued] of this.access) if (now >= issued.expiresAt) this.access.delete(token);
    for (const [token, grant] of this.refresh) if (grant.expiresAt !== undefined && now >= grant.expiresAt) this.refresh.delete(token);
    for (const [token, reuse] of this.used) if (now >= reuse.expiresAt) this.used.delete(token);
  }
}
