import type { FastifyServerOptions } from 'fastify';

/** A route's JSON schema refused, with the reason (no route here declares one). */
function refuse(): never {
  throw new Error('routes here declare no JSON schema: requests are checked with the contract’s zod schemas');
}

/**
 * Fastify's options for a server of this app, which checks every request with zod and declares no
 * JSON schema on a route: Fastify's JSON-schema compilers (Ajv and fast-json-stringify) are
 * replaced by ones that refuse, so they are never loaded (their loading took about 5–9 ms of a
 * head unit's start), and a route that declared a schema anyway fails at `ready()`, saying why,
 * instead of going unchecked.
 */
export const zodOnly: Pick<FastifyServerOptions, 'schemaController'> = {
  schemaController: { compilersFactory: { buildValidator: () => refuse, buildSerializer: () => refuse } },
};
