import type { FastifyInstance } from 'fastify';
import { loopbackOnly } from './admin';
import * as z from 'zod';
import { OAuthError } from './oauth/errors';
import { isSitePath } from './web/formGuard';

/**
 * Outages of the cloud as the car meets them, for the bench: `unreachable` (the connection is
 * dropped, as when the network is gone), `error` (503, a cloud with a problem), `slow` (each answer
 * held `delaySeconds`, past the car's patience when longer than its 8 s). They apply to what the
 * car asks (BMW ID login, tokens, the carrier's entitlement, the profile's settings), never to the
 * phone's and PC's pages, the admin endpoints or the health check.
 */
export const Outage = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('none') }),
  z.strictObject({ mode: z.literal('unreachable') }),
  z.strictObject({ mode: z.literal('error') }),
  z.strictObject({ mode: z.literal('slow'), delaySeconds: z.number().min(0.1).max(120) }),
]);
export type Outage = z.infer<typeof Outage>;

/** What the car's requests are: not the sites, the admin, the health check or the cloud's own card. */
function carsRequest(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return !isSitePath(url) && !path.startsWith('/admin/') && path !== '/health' && path !== '/';
}

/** The outage hook and `PUT /admin/outage` (`GET` reads it), from this machine only. */
export function outageRoutes(app: FastifyInstance): void {
  let outage: Outage = { mode: 'none' };
  app.addHook('onRequest', async (request, reply) => {
    if (outage.mode === 'none' || !carsRequest(request.url)) return;
    if (outage.mode === 'unreachable') {
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (outage.mode === 'error') return reply.code(503).send({ error: 'temporarily_unavailable', error_description: 'the cloud is failing (a bench outage)' });
    const { delaySeconds } = outage;
    await new Promise((resolve) => setTimeout(resolve, delaySeconds * 1000));
  });
  app.get('/admin/outage', (request) => {
    loopbackOnly(request);
    return outage;
  });
  app.put('/admin/outage', (request) => {
    loopbackOnly(request);
    const parsed = Outage.safeParse(request.body);
    if (!parsed.success) throw new OAuthError('invalid_request', 'an outage is { mode: "none" | "unreachable" | "error" } or { mode: "slow", delaySeconds }');
    outage = parsed.data;
    return outage;
  });
}
