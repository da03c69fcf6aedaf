import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { CloudWorldCommand, LineValue, Outage } from '../../shared/cloudWorld';
import { Es9Fault } from '../../shared/rsp/es9Fault';
import { LiveBehaviour } from '../../shared/scenario';
import { loopbackOnly } from '../admin';
import { OAuthError } from '../oauth/errors';
import { CloudWorldError, readWorld, runCloudCommand, type CloudWorldDeps } from './commands';

/** A command run for a route: the cloud's refusal as the route's answer (404, 409), with its reason. */
function run(deps: CloudWorldDeps, command: CloudWorldCommand) {
  try {
    return runCloudCommand(deps, command);
  } catch (error) {
    if (error instanceof CloudWorldError) throw new OAuthError('invalid_request', error.message, error.status);
    throw error;
  }
}

/** `body` as `schema` allows, or a 400 that says what is allowed. */
function parsed<T extends z.ZodType>(schema: T, body: unknown, allowed: string): z.output<T> {
  const result = schema.safeParse(body);
  if (!result.success) throw new OAuthError('invalid_request', allowed);
  return result.data;
}

/**
 * The bench's admin of the cloud, from this machine only, whatever address the cloud listens on:
 * `POST /admin/world` takes any command of shared/cloudWorld.ts (what the automation API's
 * `world.cloud` sends); the routes below it are shorthands for scripts, each one command.
 */
export function worldRoutes(app: FastifyInstance, deps: CloudWorldDeps): void {
  app.post('/admin/world', (request) => {
    loopbackOnly(request);
    const command = CloudWorldCommand.safeParse(request.body);
    if (!command.success) throw new OAuthError('invalid_request', `not a command of the cloud's world: ${z.prettifyError(command.error)}`);
    return run(deps, command.data);
  });

  app.get('/admin/accounts', (request) => {
    loopbackOnly(request);
    return { accounts: run(deps, { action: 'accounts' }).accounts };
  });
  app.put<{ Params: { email: string } }>('/admin/carrier/lines/:email', (request) => {
    loopbackOnly(request);
    const line = parsed(LineValue, request.body, 'a line is { msisdn, subscribed, multiDevice, associated } or null');
    const { accounts = [] } = run(deps, { action: 'line', email: request.params.email, line });
    const account = accounts.find((a) => a.email.toLowerCase() === request.params.email.toLowerCase())!;
    return { email: account.email, line: account.line };
  });
  // The simulated phone's text messages (the d ACCOUNT's security codes), for automation.
  app.get<{ Params: { email: string } }>('/admin/carrier/sms/:email', (request) => {
    loopbackOnly(request);
    return run(deps, { action: 'sms', email: request.params.email }).sms;
  });

  app.get('/admin/smdp/orders', (request) => {
    loopbackOnly(request);
    return { orders: run(deps, { action: 'orders' }).orders };
  });
  app.post('/admin/smdp/orders', (request) => {
    loopbackOnly(request);
    const allowed = 'the body is optional: { eid?: 32 digits, msisdn?: a phone number, protection?: "session" | "ppk" }';
    const body = request.body ?? {};
    // (what is not an object stays as it is, and is refused as no command)
    return run(deps, parsed(CloudWorldCommand, typeof body === 'object' ? { ...body, action: 'makeOrder' } : body, allowed)).order;
  });
  app.post<{ Params: { matchingId: string } }>('/admin/smdp/orders/:matchingId/expire', (request) => {
    loopbackOnly(request);
    run(deps, { action: 'expireOrder', matchingId: request.params.matchingId });
    return { expired: request.params.matchingId };
  });

  app.get('/admin/outage', (request) => {
    loopbackOnly(request);
    return readWorld.outage(deps);
  });
  app.put('/admin/outage', (request) => {
    loopbackOnly(request);
    const outage = parsed(Outage, request.body, 'an outage is { mode: "none" | "unreachable" | "error" } or { mode: "slow", delaySeconds }');
    return run(deps, { action: 'outage', ...outage }).outage;
  });

  app.get('/admin/behaviour', (request) => {
    loopbackOnly(request);
    return readWorld.behaviour(deps);
  });
  app.put('/admin/behaviour', (request) => {
    loopbackOnly(request);
    const patch = parsed(LiveBehaviour.partial(), request.body, 'a behaviour is { deviceCodeLifetimeSeconds?: 1–3600, phoneOn?: "wifi" | "cellular" }');
    return run(deps, { action: 'behaviour', ...patch }).behaviour;
  });

  app.get('/admin/smdp/fault', (request) => {
    loopbackOnly(request);
    return readWorld.smdpFault(deps);
  });
  app.put('/admin/smdp/fault', (request) => {
    loopbackOnly(request);
    const fault = parsed(
      Es9Fault,
      request.body,
      'a fault is { mode: "none" }, { mode: "slow", delaySeconds } or { mode: "error", function, subjectCode, reasonCode, every? }',
    );
    return run(deps, { action: 'smdpFault', fault }).smdpFault;
  });
}
