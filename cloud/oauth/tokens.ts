import { randomBytes } from 'node:crypto';
import { OAuthError } from './errors';

export interface TokenSet {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

export interface TokensState {
  access: [string, Issued][];
  refresh: [string, Omit<Issued, 'expiresAt'>][];
}

interface Issued {
  accountId: string;
  clientId: string;
  expiresAt: number;
}

/**
 * Access and refresh tokens. Access tokens expire; a refresh token is used once and replaced
 * (rotation), so a stolen one stops working as soon as the car uses its own.
 */
export class Tokens {
  private readonly access = new Map<string, Issued>();
  private readonly refresh = new Map<string, Omit<Issued, 'expiresAt'>>();

  constructor(private readonly lifetimeSeconds: number, private readonly now: () => number) {}

  issue(accountId: string, clientId: string): TokenSet {
    const access_token = randomBytes(32).toString('base64url');
    const refresh_token = randomBytes(32).toString('base64url');
    this.access.set(access_token, { accountId, clientId, expiresAt: this.now() + this.lifetimeSeconds * 1000 });
    this.refresh.set(refresh_token, { accountId, clientId });
    return { access_token, token_type: 'Bearer', expires_in: this.lifetimeSeconds, refresh_token, scope: 'profile' };
  }

  renew(refreshToken: string, clientId: string): TokenSet {
    const grant = this.refresh.get(refreshToken);
    if (!grant || grant.clientId !== clientId) throw new OAuthError('invalid_grant', 'unknown refresh_token');
    this.refresh.delete(refreshToken);
    return this.issue(grant.accountId, clientId);
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
    return { access: [...this.access.entries()], refresh: [...this.refresh.entries()] };
  }

  restore(state: TokensState): void {
    for (const [token, issued] of state.access) this.access.set(token, issued);
    for (const [token, grant] of state.refresh) this.refresh.set(token, grant);
  }

  /** Signing out of a car: its tokens stop working. */
  revoke(token: string): void {
    this.access.delete(token);
    this.refresh.delete(token);
  }
}
