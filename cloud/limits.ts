import type { FastifyInstance } from 'fastify';
import fastifyRateLimit from '@fastify/rate-limit';
import { isLoopback } from './network';
import { OAuthError } from './oauth/errors';

/**
 * Requests per client address and minute on the routes that check a secret or a code, so that
 * nobody can spray passwords over accounts or guess user codes (RFC 8628 §5.1). Ample for a car
 * polling a code every 5 s and for a person on the phone page.
 */
export const routeLimits = {
  token: { max: 60, timeWindow: 60_000 },
  deviceAuthorization: { max: 20, timeWindow: 60_000 },
  phonePage: { max: 30, timeWindow: 60_000 },
  phoneLogin: { max: 10, timeWindow: 60_000 },
  phoneDecision: { max: 20, timeWindow: 60_000 },
  /** the My BMW app's and the carrier site's forms (logins, the PIN, the SMS code, the applications) */
  appForm: { max: 30, timeWindow: 60_000 },
  carrierLogin: { max: 10, timeWindow: 60_000 },
  carrierForm: { max: 60, timeWindow: 60_000 },
} as const;

/** A route's options with its limit: `app.post(path, limited('token'), handler)`. */
export function limited(name: keyof typeof routeLimits) {
  return { config: { rateLimit: routeLimits[name] } };
}

/**
 * Registers @fastify/rate-limit for the routes that name a limit. Loopback peers (the car itself
 * and the bench's own tools) are not limited unless `limitLoopback` (tests of the limits). A limit
 * reached is answered in the RFC 6749 error form, with Retry-After.
 */
export async function registerLimits(app: FastifyInstance, limitLoopback: boolean): Promise<void> {
  await app.register(fastifyRateLimit, {
    global: false,
    allowList: (request) => !limitLoopback && isLoopback(request.ip),
    errorResponseBuilder: (_request, context) =>
      new OAuthError('temporarily_unavailable', `too many requests: try again in ${Math.ceil(context.ttl / 1000)} s`, 429),
  });
}
