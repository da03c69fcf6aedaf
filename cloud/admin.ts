import type { FastifyRequest } from 'fastify';
import { OAuthError } from './oauth/errors';

/** The bench's admin endpoints answer this machine only, whatever address the cloud listens on. */
export function loopbackOnly(request: FastifyRequest): void {
  if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(request.ip)) throw new OAuthError('invalid_request', 'admin is reachable from this machine only', 403);
}
