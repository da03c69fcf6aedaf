import { createHash, randomBytes } from 'node:crypto';
import { sameSecret } from '../passwords';

/** The My BMW app and the BMW web portal as clients of NTT DOCOMO's association (OAuth 2.0). */
export const myBmwClientId = 'my-bmw-app';
export const portalClientId = 'bmw-web-portal';
export const associationClients = [myBmwClientId, portalClientId];

/** What the app asks for (RFC 9126 pushed authorization request): whose BMW ID, and where to come back. */
export interface AssociationRequest {
  clientId: string;
  /** the BMW ID to associate with the d ACCOUNT */
  accountId: string;
  redirectUri: string;
  state: string;
  /** S256 of the app's code verifier (RFC 7636) */
  codeChallenge: string;
  /** where the customer is: on the phone (the carrier may ask the network PIN), or on a PC (d ACCOUNT only) */
  via: 'phone' | 'pc';
  expiresAt: number;
  /** the browser visit that opened it first: the request_uri is one visit's (RFC 9126 §4), no other browser's */
  holder?: string;
}

interface IssuedCode {
  request: AssociationRequest;
  expiresAt: number;
}

export type RedeemFailure = 'invalid_grant' | 'invalid_client';

/**
 * The BMW ID ↔ d ACCOUNT association (guide STEP 1 ④) as an OAuth 2.0 authorization-code flow:
 * the app pushes its request (RFC 9126) and sends the phone to the carrier's site with the
 * `request_uri`; after the driver's consent there, the site sends the phone back with a one-time
 * code and the app's `state`; the app redeems the code with its PKCE verifier (RFC 7636, S256).
 * Requests live 30 minutes (a subscription may come first), codes one minute, each used once.
 */
export class Associations {
  private readonly requests = new Map<string, AssociationRequest>();
  private readonly codes = new Map<string, IssuedCode>();

  constructor(private readonly now: () => number) {}

  push(request: Omit<AssociationRequest, 'expiresAt' | 'holder'>): string {
    this.sweep();
    const uri = `urn:ietf:params:oauth:request_uri:${randomBytes(18).toString('base64url')}`;
    this.requests.set(uri, { ...request, expiresAt: this.now() + 30 * 60_000 });
    return uri;
  }

  /**
   * The pushed request, for the visit `holder` (a browser visit's own token): the first visit that
   * opens a request_uri holds it (RFC 9126: one use), and it answers no other. Null for an unknown,
   * expired, another client's or another visit's request.
   */
  request(uri: string, clientId: string, holder: string): AssociationRequest | null {
    const request = this.requests.get(uri);
    if (!request || request.clientId !== clientId || this.now() >= request.expiresAt) return null;
    if (request.holder !== undefined && request.holder !== holder) return null;
    request.holder = holder;
    return request;
  }

  /** The driver agreed: a one-time code for the app, and where the phone goes with it. */
  approve(uri: string): string {
    const request = this.requests.get(uri);
    if (!request) throw new Error('unknown association request');
    this.requests.delete(uri);
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { request, expiresAt: this.now() + 60_000 });
    return withParams(request.redirectUri, { code, state: request.state });
  }

  /** The driver declined or cancelled: the app hears `access_denied` with its state. */
  decline(uri: string): string {
    const request = this.requests.get(uri);
    if (!request) throw new Error('unknown association request');
    this.requests.delete(uri);
    return withParams(request.redirectUri, { error: 'access_denied', state: request.state });
  }

  /** The app redeems a code: the BMW ID it was for, if the verifier, client and redirect match. */
  redeem(code: string, verifier: string, clientId: string, redirectUri: string): { accountId: string } | RedeemFailure {
    const issued = this.codes.get(code);
    this.codes.delete(code);
    if (!issued || this.now() >= issued.expiresAt) return 'invalid_grant';
    if (issued.request.clientId !== clientId || issued.request.redirectUri !== redirectUri) return 'invalid_client';
    if (s256(verifier) !== issued.request.codeChallenge) return 'invalid_grant';
    return { accountId: issued.request.accountId };
  }

  private sweep(): void {
    const now = this.now();
    for (const [uri, request] of this.requests) if (now >= request.expiresAt) this.requests.delete(uri);
    for (const [code, issued] of this.codes) if (now >= issued.expiresAt) this.codes.delete(code);
  }
}

/** RFC 7636 S256: BASE64URL(SHA-256(verifier)). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function withParams(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.href;
}

/** An association a BMW site (the My BMW app, the portal) has under way, kept in the visit. */
export interface PendingAssociation {
  /** the PKCE code verifier (RFC 7636) */
  verifier: string;
  /** what the carrier must send the browser back with */
  state: string;
}

/**
 * A BMW site starts the association (guide STEP 1 step 13; PC path step 7): a verifier and a state
 * of its own, the request pushed (RFC 9126), and the carrier's address the browser goes to.
 */
export function startAssociation(
  associations: Associations,
  request: Pick<AssociationRequest, 'clientId' | 'accountId' | 'redirectUri' | 'via'>,
): { pending: PendingAssociation; location: string } {
  const pending = { verifier: randomBytes(32).toString('base64url'), state: randomBytes(16).toString('base64url') };
  const requestUri = associations.push({ ...request, state: pending.state, codeChallenge: s256(pending.verifier) });
  return { pending, location: `/docomo/authorize?client_id=${encodeURIComponent(request.clientId)}&request_uri=${encodeURIComponent(requestUri)}` };
}

/**
 * The site ends it with what the carrier sent back: true when the code, redeemed with the visit's
 * verifier, was for the visit's state and BMW ID (the caller then associates the line); false for
 * any other state, code, client or BMW ID.
 */
export function redeemAssociation(
  associations: Associations,
  pending: PendingAssociation | null,
  back: { code: string; state: string },
  site: { clientId: string; redirectUri: string; accountId: string },
): boolean {
  if (!pending || !sameSecret(back.state, pending.state)) return false;
  const redeemed = associations.redeem(back.code, pending.verifier, site.clientId, site.redirectUri);
  return typeof redeemed !== 'string' && redeemed.accountId === site.accountId;
}
