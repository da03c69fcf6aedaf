import type { FastifyRequest } from 'fastify';
import { OAuthError } from './errors';
import type { Tokens } from './tokens';

/** The BMW ID behind a request's `Authorization: Bearer` access token (RFC 6750); 401 invalid_token otherwise. */
export function bearerAccount(request: FastifyRequest, tokens: Tokens): string {
  const match = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(request.headers.authorization ?? '');
  if (!match) throw new OAuthError('invalid_token', 'a Bearer token is required', 401);
  return tokens.verify(match[1]!);
}
