import type { FastifyInstance } from 'fastify';
import type { Outage } from '../shared/cloudWorld';
import { isSitePath } from './web/formGuard';

/** What the car's requests are: not the sites, the admin, the health check or the cloud's own card. */
function carsRequest(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return !isSitePath(url) && !path.startsWith('/admin/') && path !== '/health' && path !== '/';
}

/**
 * The bench's outage (shared/cloudWorld.ts, set by the `outage` command) as the car's requests
 * meet it: dropped, answered 503, or held; the sites, the admin and the health check never.
 */
export function outageHook(app: FastifyInstance, outage: { current: Outage }): void {
  app.addHook('onRequest', async (request, reply) => {
    const now = outage.current;
    if (now.mode === 'none' || !carsRequest(request.url)) return;
    if (now.mode === 'unreachable') {
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (now.mode === 'error') return reply.code(503).send({ error: 'temporarily_unavailable', error_description: 'the cloud is failing (a bench outage)' });
    const { delaySeconds } = now;
    await new Promise((resolve) => setTimeout(resolve, delaySeconds * 1000));
  });
}
