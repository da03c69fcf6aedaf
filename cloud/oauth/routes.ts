import type { FastifyInstance, FastifyReply } from 'fastify';
import * as z from 'zod';
import type { Accounts } from '../accounts';
import { sameSecret } from '../passwords';
import type { PasswordAttempts } from './attempts';
import type { DeviceFlow } from './deviceFlow';
import { limited } from '../limits';
import { isSitePath, sendFormProblem } from '../web/formGuard';
import { OAuthError } from './errors';
import { bearerAccount } from './bearer';
import type { Tokens } from './tokens';

/** The one client this cloud knows: the head unit. */
export const headUnitClientId = 'idrive-head-unit';
const deviceCodeGrant = 'urn:ietf:params:oauth:grant-type:device_code';

const DeviceRequest = z.object({
  client_id: z.string().max(64),
  scope: z.string().max(256).optional(),
  /** the car's name, shown on the phone so the driver knows which car asks */
  vehicle_name: z.string().min(1).max(40).default('BMW'),
});
const TokenRequest = z.discriminatedUnion('grant_type', [
  z.object({ grant_type: z.literal(deviceCodeGrant), device_code: z.string().min(1).max(128), client_id: z.string().max(64) }),
  z.object({
    grant_type: z.literal('password'),
    username: z.string().min(1).max(254),
    password: z.string().min(1).max(128),
    client_id: z.string().max(64),
    scope: z.string().max(256).optional(),
  }),
  z.object({ grant_type: z.literal('refresh_token'), refresh_token: z.string().min(1).max(128), client_id: z.string().max(64) }),
]);
const RevokeRequest = z.object({ token: z.string().min(1).max(128), client_id: z.string().max(64) });

export interface OAuthDeps {
  accounts: Accounts;
  flow: DeviceFlow;
  tokens: Tokens;
  attempts: PasswordAttempts;
  /** the base URL cars use: the issuer and its endpoints */
  publicUrl: () => string;
  /** the base URL of the phone pages (`verification_uri`): on the LAN with --lan */
  phoneUrl: () => string;
}

/**
 * BMW ID's OAuth endpoints: RFC 8414 metadata, the RFC 8628 device authorization grant (the QR
 * login), the password grant (the e-mail login), refresh, userinfo and revocation. Every request is
 * validated; every error is JSON in the RFC 6749 form.
 */
export function oauthRoutes(app: FastifyInstance, deps: OAuthDeps): void {
  // Read at request time: loading a scenario replaces the world behind them.
  const { publicUrl } = deps;
  const fail = (reply: FastifyReply, error: OAuthError) => {
    if (error.status === 401 && error.code === 'invalid_token') void reply.header('WWW-Authenticate', `Bearer error="invalid_token"`);
    return reply.code(error.status).header('Cache-Control', 'no-store').send(error.toJSON());
  };
  const parse = <S extends z.ZodType>(schema: S, body: unknown): z.output<S> => {
    const result = schema.safeParse(body);
    if (!result.success) {
      const grant = (body as { grant_type?: unknown } | null)?.grant_type;
      if (typeof grant === 'string' && ![deviceCodeGrant, 'password', 'refresh_token'].includes(grant)) {
        throw new OAuthError('unsupported_grant_type', `grant_type ${grant} is not supported`);
      }
      throw new OAuthError('invalid_request', `invalid ${result.error.issues[0]?.path.join('.') || 'request'}`);
    }
    return result.data;
  };
  const client = (clientId: string) => {
    // (the answer names the registered client: a team pointing its own client here learns which id to use)
    if (clientId !== headUnitClientId) throw new OAuthError('invalid_client', `unknown client; the registered client id is "${headUnitClientId}"`, 401);
  };
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof OAuthError) return fail(reply, error);
    // A form the sites cannot take (too large, malformed) is answered with a page, never a 500.
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 400 && status < 500 && isSitePath(request.url)) return sendFormProblem(request, reply, status);
    if (status === 413) return fail(reply, new OAuthError('invalid_request', 'the request is too large', 413));
    if (status === 415 || status === 400) return fail(reply, new OAuthError('invalid_request', 'send application/x-www-form-urlencoded'));
    app.log.error(error);
    return fail(reply, new OAuthError('temporarily_unavailable', 'internal error', 500));
  });

  app.get('/.well-known/oauth-authorization-server', () => {
    const base = publicUrl();
    return {
      issuer: base,
      device_authorization_endpoint: `${base}oauth/device_authorization`,
      token_endpoint: `${base}oauth/token`,
      userinfo_endpoint: `${base}oauth/userinfo`,
      revocation_endpoint: `${base}oauth/revoke`,
      grant_types_supported: [deviceCodeGrant, 'password', 'refresh_token'],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['profile'],
    };
  });

  app.post('/oauth/device_authorization', limited('deviceAuthorization'), (request, reply) => {
    const body = parse(DeviceRequest, request.body);
    client(body.client_id);
    return reply.header('Cache-Control', 'no-store').send(deps.flow.start(body.client_id, body.vehicle_name, `${deps.phoneUrl()}device`));
  });

  app.post('/oauth/token', limited('token'), async (request, reply) => {
    const body = parse(TokenRequest, request.body);
    client(body.client_id);
    let accountId: string;
    switch (body.grant_type) {
      case deviceCodeGrant:
        await deps.flow.awaitDecision(body.device_code, body.client_id);
        accountId = deps.flow.poll(body.device_code, body.client_id).accountId;
        break;
      case 'refresh_token':
        return reply.header('Cache-Control', 'no-store').send(deps.tokens.renew(body.refresh_token, body.client_id));
      case 'password': {
        const wait = deps.attempts.retryAfter(request.ip, body.username);
        if (wait > 0) {
          void reply.header('Retry-After', String(wait));
          throw new OAuthError('temporarily_unavailable', `too many attempts: try again in ${wait} s`, 429);
        }
        const account = deps.accounts.findByEmail(body.username);
        if (!account || !sameSecret(body.password, account.password)) {
          deps.attempts.fail(request.ip, body.username);
          throw new OAuthError('invalid_grant', 'wrong e-mail address or password');
        }
        deps.attempts.succeed(request.ip, body.username);
        accountId = account.id;
        break;
      }
    }
    return reply.header('Cache-Control', 'no-store').send(deps.tokens.issue(accountId, body.client_id));
  });

  app.get('/oauth/userinfo', (request) => {
    const account = deps.accounts.get(bearerAccount(request, deps.tokens));
    if (!account) throw new OAuthError('invalid_token', 'the account no longer exists', 401);
    return { sub: account.id, email: account.email, name: account.name, settings: account.settings };
  });

  app.post('/oauth/revoke', (request, reply) => {
    const body = parse(RevokeRequest, request.body);
    client(body.client_id);
    deps.tokens.revoke(body.token);
    return reply.code(200).send({});
  });
}
