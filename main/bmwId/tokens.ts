import { LoginError, type BmwIdClient } from './client';
import type { ProfileVault } from './vault';

/** Renew this long before the access token runs out, so a call never starts with a dying token. */
const marginMs = 60_000;

/**
 * Calls the cloud on a profile's behalf with a live access token: an expired one is renewed with
 * the refresh token first, and a call the cloud refuses as unauthorised is renewed and tried once
 * more. Renewals of one profile are shared (refresh tokens rotate: two at once would spend one twice).
 */
export class TokenKeeper {
  private readonly renewing = new Map<string, Promise<string>>();

  constructor(
    private readonly vault: ProfileVault,
    private readonly client: BmwIdClient,
    private readonly now: () => number,
  ) {}

  async call<T>(profileId: string, use: (accessToken: string) => Promise<T>): Promise<T> {
    const tokens = this.vault.tokensOf(profileId);
    if (!tokens) throw new LoginError('invalidToken');
    const token = tokens.expiresAt - marginMs <= this.now() ? await this.renew(profileId) : tokens.accessToken;
    try {
      return await use(token);
    } catch (error) {
      if (!(error instanceof LoginError) || error.kind !== 'invalidToken') throw error;
      return use(await this.renew(profileId));
    }
  }

  private renew(profileId: string): Promise<string> {
    let renewal = this.renewing.get(profileId);
    if (!renewal) {
      renewal = (async () => {
        const current = this.vault.tokensOf(profileId);
        // (no refresh token: the cloud issued none, and the driver logs in again)
        if (!current?.refreshToken) throw new LoginError('invalidToken');
        const tokens = await this.client.refresh(current.refreshToken);
        await this.vault.renew(profileId, tokens);
        return tokens.access_token;
      })().finally(() => this.renewing.delete(profileId));
      this.renewing.set(profileId, renewal);
    }
    return renewal;
  }
}
