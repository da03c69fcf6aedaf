import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LiveBehaviour } from '../shared/scenario';
import { OAuthError } from './oauth/errors';

/** The bench's admin endpoints answer this machine only, whatever address the cloud listens on. */
export function loopbackOnly(request: FastifyRequest): void {
  if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(request.ip)) throw new OAuthError('invalid_request', 'admin is reachable from this machine only', 403);
}

/**
 * `GET /admin/behaviour` and `PUT /admin/behaviour` (a part of it): the QR code's lifetime (for
 * codes issued from now on) and how the bench's phone reaches the carrier's site in STEP 1 ②
 * (`cellular`: the network PIN login), changed while the cloud runs.
 */
export function behaviourRoutes(app: FastifyInstance, deps: { behaviour: LiveBehaviour }): void {
  const read = (): LiveBehaviour => ({ deviceCodeLifetimeSeconds: deps.behaviour.deviceCodeLifetimeSeconds, phoneOn: deps.behaviour.phoneOn });
  app.get('/admin/behaviour', (request) => {
    loopbackOnly(request);
    return read();
  });
  app.put('/admin/behaviour', (request) => {
    loopbackOnly(request);
    const parsed = LiveBehaviour.partial().safeParse(request.body);
    if (!parsed.success) throw new OAuthError('invalid_request', 'a behaviour is { deviceCodeLifetimeSeconds?: 1–3600, phoneOn?: "wifi" | "cellular" }');
    Object.assign(deps.behaviour, Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)));
    return read();
  });
}
