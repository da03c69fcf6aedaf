import type { FastifyInstance } from 'fastify';
import { loopbackOnly } from '../admin';
import * as z from 'zod';
import type { Accounts } from '../accounts';
import { OAuthError } from '../oauth/errors';
import type { Orders } from '../smdp/orders';
import type { Carrier, OneNumberLine } from './carrier';
import type { SmsCenter } from './sms';
import { OneNumberLine as ScenarioLine } from '../../shared/scenario';

export interface CarrierDeps {
  accounts: Accounts;
  carrier: Carrier;
  orders: Orders;
  sms: SmsCenter;
  /** host:port of the SM-DP+, as activation codes name it */
  smdpAddress: () => string;
}

/** A line as the admin endpoint sets it: the scenario's, without what only a scenario gives (a setup still due on the PC path, another SM-DP+'s profile). */
const LinePatch = ScenarioLine.omit({ dAccountSetUp: true, profile: true }).nullable();

/** A line as the bench may see it: its number, state and d ACCOUNT ID, never its secrets. */
function publicLine(line: OneNumberLine | null): Pick<OneNumberLine, 'msisdn' | 'subscribed' | 'multiDevice' | 'associated' | 'dAccount'> | null {
  if (!line) return null;
  const { msisdn, subscribed, multiDevice, associated, dAccount } = line;
  return { msisdn, subscribed, multiDevice, associated, ...(dAccount ? { dAccount } : {}) };
}

/**
 * The carrier's admin endpoints, reachable from this machine only: change a line (as STEP 1 on the
 * phone would, for scripts that skip it), read the phone's text messages (the SMS security codes of
 * STEP 1, for automation), and expire an SM-DP+ order. The car's entitlement is
 * TS.43 ODSA (`odsa.ts`).
 */
export function carrierRoutes(app: FastifyInstance, deps: CarrierDeps): void {
  app.put<{ Params: { email: string } }>('/admin/carrier/lines/:email', (request) => {
    loopbackOnly(request);
    const account = deps.accounts.findByEmail(request.params.email);
    if (!account) throw new OAuthError('invalid_request', 'no such BMW ID', 404);
    const line = LinePatch.safeParse(request.body);
    if (!line.success) throw new OAuthError('invalid_request', 'a line is { msisdn, subscribed, multiDevice, associated } or null');
    deps.carrier.setLine(account.id, line.data);
    return { email: account.email, line: publicLine(deps.carrier.line(account.id)) };
  });
  // The BMW IDs and their lines, for the bench: no password, no d ACCOUNT password, no PIN.
  app.get('/admin/accounts', (request) => {
    loopbackOnly(request);
    return { accounts: deps.accounts.all().map((account) => ({ email: account.email, name: account.name, line: publicLine(deps.carrier.line(account.id)) })) };
  });
  // The simulated phone's text messages (the d ACCOUNT's security codes), for automation.
  app.get<{ Params: { email: string } }>('/admin/carrier/sms/:email', (request) => {
    loopbackOnly(request);
    const account = deps.accounts.findByEmail(request.params.email);
    const line = account && deps.carrier.line(account.id);
    if (!line) throw new OAuthError('invalid_request', 'no DOCOMO line for this BMW ID', 404);
    return { msisdn: line.msisdn, messages: deps.sms.inbox(line.msisdn) };
  });
  // An order any LPA can download (lpac, a phone): bound to the given EID, or to the first eUICC that asks.
  app.post('/admin/smdp/orders', (request) => {
    loopbackOnly(request);
    const body = z
      .strictObject({
        eid: z
          .string()
          .regex(/^\d{32}$/)
          .optional(),
        msisdn: z
          .string()
          .regex(/^\+?[0-9 -]{8,20}$/)
          .optional(),
        protection: z.enum(['session', 'ppk']).optional(),
      })
      .safeParse(request.body ?? {});
    if (!body.success)
      throw new OAuthError('invalid_request', 'the body is optional: { eid?: 32 digits, msisdn?: a phone number, protection?: "session" | "ppk" }');
    const order = deps.orders.releaseForBench(body.data.eid ?? null, body.data.msisdn, body.data.protection);
    return { activationCode: `LPA:1$${deps.smdpAddress()}$${order.matchingId}`, matchingId: order.matchingId, iccid: order.metadata.iccid };
  });
  // The SM-DP+'s orders, newest first, for the bench: whose, for which eUICC, and how far each got.
  app.get('/admin/smdp/orders', (request) => {
    loopbackOnly(request);
    const owner = (accountId: string) => deps.accounts.get(accountId)?.email ?? accountId;
    return {
      orders: deps.orders
        .all()
        .reverse()
        .map((o) => ({
          matchingId: o.matchingId,
          owner: owner(o.accountId),
          eid: o.eid,
          msisdn: o.msisdn,
          iccid: o.metadata.iccid,
          state: o.state,
          expiresAt: new Date(o.expiresAt).toISOString(),
        })),
    };
  });
  app.post<{ Params: { matchingId: string } }>('/admin/smdp/orders/:matchingId/expire', (request) => {
    loopbackOnly(request);
    deps.orders.expire(request.params.matchingId);
    return { expired: request.params.matchingId };
  });
}
