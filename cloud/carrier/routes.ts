import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Accounts } from '../accounts';
import { OAuthError } from '../oauth/errors';
import type { Tokens } from '../oauth/tokens';
import type { Orders } from '../smdp/orders';
import type { Carrier } from './carrier';

export interface CarrierDeps {
  accounts: Accounts;
  tokens: Tokens;
  carrier: Carrier;
  orders: Orders;
  /** host:port of the SM-DP+, as activation codes name it */
  smdpAddress: () => string;
}

const EntitlementRequest = z.strictObject({ eid: z.string().regex(/^\d{32}$/), terminalId: z.string().max(64).optional() });
const LinePatch = z.strictObject({
  msisdn: z.string().regex(/^\+?[0-9 -]{8,20}$/),
  subscribed: z.boolean(),
  multiDevice: z.boolean(),
  associated: z.boolean(),
}).nullable();

/**
 * NTT DOCOMO's side: the entitlement a car asks for with its EID and the driver's BMW ID token
 * (in the style of GSMA TS.43 ODSA for a companion device with a shared number), and an admin
 * endpoint, reachable from this machine only, that changes a line as the phone-side STEP 1 would.
 */
export function carrierRoutes(app: FastifyInstance, deps: CarrierDeps): void {
  const accountOf = (request: FastifyRequest) => {
    const match = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(request.headers.authorization ?? '');
    if (!match) throw new OAuthError('invalid_token', 'a Bearer token is required', 401);
    return deps.tokens.verify(match[1]!);
  };

  app.post('/entitlement/personal-esim', (request) => {
    const accountId = accountOf(request);
    const body = EntitlementRequest.safeParse(request.body);
    if (!body.success) throw new OAuthError('invalid_request', 'eid must be 32 digits');
    const reason = deps.carrier.eligibility(accountId, body.data.eid);
    if (reason) return { serviceStatus: 'deactivated', reason };
    const line = deps.carrier.line(accountId)!;
    const order = deps.orders.release(accountId, body.data.eid, line.msisdn);
    return {
      serviceStatus: order.state === 'installed' ? 'activated' : 'activating',
      msisdn: line.msisdn,
      iccid: order.metadata.iccid,
      activationCode: order.state === 'installed' ? null : `LPA:1$${deps.smdpAddress()}$${order.matchingId}`,
    };
  });

  const loopbackOnly = (request: FastifyRequest) => {
    if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(request.ip)) throw new OAuthError('invalid_request', 'admin is reachable from this machine only', 403);
  };
  app.put<{ Params: { email: string } }>('/admin/carrier/lines/:email', (request) => {
    loopbackOnly(request);
    const account = deps.accounts.findByEmail(request.params.email);
    if (!account) throw new OAuthError('invalid_request', 'no such BMW ID', 404);
    const line = LinePatch.safeParse(request.body);
    if (!line.success) throw new OAuthError('invalid_request', 'a line is { msisdn, subscribed, multiDevice, associated } or null');
    deps.carrier.setLine(account.id, line.data);
    return { email: account.email, line: line.data };
  });
  app.post<{ Params: { matchingId: string } }>('/admin/smdp/orders/:matchingId/expire', (request) => {
    loopbackOnly(request);
    deps.orders.expire(request.params.matchingId);
    return { expired: request.params.matchingId };
  });
}
