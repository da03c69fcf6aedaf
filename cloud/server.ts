import Fastify from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { Scenario } from '../shared/scenario';
import { Accounts } from './accounts';
import { PasswordAttempts } from './oauth/attempts';
import { DeviceFlow } from './oauth/deviceFlow';
import { oauthRoutes } from './oauth/routes';
import { Tokens } from './oauth/tokens';
import { phoneRoutes } from './phone/routes';

export interface CloudOptions {
  scenario: Scenario;
  /** where to listen: 127.0.0.1, or the LAN address with --lan */
  host: string;
  port: number;
  /** the address phones and cars reach it at, if not http://host:port/ */
  publicHost?: string;
  now?: () => number;
  log?: (message: string) => void;
}

export interface Cloud {
  /** the base URL, ending in / */
  url: string;
  /** replaces the world: accounts, codes, tokens, lifetimes */
  load(scenario: Scenario): void;
  close(): Promise<void>;
}

function world(scenario: Scenario, now: () => number) {
  const behaviour = scenario.cloud;
  return {
    accounts: new Accounts(scenario.accounts),
    flow: new DeviceFlow({ lifetimeSeconds: behaviour.deviceCodeLifetimeSeconds, intervalSeconds: behaviour.pollIntervalSeconds, now }),
    tokens: new Tokens(behaviour.accessTokenLifetimeSeconds, now),
    attempts: new PasswordAttempts(now),
  };
}

/**
 * The outside world's servers as one real HTTP server: BMW ID (QR and e-mail login) and the phone
 * page. A car reaches it over HTTP like any client, at a base URL it is given.
 */
export async function startCloud(options: CloudOptions): Promise<Cloud> {
  const now = options.now ?? Date.now;
  const state = world(options.scenario, now);

  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 });
  await app.register(fastifyFormbody);
  await app.register(fastifyCookie);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Content-Security-Policy', "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    return payload;
  });
  let url = '';
  const deps = Object.assign(state, { publicUrl: () => url, now });
  oauthRoutes(app, deps);
  phoneRoutes(app, deps);
  app.get('/health', () => ({ ok: true }));

  const address = new URL(await app.listen({ host: options.host, port: options.port }));
  const host = options.publicHost ?? options.host;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/`;
  return { url, load: (scenario) => Object.assign(deps, world(scenario, now)), close: () => app.close() };
}
