import Fastify from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { Scenario } from '../shared/scenario';
import { Accounts } from './accounts';
import { PasswordAttempts } from './oauth/attempts';
import { DeviceFlow } from './oauth/deviceFlow';
import { oauthRoutes } from './oauth/routes';
import { Tokens, type TokensState } from './oauth/tokens';
import { phoneRoutes } from './phone/routes';
import { Carrier } from './carrier/carrier';
import { carrierRoutes } from './carrier/routes';
import { Smdp } from './smdp/es9plus';
import { Orders, type Order } from './smdp/orders';
import { smdpRoutes } from './smdp/routes';
import { newSigningKey } from '../shared/esimSigning';

export interface CloudOptions {
  scenario: Scenario;
  /** where to listen: 127.0.0.1, or the LAN address with --lan */
  host: string;
  port: number;
  /** the address phones and cars reach it at, if not http://host:port/ */
  publicHost?: string;
  now?: () => number;
  log?: (message: string) => void;
  /** the world as a previous run left it (tokens, orders, cars on lines) */
  state?: CloudState;
  /** told after every request that may have changed the world, so a bench can keep it */
  onChange?: (state: CloudState) => void;
}

/**
 * What the world keeps across a restart of the emulator: a real cloud does not forget the tokens
 * it issued or the eSIMs it installed because a car was switched off. (The SM-DP+ key is new each
 * run; the car's simulated eUICC is told the new one.)
 */
export interface CloudState {
  tokens: TokensState;
  orders: Order[];
  devices: [string, string[]][];
}

export interface Cloud {
  /** the base URL, ending in / */
  url: string;
  /** the SM-DP+'s certificate, which the simulated eUICCs trust */
  smdpCertificate: string;
  /** replaces the world: accounts, codes, tokens, lifetimes, lines and orders */
  load(scenario: Scenario): void;
  close(): Promise<void>;
}

function world(scenario: Scenario, now: () => number) {
  const behaviour = scenario.cloud;
  const accounts = new Accounts(scenario.accounts);
  return {
    accounts,
    carrier: new Carrier(scenario.accounts.map((a) => ({ ...a, id: accounts.findByEmail(a.email)!.id }))),
    orders: new Orders(now),
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
  if (options.state) {
    state.tokens.restore(options.state.tokens);
    state.orders.restore(options.state.orders);
    state.carrier.restoreDevices(options.state.devices);
  }
  // One SM-DP+ key for the life of the cloud: the cars' eUICCs trust it.
  const smdpKey = await newSigningKey();

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
  const deps = Object.assign(state, { publicUrl: () => url, now, smdpAddress: () => new URL(url).host });
  const smdp = () => (smdpOf ??= new Smdp(smdpKey, deps.smdpAddress, deps.orders, deps.carrier, now));
  let smdpOf: Smdp | undefined;
  oauthRoutes(app, deps);
  phoneRoutes(app, deps);
  carrierRoutes(app, deps);
  smdpRoutes(app, smdp);
  app.get('/health', () => ({ ok: true }));
  const snapshot = (): CloudState => ({ tokens: deps.tokens.export(), orders: deps.orders.all(), devices: deps.carrier.exportDevices() });
  if (options.onChange) {
    const onChange = options.onChange;
    app.addHook('onResponse', async (request) => {
      if (request.method !== 'GET') onChange(snapshot());
    });
  }

  const address = new URL(await app.listen({ host: options.host, port: options.port }));
  const host = options.publicHost ?? options.host;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/`;
  return {
    url,
    smdpCertificate: smdpKey.publicPem,
    load: (scenario) => {
      Object.assign(deps, world(scenario, now));
      smdpOf = undefined; // its orders and carrier were replaced
    },
    close: () => app.close(),
  };
}
