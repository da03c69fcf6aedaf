import * as z from 'zod';
import { languages } from '../../shared/i18n';
import { themes } from '../../shared/view';
import {
  companionService,
  Eligibility,
  OdsaAnswer,
  odsaApp,
  OperationResult,
  reasonOf,
  SubscriptionResult,
  type OdsaAppBlock,
  type OdsaOperation,
} from '../../shared/odsa';
import { log } from '../log';

/** Why a call to BMW ID did not give what was asked; each has its own message and way forward. */
export type LoginFailure = 'unreachable' | 'timeout' | 'server' | 'denied' | 'expired' | 'wrongCredentials' | 'rateLimited' | 'invalidToken';

export class LoginError extends Error {
  constructor(
    readonly kind: LoginFailure,
    readonly retryAfterSeconds = 0,
  ) {
    super(kind);
  }
}

/**
 * A token response (RFC 6749 §5.1). `refresh_token` is optional (a server may issue none, and a
 * refresh may not rotate it: the car then keeps the one it has); `expires_in` is recommended only
 * (without it the car assumes an hour, and renews on a refusal all the same).
 */
export const TokenSet = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().int().positive().default(3600),
});
export type TokenSet = z.infer<typeof TokenSet>;

/** A device authorization response (RFC 8628 §3.2): `verification_uri_complete` is optional. */
export const DeviceAuthorization = z.object({
  device_code: z.string().min(1),
  user_code: z.string().min(1),
  verification_uri: z.url(),
  verification_uri_complete: z.url().optional(),
  expires_in: z.number().int().positive(),
  interval: z.number().int().positive().default(5),
});
export type DeviceAuthorization = z.infer<typeof DeviceAuthorization>;

export const AccountInfo = z.object({
  sub: z.string().min(1),
  email: z.string(),
  name: z.string(),
  settings: z.object({ language: z.enum(languages).optional(), theme: z.enum(themes).optional() }).default({}),
});
export type AccountInfo = z.infer<typeof AccountInfo>;

const OAuthErrorBody = z.object({ error: z.string() });

export const EntitlementAnswer = z.union([
  z.object({ serviceStatus: z.literal('deactivated'), reason: z.enum(['noLine', 'notSubscribed', 'notAssociated', 'noSlot']) }),
  z.object({ serviceStatus: z.enum(['activated', 'activating']), msisdn: z.string(), iccid: z.string(), activationCode: z.string().nullable() }),
]);
export type EntitlementAnswer = z.infer<typeof EntitlementAnswer>;
export type PollResult = { kind: 'tokens'; tokens: TokenSet } | { kind: 'pending' } | { kind: 'slowDown' };

export const headUnitClientId = 'idrive-head-unit';
const deviceCodeGrant = 'urn:ietf:params:oauth:grant-type:device_code';

/**
 * The car's BMW ID client: plain HTTP against the cloud's endpoints, found through RFC 8414
 * metadata at a base URL the car is given. Every call has a timeout; every failure is a LoginError.
 */
export class BmwIdClient {
  private metadata:
    Promise<{ device_authorization_endpoint: string; token_endpoint: string; userinfo_endpoint: string; revocation_endpoint: string }> | undefined;

  /** `entitlementUrl`: an outside TS.43 entitlement server (`--entitlement-url`); default: the cloud's `/entitlement` */
  constructor(
    private readonly baseUrl: () => string,
    private readonly timeoutMs = 8000,
    private readonly entitlementUrl?: string,
  ) {}

  async startDeviceLogin(vehicleName: string): Promise<DeviceAuthorization> {
    const { device_authorization_endpoint } = await this.endpoints();
    const body = await this.post(device_authorization_endpoint, { client_id: headUnitClientId, scope: 'profile', vehicle_name: vehicleName });
    return parse(DeviceAuthorization, body);
  }

  /** One poll of the token endpoint (RFC 8628 §3.4). Denied and expired are errors; pending is not. */
  async pollDeviceToken(deviceCode: string): Promise<PollResult> {
    const { token_endpoint } = await this.endpoints();
    try {
      return {
        kind: 'tokens',
        tokens: parse(TokenSet, await this.post(token_endpoint, { grant_type: deviceCodeGrant, device_code: deviceCode, client_id: headUnitClientId })),
      };
    } catch (error) {
      if (error instanceof OAuthFailure) {
        if (error.code === 'authorization_pending') return { kind: 'pending' };
        if (error.code === 'slow_down') return { kind: 'slowDown' };
        if (error.code === 'access_denied') throw new LoginError('denied');
        if (error.code === 'expired_token' || error.code === 'invalid_grant') throw new LoginError('expired');
        throw new LoginError('server');
      }
      throw error;
    }
  }

  async passwordLogin(email: string, password: string): Promise<TokenSet> {
    const { token_endpoint } = await this.endpoints();
    try {
      return parse(
        TokenSet,
        await this.post(token_endpoint, { grant_type: 'password', username: email, password, client_id: headUnitClientId, scope: 'profile' }),
      );
    } catch (error) {
      if (error instanceof OAuthFailure) {
        if (error.code === 'invalid_grant') throw new LoginError('wrongCredentials');
        if (error.status === 429) throw new LoginError('rateLimited', error.retryAfter);
        throw new LoginError('server');
      }
      throw error;
    }
  }

  /** A new token pair for a refresh token (rotated by the cloud); a refused one means logging in again. */
  async refresh(refreshToken: string): Promise<TokenSet> {
    const { token_endpoint } = await this.endpoints();
    try {
      return parse(TokenSet, await this.post(token_endpoint, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: headUnitClientId }));
    } catch (error) {
      if (error instanceof OAuthFailure) throw new LoginError(error.code === 'invalid_grant' ? 'invalidToken' : 'server');
      throw error;
    }
  }

  async account(accessToken: string): Promise<AccountInfo> {
    const { userinfo_endpoint } = await this.endpoints();
    const response = await this.fetch(userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } });
    if (response.status === 401) throw new LoginError('invalidToken');
    if (!response.ok) throw new LoginError('server');
    return parse(AccountInfo, await response.json().catch(() => null));
  }

  /**
   * The carrier's answer for this car's EID and the BMW ID behind the token, by GSMA TS.43 ODSA
   * (`shared/odsa.ts`): CheckEligibility, then ManageSubscription (subscribe) for the companion
   * with the `SharedNumber` service. A disabled eligibility is `noLine`; a websheet or a dismissal
   * is not available, with the reason from the user data; a profile to download or already done
   * is the eSIM. An answer the car cannot read is `server`.
   */
  async entitlement(accessToken: string, eid: string): Promise<EntitlementAnswer> {
    const eligibility = await this.odsa(accessToken, 'CheckEligibility', eid);
    if (eligibility.CompanionAppEligibility !== Eligibility.enabled)
      return { serviceStatus: 'deactivated', reason: reasonOf(eligibility.NotEnabledUserData) ?? 'noLine' };
    const subscription = await this.odsa(accessToken, 'ManageSubscription', eid);
    const configuration = subscription.CompanionConfigurations?.CompanionConfiguration;
    switch (subscription.SubscriptionResult) {
      case SubscriptionResult.downloadProfile:
      case SubscriptionResult.done: {
        const iccid = subscription.DownloadInfo?.ProfileIccid ?? configuration?.ICCID;
        if (!iccid || !configuration?.msisdn) throw new LoginError('server');
        const done = subscription.SubscriptionResult === SubscriptionResult.done;
        const activationCode = done ? null : (subscription.DownloadInfo?.ProfileActivationCode ?? null);
        if (!done && !activationCode) throw new LoginError('server');
        return { serviceStatus: done ? 'activated' : 'activating', msisdn: configuration.msisdn, iccid, activationCode };
      }
      case SubscriptionResult.dismiss:
        return { serviceStatus: 'deactivated', reason: reasonOf(subscription.SubscriptionServiceUserData) ?? 'noSlot' };
      default:
        return { serviceStatus: 'deactivated', reason: reasonOf(subscription.SubscriptionServiceUserData) ?? 'notAssociated' };
    }
  }

  private async odsa(accessToken: string, operation: OdsaOperation, eid: string): Promise<OdsaAppBlock> {
    const url = new URL(this.entitlementUrl ?? new URL('entitlement', this.baseUrl()));
    const params = {
      vers: '0',
      entitlement_version: '10.0',
      app: odsaApp,
      operation,
      ...(operation === 'ManageSubscription' ? { operation_type: '0' } : {}),
      companion_terminal_id: eid,
      companion_terminal_eid: eid,
      companion_terminal_vendor: 'BMW',
      companion_terminal_service: companionService,
    };
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    const response = await this.fetch(url.href, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
    if (response.status === 401) throw new LoginError('invalidToken');
    if (!response.ok) throw new LoginError('server');
    const block = parse(OdsaAnswer, await response.json().catch(() => null))[odsaApp];
    if (block.OperationResult !== OperationResult.success) throw new LoginError('server');
    return block;
  }

  /**
   * Best effort, and never rejects: the profile goes from the car whether or not the cloud hears
   * of it (an unrevoked token still expires). A failure is logged, without the token.
   */
  async revoke(token: string): Promise<void> {
    try {
      const { revocation_endpoint } = await this.endpoints();
      await this.post(revocation_endpoint, { token, client_id: headUnitClientId });
    } catch (error) {
      log('head unit').warn(`a BMW ID token was not revoked at the cloud (${(error as { kind?: string }).kind ?? 'error'}); it expires by itself`);
    }
  }

  private endpoints() {
    this.metadata ??= (async () => {
      const response = await this.fetch(new URL('.well-known/oauth-authorization-server', this.baseUrl()).href, {});
      if (!response.ok) throw new LoginError('server');
      return parse(
        z.object({ device_authorization_endpoint: z.url(), token_endpoint: z.url(), userinfo_endpoint: z.url(), revocation_endpoint: z.url() }),
        await response.json().catch(() => null),
      );
    })().catch((error: unknown) => {
      this.metadata = undefined; // a cloud that was down may be up next time
      throw error;
    });
    return this.metadata;
  }

  private async post(url: string, form: Record<string, string>): Promise<unknown> {
    const response = await this.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    });
    const body: unknown = await response.json().catch(() => null);
    // An error is read by what it says, whatever the status: some servers answer a pending device
    // login with 200 and {"error": "authorization_pending"}, others a refused one with 401 or 500.
    const error = OAuthErrorBody.safeParse(body);
    if (error.success) throw new OAuthFailure(error.data.error, response.status, Number(response.headers.get('retry-after') ?? 0));
    if (response.ok) return body;
    throw new LoginError('server');
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      const name = (error as { name?: string }).name;
      throw new LoginError(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unreachable');
    }
  }
}

class OAuthFailure extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly retryAfter: number,
  ) {
    super(code);
  }
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw new LoginError('server');
  return result.data;
}
